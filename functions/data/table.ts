/**
 * The table port: the handful of DynamoDB operations the domain uses, over lib-dynamodb. Request
 * paths use GetItem, BatchGetItem, Query and transactions only — this class has no scan.
 *
 * Why our own thin layer rather than ElectroDB or dynamodb-toolbox: keys are plain functions in
 * keys.ts that read like the data-model document, transactions stay visible at the call site, and the
 * api bundle stays small (see docs/data-model.md).
 */
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidCursor, TransactionFailed } from './errors';
import { assertItemFits } from './item-size';

export type Key = { PK: string; SK: string };
export type Item = Key & Record<string, unknown>;
type RawTransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A transaction item without TableName (the Table fills it in). */
export type TransactItem = {
  [K in 'Put' | 'Update' | 'Delete' | 'ConditionCheck']?: Omit<NonNullable<RawTransactItem[K]>, 'TableName'>;
};

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface QueryOptions {
  index?: 'GSI1' | 'GSI2';
  partition: string;
  /** Only items whose sort key starts with this. */
  beginsWith?: string;
  newestFirst?: boolean;
  /** Only items whose sort key sorts before this (for merging several partitions by time). */
  before?: string;
  /** Only items whose sort key lies between these, both included (a time range over `<at>#<id>` keys). */
  between?: readonly [string, string];
  /**
   * A FilterExpression, applied after `limit` items are read (so a page may hold fewer, and the cursor
   * goes on): still one request a page. Its names and values must not start with `#pk`, `#sk`, `:pk`.
   */
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  limit: number;
  cursor?: string;
}

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

export function createDocumentClient(config: DynamoDBClientConfig = {}) {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export class Table {
  /** DynamoDB calls made through this instance; benchmarks and tests read it to count round trips. */
  roundTrips = 0;
  /** Of those, the Query calls (a list is one Query, whatever else it reads by key). */
  queries = 0;

  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get<T = Item>(key: Key): Promise<T | undefined> {
    this.roundTrips++;
    const { Item } = await this.client.send(new GetCommand({ TableName: this.name, Key: key }));
    return Item as T | undefined;
  }

  /** One BatchGetItem; answers in the order of `keys`, undefined where an item is missing. */
  async getMany(keysToGet: Key[]): Promise<(Item | undefined)[]> {
    if (keysToGet.length === 0) return [];
    const unique = [...new Map(keysToGet.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
    const found = new Map<string, Item>();
    for (let start = 0; start < unique.length; start += 100) {
      let request: Record<string, { Keys: Key[] }> | undefined = {
        [this.name]: { Keys: unique.slice(start, start + 100) },
      };
      for (let attempt = 0; request && attempt < 5; attempt++) {
        this.roundTrips++;
        const output: any = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of (output.Responses?.[this.name] ?? []) as Item[])
          found.set(`${item.PK}|${item.SK}`, item);
        request = output.UnprocessedKeys?.[this.name]?.Keys?.length ? output.UnprocessedKeys : undefined;
      }
    }
    return keysToGet.map((k) => found.get(`${k.PK}|${k.SK}`));
  }

  async query<T = Item>(options: QueryOptions): Promise<Page<T>> {
    const pk = options.index ? `${options.index}PK` : 'PK';
    const sk = options.index ? `${options.index}SK` : 'SK';
    const condition = options.beginsWith
      ? ' AND begins_with(#sk, :prefix)'
      : options.before
        ? ' AND #sk < :before'
        : options.between
          ? ' AND #sk BETWEEN :from AND :to'
          : '';
    this.roundTrips++;
    this.queries++;
    const output = await this.client.send(
      new QueryCommand({
        TableName: this.name,
        IndexName: options.index,
        KeyConditionExpression: `#pk = :pk${condition}`,
        ExpressionAttributeNames: {
          ...(condition ? { '#pk': pk, '#sk': sk } : { '#pk': pk }),
          ...options.filter?.names,
        },
        ExpressionAttributeValues: {
          ':pk': options.partition,
          ...(options.beginsWith
            ? { ':prefix': options.beginsWith }
            : options.before
              ? { ':before': options.before }
              : options.between
                ? { ':from': options.between[0], ':to': options.between[1] }
                : {}),
          ...options.filter?.values,
        },
        ...(options.filter ? { FilterExpression: options.filter.expression } : {}),
        ScanIndexForward: !options.newestFirst,
        Limit: options.limit,
        ExclusiveStartKey: decodeCursor(
          options.cursor,
          options.partition,
          pk,
          options.beginsWith,
          options.between,
        ),
      }),
    );
    return {
      items: (output.Items ?? []) as T[],
      cursor: output.LastEvaluatedKey ? encodeCursor(output.LastEvaluatedKey) : undefined,
    };
  }

  /**
   * How many items a partition (or index partition) holds, counting at most `limit`: one Query with
   * Select COUNT, so no item is transferred. `more` says the count stopped at the limit.
   */
  async count(options: { index?: 'GSI1' | 'GSI2'; partition: string; limit: number }) {
    const pk = options.index ? `${options.index}PK` : 'PK';
    this.roundTrips++;
    const output = await this.client.send(
      new QueryCommand({
        TableName: this.name,
        IndexName: options.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': pk },
        ExpressionAttributeValues: { ':pk': options.partition },
        Select: 'COUNT',
        Limit: options.limit,
      }),
    );
    return { count: output.Count ?? 0, more: output.LastEvaluatedKey !== undefined };
  }

  async put(
    item: Item,
    condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
  ) {
    assertItemFits(item);
    this.roundTrips++;
    await this.client.send(
      new PutCommand({
        TableName: this.name,
        Item: item,
        ConditionExpression: condition?.expression,
        ExpressionAttributeNames: condition?.names,
        ExpressionAttributeValues: condition?.values,
      }),
    );
  }

  async update(input: Omit<UpdateCommandInput, 'TableName'>) {
    this.roundTrips++;
    return this.client.send(new UpdateCommand({ ...input, TableName: this.name }));
  }

  async delete(key: Key) {
    this.roundTrips++;
    await this.client.send(new DeleteCommand({ TableName: this.name, Key: key }));
  }

  /** Deletes every item of a partition whose sort key starts with `prefix`, page by page (clean-up, not atomic). */
  async deleteAllUnder(partition: string, prefix: string) {
    let cursor: string | undefined;
    do {
      const page = await this.query({ partition, beginsWith: prefix, limit: 100, cursor });
      await this.deleteMany(page.items.map((item) => ({ PK: item.PK, SK: item.SK })));
      cursor = page.cursor;
    } while (cursor);
  }

  /** Deletes many items in BatchWriteItem calls of 25 (not atomic: for clean-up after the atomic part). */
  async deleteMany(keysToDelete: Key[]) {
    await this.writeMany([], keysToDelete);
  }

  /** Puts and deletes in BatchWriteItem calls of 25, retrying what DynamoDB leaves unprocessed (not atomic). */
  async writeMany(puts: Item[], deletes: Key[]) {
    for (const item of puts) assertItemFits(item);
    const requests = [
      ...puts.map((Item) => ({ PutRequest: { Item } })),
      ...deletes.map((Key) => ({ DeleteRequest: { Key } })),
    ];
    for (let start = 0; start < requests.length; start += 25) {
      let request: any = { [this.name]: requests.slice(start, start + 25) };
      for (let attempt = 0; request && attempt < 5; attempt++) {
        this.roundTrips++;
        const output = await this.client.send(new BatchWriteCommand({ RequestItems: request }));
        request = output.UnprocessedItems?.[this.name]?.length ? output.UnprocessedItems : undefined;
      }
    }
  }

  /** All-or-nothing write of up to MAX_TRANSACTION_ITEMS items; TableName is filled in. */
  async transact(items: TransactItem[]): Promise<void> {
    for (const item of items) {
      if (item.Put) assertItemFits(item.Put.Item as Record<string, unknown>);
      // A versioned rewrite sets every attribute, so names and values approximate the whole item.
      if (item.Update)
        assertItemFits({
          ...Object.fromEntries(
            Object.values(item.Update.ExpressionAttributeNames ?? {}).map((name) => [name, '']),
          ),
          ...item.Update.Key,
          values: item.Update.ExpressionAttributeValues ?? {},
        });
    }
    const withTable = items.map((item) => {
      const [kind, params] = Object.entries(item)[0];
      return { [kind]: { ...params, TableName: this.name } } as RawTransactItem;
    });
    // A TransactionConflict (another transaction on the same item in flight) is not a failed
    // condition: retry it a few times with jitter before reporting it.
    for (let attempt = 1; ; attempt++) {
      this.roundTrips++;
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: withTable }));
        return;
      } catch (error) {
        if (
          !(
            error instanceof TransactionCanceledException ||
            (error as Error).name === 'TransactionCanceledException'
          )
        )
          throw error;
        const reasons = ((error as TransactionCanceledException).CancellationReasons ?? []).map(
          (r) => r.Code ?? 'None',
        );
        if (
          reasons.includes('TransactionConflict') &&
          !reasons.includes('ConditionalCheckFailed') &&
          attempt < 4
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
          continue;
        }
        throw new TransactionFailed(reasons);
      }
    }
  }
}

/**
 * Cursors are the LastEvaluatedKey, base64url-encoded JSON. The partition is checked on the way back
 * so a cursor cannot steer a query into another partition.
 */
/** An item's own attributes: without its table and index keys and its type tag. */
export function withoutKeys(item: Item): Record<string, unknown> {
  const { PK: _pk, SK: _sk, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, type: _t, ...rest } = item;
  return rest;
}

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  partition: string,
  pkName: string,
  skPrefix?: string,
  skRange?: readonly [string, string],
) {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly the key attributes DynamoDB returns for this table or index, all strings.
    const expected = pkName === 'PK' ? ['PK', 'SK'] : ['PK', 'SK', pkName, pkName.replace(/PK$/, 'SK')];
    const names = key && typeof key === 'object' && !Array.isArray(key) ? Object.keys(key) : [];
    const shaped = names.length === expected.length && expected.every((name) => names.includes(name));
    const skName = pkName.replace(/PK$/, 'SK');
    if (
      shaped &&
      key[pkName] === partition &&
      // The sort key must lie inside the range the query asks for, or DynamoDB refuses the start key.
      (!skPrefix || (typeof key[skName] === 'string' && key[skName].startsWith(skPrefix))) &&
      (!skRange || (key[skName] >= skRange[0] && key[skName] <= skRange[1])) &&
      Object.values(key).every((v) => typeof v === 'string' && v.length > 0 && v.length < 1024)
    ) {
      return key as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw new InvalidCursor();
}
