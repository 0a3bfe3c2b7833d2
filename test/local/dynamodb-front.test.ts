/**
 * The local DynamoDB front over real dynalite: transactions, TTL and the change stream, driven with the
 * ordinary AWS SDK commands the application uses.
 */

import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type TransactionCanceledException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import dynalite from 'dynalite';
import { createDocumentClient } from '../../functions/data/table';
import { createTableInput } from '../../functions/data/table-definition';
import { InProcessDynalite } from '../../local/dynamodb/backend';
import type { StreamRecord } from '../../local/dynamodb/change-stream';
import { DynamoDbFront } from '../../local/dynamodb/dynamodb-front';

// Both ways the front reaches dynalite: in this process (the local runtime) and over HTTP.
describe.each([['in process'], ['over HTTP']])('the front, dynalite %s', (mode) => {
  const TABLE = 'front-test';
  let front: DynamoDbFront;
  let client: ReturnType<typeof createDocumentClient>;
  let closeBackend: () => Promise<void>;

  beforeAll(async () => {
    if (mode === 'in process') {
      // As the local runtime runs it: dynalite's actions called in this process.
      const backend = new InProcessDynalite({ createTableMs: 0 });
      front = new DynamoDbFront({ backend, ttlSweepMs: 60_000 });
      closeBackend = () => backend.close();
    } else {
      const backend = dynalite({ createTableMs: 0 });
      await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
      front = new DynamoDbFront({
        backend: new URL(`http://127.0.0.1:${(backend.address() as AddressInfo).port}`),
        ttlSweepMs: 60_000,
      });
      closeBackend = () => new Promise<void>((resolve) => backend.close(() => resolve()));
    }
    const endpoint = await front.listen();
    client = createDocumentClient({
      endpoint: endpoint.toString(),
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await client.send(new CreateTableCommand(createTableInput(TABLE)));
  });

  afterAll(async () => {
    client.destroy();
    await front.close();
    await closeBackend();
  });

  let mark = 0;
  beforeEach(() => {
    mark = front.stream(TABLE).length;
  });
  const newRecords = (): StreamRecord[] => front.stream(TABLE).readAfter('', 1e9).slice(mark);
  const key = (id: string) => ({ PK: `T#${id}`, SK: 'A' });

  describe('change stream', () => {
    it('records INSERT, MODIFY and REMOVE with keys and both images', async () => {
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('s1'), n: 1 } }));
      await client.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: key('s1'),
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': 2 },
        }),
      );
      await client.send(new DeleteCommand({ TableName: TABLE, Key: key('s1') }));
      const records = newRecords();
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      expect(records[0].dynamodb.Keys).toEqual({ PK: { S: 'T#s1' }, SK: { S: 'A' } });
      expect(records[0].dynamodb.NewImage?.n).toEqual({ N: '1' });
      expect(records[0].dynamodb.OldImage).toBeUndefined();
      expect(records[1].dynamodb.OldImage?.n).toEqual({ N: '1' });
      expect(records[1].dynamodb.NewImage?.n).toEqual({ N: '2' });
      expect(records[2].dynamodb.NewImage).toBeUndefined();
      expect(records[2].dynamodb.OldImage?.n).toEqual({ N: '2' });
      expect(
        records.every(
          (r) => r.dynamodb.StreamViewType === 'NEW_AND_OLD_IMAGES' && r.eventSource === 'aws:dynamodb',
        ),
      ).toBe(true);
      const sequences = records.map((r) => r.dynamodb.SequenceNumber);
      expect([...sequences].sort()).toEqual(sequences);
    });

    it('records nothing for a failed conditional write, a no-op put or deleting a missing item', async () => {
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('s2'), n: 1 } }));
      mark = front.stream(TABLE).length;
      await expect(
        client.send(
          new PutCommand({
            TableName: TABLE,
            Item: { ...key('s2'), n: 9 },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      ).rejects.toThrow(/conditional/i);
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('s2'), n: 1 } }));
      await client.send(new DeleteCommand({ TableName: TABLE, Key: key('missing') }));
      expect(newRecords()).toHaveLength(0);
    });

    it('answers what a single write asked to get back, whatever the front asks dynalite for', async () => {
      const none = await client.send(
        new PutCommand({ TableName: TABLE, Item: { ...key('rv'), n: 1, s: 'a' } }),
      );
      expect(none.Attributes).toBeUndefined();
      const old = await client.send(
        new PutCommand({ TableName: TABLE, Item: { ...key('rv'), n: 2, s: 'a' }, ReturnValues: 'ALL_OLD' }),
      );
      expect(old.Attributes?.n).toBe(1);
      const updatedNew = await client.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: key('rv'),
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': 3 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      expect(updatedNew.Attributes).toEqual({ n: 3 });
      const quiet = await client.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: key('rv'),
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': 4 },
        }),
      );
      expect(quiet.Attributes).toBeUndefined();
      const gone = await client.send(
        new DeleteCommand({ TableName: TABLE, Key: key('rv'), ReturnValues: 'ALL_OLD' }),
      );
      expect(gone.Attributes?.n).toBe(4);
      const images = newRecords().map((r) => [
        r.eventName,
        r.dynamodb.OldImage?.n?.N,
        r.dynamodb.NewImage?.n?.N,
      ]);
      expect(images).toEqual([
        ['INSERT', undefined, '1'],
        ['MODIFY', '1', '2'],
        ['MODIFY', '2', '3'],
        ['MODIFY', '3', '4'],
        ['REMOVE', '4', undefined],
      ]);
      // Images are plain objects, as a decoded read gives them.
      expect(Object.getPrototypeOf(newRecords()[3].dynamodb.NewImage)).toBe(Object.prototype);
    });

    it('records each item of a BatchWriteItem', async () => {
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [TABLE]: [{ PutRequest: { Item: { ...key('b1') } } }, { PutRequest: { Item: { ...key('b2') } } }],
          },
        }),
      );
      expect(newRecords().map((r) => r.dynamodb.Keys?.PK?.S)).toEqual(['T#b1', 'T#b2']);
    });

    it('refuses a BatchWriteItem with a duplicate or malformed key before writing anything', async () => {
      const duplicate = await client
        .send(
          new BatchWriteCommand({
            RequestItems: {
              [TABLE]: [
                { PutRequest: { Item: { ...key('d1') } } },
                { PutRequest: { Item: { ...key('d1') } } },
              ],
            },
          }),
        )
        .catch((e) => e);
      expect(duplicate.name).toBe('ValidationException');
      const malformed = await client
        .send(
          new BatchWriteCommand({
            RequestItems: {
              [TABLE]: [
                { PutRequest: { Item: { ...key('d2') } } },
                { PutRequest: { Item: { PK: 'no-sort-key' } } },
              ],
            },
          }),
        )
        .catch((e) => e);
      expect(malformed.name).toBe('ValidationException');
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('d2') }))).Item).toBeUndefined();
      expect(newRecords()).toHaveLength(0);
    });

    it('keeps exactly one record per write, in commit order per key, under concurrent writes', async () => {
      const writers = 40;
      await Promise.all(
        Array.from({ length: writers }, (_, i) =>
          client.send(
            new UpdateCommand({
              TableName: TABLE,
              Key: key(`c${i % 4}`),
              UpdateExpression: 'ADD n :one',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          ),
        ),
      );
      const records = newRecords();
      expect(records).toHaveLength(writers);
      for (let k = 0; k < 4; k++) {
        const counts = records
          .filter((r) => r.dynamodb.Keys?.PK?.S === `T#c${k}`)
          .map((r) => Number(r.dynamodb.NewImage?.n?.N));
        expect(counts).toEqual(Array.from({ length: writers / 4 }, (_, i) => i + 1));
      }
      expect(new Set(records.map((r) => r.eventID)).size).toBe(writers);
    });
  });

  describe('transactions', () => {
    it('applies every item, one record each, when all conditions hold', async () => {
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('t-count'), count: 0 } }));
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('t-guard') } }));
      mark = front.stream(TABLE).length;
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: TABLE,
                Item: { ...key('t1'), v: 'a' },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: TABLE,
                Key: key('t-count'),
                UpdateExpression: 'ADD #c :one',
                ExpressionAttributeNames: { '#c': 'count' },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            {
              ConditionCheck: {
                TableName: TABLE,
                Key: key('t-guard'),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
          ],
        }),
      );
      const { Item } = await client.send(new GetCommand({ TableName: TABLE, Key: key('t-count') }));
      expect(Item?.count).toBe(1);
      expect(newRecords().map((r) => [r.eventName, r.dynamodb.Keys?.PK?.S])).toEqual([
        ['INSERT', 'T#t1'],
        ['MODIFY', 'T#t-count'],
      ]);
    });

    it('changes nothing and names the failed item when one condition fails', async () => {
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('t2'), v: 'old' } }));
      mark = front.stream(TABLE).length;
      const attempt = client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { ...key('t3'), v: 'new' } } },
            {
              Update: {
                TableName: TABLE,
                Key: key('t2'),
                UpdateExpression: 'SET v = :v',
                ConditionExpression: 'v = :expected',
                ExpressionAttributeValues: { ':v': 'x', ':expected': 'not-old' },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      );
      const error = (await attempt.catch((e) => e)) as TransactionCanceledException;
      expect(error.name).toBe('TransactionCanceledException');
      expect(error.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
      expect(error.CancellationReasons?.[1].Item?.v).toEqual({ S: 'old' });
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('t3') }))).Item).toBeUndefined();
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('t2') }))).Item?.v).toBe('old');
      expect(newRecords()).toHaveLength(0);
    });

    it('rolls back the items already applied when a later one fails as it is applied', async () => {
      // The condition holds; only applying finds the ADD to a string (dynalite refuses it then).
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('t-text'), n: 'text' } }));
      mark = front.stream(TABLE).length;
      const error = await client
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { ...key('t-first'), v: 1 } } },
              {
                Update: {
                  TableName: TABLE,
                  Key: key('t-text'),
                  UpdateExpression: 'ADD n :one',
                  ConditionExpression: 'attribute_exists(PK)',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        )
        .catch((e) => e);
      expect(error.name).toBe('ValidationException');
      expect(
        (await client.send(new GetCommand({ TableName: TABLE, Key: key('t-first') }))).Item,
      ).toBeUndefined();
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('t-text') }))).Item?.n).toBe(
        'text',
      );
      expect(newRecords()).toHaveLength(0);
    });

    it('refuses a malformed item before writing anything', async () => {
      const error = await client
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { ...key('t-bad1') } } },
              {
                Update: {
                  TableName: TABLE,
                  Key: key('t-bad2'),
                  UpdateExpression: 'SET v = :missing',
                  ExpressionAttributeValues: { ':other': 1 },
                },
              },
            ],
          }),
        )
        .catch((e) => e);
      expect(error.name).toBe('ValidationException');
      expect(
        (await client.send(new GetCommand({ TableName: TABLE, Key: key('t-bad1') }))).Item,
      ).toBeUndefined();
      expect(newRecords()).toHaveLength(0);
    });

    it('fails a ConditionCheck on a missing item', async () => {
      const error = await client
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { ...key('t4') } } },
              {
                ConditionCheck: {
                  TableName: TABLE,
                  Key: key('nope'),
                  ConditionExpression: 'attribute_exists(PK)',
                },
              },
            ],
          }),
        )
        .catch((e) => e);
      expect(error.name).toBe('TransactionCanceledException');
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('t4') }))).Item).toBeUndefined();
    });

    it('refuses two operations on one item', async () => {
      const error = await client
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { ...key('t5') } } },
              { Delete: { TableName: TABLE, Key: key('t5') } },
            ],
          }),
        )
        .catch((e) => e);
      expect(error.name).toBe('ValidationException');
    });

    it('is idempotent for a repeated ClientRequestToken', async () => {
      const input = {
        ClientRequestToken: 'token-1',
        TransactItems: [
          {
            Update: {
              TableName: TABLE,
              Key: key('t6'),
              UpdateExpression: 'ADD n :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      };
      await client.send(new TransactWriteCommand(input));
      await client.send(new TransactWriteCommand(input));
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('t6') }))).Item?.n).toBe(1);
    });

    it('serves TransactGetItems', async () => {
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('g1'), v: 1 } }));
      const { Responses } = await client.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName: TABLE, Key: key('g1') } },
            { Get: { TableName: TABLE, Key: key('g-missing') } },
          ],
        }),
      );
      expect(Responses?.[0].Item?.v).toBe(1);
      expect(Responses?.[1].Item).toBeUndefined();
    });

    it('keeps concurrent transactions on the same counter all-or-nothing', async () => {
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('race'), n: 0 } }));
      // Each transaction claims a unique item and bumps the counter; half of them reuse a claimed id.
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          client.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: TABLE,
                    Item: { ...key(`claim-${i % 10}`) },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Update: {
                    TableName: TABLE,
                    Key: key('race'),
                    UpdateExpression: 'ADD n :one',
                    ExpressionAttributeValues: { ':one': 1 },
                  },
                },
              ],
            }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('race') }))).Item?.n).toBe(10);
    });
  });

  describe('TTL', () => {
    it('reports the TTL setting and deletes expired items with a service REMOVE record', async () => {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: TABLE,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      );
      const described = await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE }));
      expect(described.TimeToLiveDescription).toEqual({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: 'expiresAt',
      });
      const now = Math.floor(Date.now() / 1000);
      await client.send(new PutCommand({ TableName: TABLE, Item: { ...key('old'), expiresAt: now - 10 } }));
      await client.send(
        new PutCommand({ TableName: TABLE, Item: { ...key('fresh'), expiresAt: now + 3600 } }),
      );
      mark = front.stream(TABLE).length;
      expect(await front.sweepExpired(now)).toBe(1);
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('old') }))).Item).toBeUndefined();
      expect((await client.send(new GetCommand({ TableName: TABLE, Key: key('fresh') }))).Item).toBeDefined();
      const [record] = newRecords();
      expect(record.eventName).toBe('REMOVE');
      expect(record.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    });
  });
});
