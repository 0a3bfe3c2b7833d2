/**
 * Local transactions are all-or-nothing across a crash (issue 14, item 3). dynalite applies a
 * TransactWriteItems as separate writes; a child process runs one transaction (a like, the post's
 * like counter, the liker's own record) through the local front and is killed with SIGKILL at each
 * point between its writes. After a restart the front settles the journal: the table holds all three
 * changes or none, the stream has one record per change it holds and none for a change it does not,
 * and the journal is empty.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import dynalite from 'dynalite';
import { DynamoDbFront } from '../../local/dynamodb/dynamodb-front';
import { type AttributeMap, call } from '../../local/dynamodb/wire';

const run = promisify(execFile);
const TABLE = 'crash';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-crash-'));
const base = path.join(scratch, 'base');

const LIKE = { PK: { S: 'POST#1' }, SK: { S: 'LIKE#alice' } };
const POST = { PK: { S: 'POST#1' }, SK: { S: 'META' } };
const LIKED = { PK: { S: 'USER#alice' }, SK: { S: 'LIKED#POST#1' } };
const TRANSACTION = {
  TransactItems: [
    {
      Put: {
        TableName: TABLE,
        Item: { ...LIKE, at: { S: 'now' } },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Update: {
        TableName: TABLE,
        Key: POST,
        UpdateExpression: 'ADD likes :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      },
    },
    { Put: { TableName: TABLE, Item: { ...LIKED, at: { S: 'now' } } } },
  ],
};

/** The front over a data folder, as the runtime opens it (settling the journal first). */
async function openFront(dataDir: string) {
  const backend = dynalite({ path: path.join(dataDir, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const front = new DynamoDbFront({
    backend: new URL(`http://127.0.0.1:${(backend.address() as AddressInfo).port}`),
    stateDirectory: path.join(dataDir, 'stream'),
  });
  const endpoint = await front.listen();
  const get = async (key: AttributeMap) =>
    (
      await call<{ Item?: AttributeMap }>(endpoint, 'GetItem', {
        TableName: TABLE,
        Key: key,
        ConsistentRead: true,
      })
    ).Item;
  return {
    front,
    endpoint,
    get,
    async close() {
      await front.close();
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  const opened = await openFront(base);
  await call(opened.endpoint, 'CreateTable', {
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
    ],
  });
  await call(opened.endpoint, 'PutItem', { TableName: TABLE, Item: { ...POST, likes: { N: '0' } } });
  await opened.close();
}, 60_000);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// Where the child dies: after the intent is journaled, after each item is written, after each stream
// record is appended, after the journal is cleared — and not at all.
const POINTS = [
  'journaled',
  'applied:0',
  'applied:1',
  'applied:2',
  'recorded:0',
  'recorded:1',
  'recorded:2',
  'settled',
  'none',
];

describe('a transaction killed between its writes', () => {
  it.each(POINTS)(
    'killed at %s: all or nothing after the restart',
    async (point) => {
      const dataDir = path.join(scratch, point.replace(':', '-'));
      fs.cpSync(base, dataDir, { recursive: true });
      const baseRecords = (await openFront(dataDir).then(async (o) => {
        const n = o.front.stream(TABLE).length;
        await o.close();
        return n;
      })) as number;

      // node itself (tsx as its loader), so the process killed is the child this test waits for.
      const child = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'test/helpers/transaction-crash-child.ts',
          dataDir,
          TABLE,
          point,
          JSON.stringify(TRANSACTION),
        ],
        { timeout: 60_000 },
      ).then(
        ({ stdout }) => ({ killed: false, stdout }),
        (error: { signal?: string; stdout?: string; stderr?: string }) => {
          if (error.signal !== 'SIGKILL') throw new Error(`child failed: ${error.stderr}`);
          return { killed: true, stdout: error.stdout ?? '' };
        },
      );
      expect(child.killed).toBe(point !== 'none');
      expect(child.stdout.includes('committed')).toBe(point === 'none');

      const opened = await openFront(dataDir);
      try {
        const settled = await opened.front.recoverTransactions();
        const [like, post, liked] = [await opened.get(LIKE), await opened.get(POST), await opened.get(LIKED)];
        const all = like !== undefined && post?.likes?.N === '1' && liked !== undefined;
        const nothing = like === undefined && post?.likes?.N === '0' && liked === undefined;
        expect(all || nothing).toBe(true);
        // Once its stream records had begun every item was written: it is completed; before, undone.
        const completes = point.startsWith('recorded') || point === 'settled' || point === 'none';
        expect(all).toBe(completes);
        expect(settled).toEqual(
          point === 'settled' || point === 'none'
            ? { completed: 0, rolledBack: 0 }
            : completes
              ? { completed: 1, rolledBack: 0 }
              : { completed: 0, rolledBack: 1 },
        );
        // The stream holds exactly the changes the table holds: one record per item, or none.
        const records = opened.front.stream(TABLE).readAfter('', Number.MAX_SAFE_INTEGER).slice(baseRecords);
        expect(records.map((r) => [r.eventName, r.dynamodb.Keys?.SK?.S])).toEqual(
          all
            ? [
                ['INSERT', 'LIKE#alice'],
                ['MODIFY', 'META'],
                ['INSERT', 'LIKED#POST#1'],
              ]
            : [],
        );
        expect(
          fs.readdirSync(path.join(dataDir, 'stream', 'transactions')).filter((f) => f.endsWith('.json')),
        ).toEqual([]);
        // Settled once: a second start finds nothing to do.
        expect(await opened.front.recoverTransactions()).toEqual({ completed: 0, rolledBack: 0 });
      } finally {
        await opened.close();
      }
    },
    90_000,
  );
});
