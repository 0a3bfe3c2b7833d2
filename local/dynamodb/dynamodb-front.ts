/**
 * The local DynamoDB endpoint: an HTTP server that speaks the DynamoDB JSON protocol, forwards to
 * dynalite, and adds what dynalite lacks — TransactWriteItems / TransactGetItems (transactions.ts), TTL
 * and a change stream — so application code uses the ordinary SDK commands against it. The front
 * routes each request: writes under their items' locks, the rest straight through to dynalite.
 *
 * Every write holds the lock of each item it touches (write-lock.ts). Under it the front reads the item
 * before, performs the write, reads it after and appends a stream record, so the stream holds exactly
 * one record per committed change, in commit order per item, however many requests run concurrently;
 * writes to different items do not queue behind each other.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ChangeStream } from './change-stream';
import { TransactionJournal } from './transaction-journal';
import { isShadow, Transactions } from './transactions';
import { type AttributeMap, call, errorBody, fail, ok, postRaw, type RawResponse, WireError } from './wire';
import { KeyLocks } from './write-lock';

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const WRITES = new Set([...SINGLE_WRITES, 'BatchWriteItem', 'TransactWriteItems']);

interface TableInfo {
  keyNames: string[];
}

export interface DynamoDbFrontOptions {
  /** dynalite's endpoint. */
  backend: URL;
  region?: string;
  /** Directory for stream logs and TTL settings; omit to keep them in memory. */
  stateDirectory?: string;
  /** How often expired TTL items are deleted (AWS does it within days; locally within seconds). */
  ttlSweepMs?: number;
  /** Tests only: called at each point between a transaction's writes (transactions.ts). */
  transactionStep?: (point: string) => void;
}

export class DynamoDbFront {
  readonly locks = new KeyLocks();
  private writeGate?: { promise: Promise<void> };
  private writesUnderWay = 0;
  private writesDone: (() => void)[] = [];
  private readonly streams = new Map<string, ChangeStream>();
  private readonly tables = new Map<string, TableInfo>();
  private readonly ttlAttributes = new Map<string, string>();
  private readonly transactions: Transactions;
  private server?: http.Server;
  private sweepTimer?: NodeJS.Timeout;
  endpoint?: URL;
  /**
   * Requests received, by operation (GetItem, Query, TransactWriteItems, …): what benchmarks and tests
   * count to show a read's cost in DynamoDB requests, whoever sent them.
   */
  readonly requests = new Map<string, number>();

  constructor(private readonly options: DynamoDbFrontOptions) {
    this.transactions = new Transactions({
      backend: options.backend,
      keyOf: (table, item) => this.keyOf(table, item),
      getItem: (table, keys) => this.getItem(table, keys),
      stream: (table) => this.stream(table),
      // With a state directory, transactions keep an intent journal beside the stream logs.
      ...(options.stateDirectory
        ? { journal: new TransactionJournal(path.join(options.stateDirectory, 'transactions')) }
        : {}),
      step: options.transactionStep,
    });
  }

  /**
   * Completes or rolls back the transactions a crash interrupted. Call before serving requests: it
   * takes no locks, since nothing else writes yet.
   */
  recoverTransactions() {
    return this.transactions.recover();
  }

  async listen(port = 0): Promise<URL> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(errorBody('InternalServerError', String(error?.message ?? error)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    this.endpoint = new URL(`http://127.0.0.1:${bound}`);
    this.sweepTimer = setInterval(
      () => void this.sweepExpired().catch(() => undefined),
      this.options.ttlSweepMs ?? 5000,
    );
    this.sweepTimer.unref();
    return this.endpoint;
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    for (const stream of this.streams.values()) stream.close();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections?.();
      this.server ? this.server.close(() => resolve()) : resolve();
    });
  }

  /** Requests received so far, by operation, with their total. */
  requestCounts(): Record<string, number> & { total: number } {
    const counts = Object.fromEntries(this.requests);
    return { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  }

  /** The change stream of a table (created on first use). */
  stream(tableName: string): ChangeStream {
    let stream = this.streams.get(tableName);
    if (!stream) {
      stream = new ChangeStream(tableName, this.options.region ?? 'local', this.options.stateDirectory);
      this.streams.set(tableName, stream);
    }
    return stream;
  }

  /** Enables TTL on a table, as UpdateTimeToLive does. */
  enableTtl(tableName: string, attributeName: string) {
    this.ttlAttributes.set(tableName, attributeName);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    this.requests.set(operation, (this.requests.get(operation) ?? 0) + 1);

    let response: RawResponse;
    try {
      const input = body ? JSON.parse(body) : {};
      response = await this.dispatch(operation, input, body);
    } catch (error) {
      response =
        error instanceof WireError
          ? { status: error.status, body: error.body }
          : error instanceof SyntaxError
            ? { status: 400, body: errorBody('SerializationException', 'Request body is not valid JSON') }
            : { status: 500, body: errorBody('InternalServerError', (error as Error).message) };
    }
    res.writeHead(response.status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': cryptoId(),
    });
    res.end(response.body);
  }

  /**
   * Runs `work` with writes paused: new writes wait, the ones under way finish first. A backup reads
   * the table inside it, so it sees one consistent point (no transaction half applied).
   */
  async pauseWrites<T>(work: () => Promise<T>): Promise<T> {
    while (this.writeGate) await this.writeGate.promise;
    let open!: () => void;
    this.writeGate = { promise: new Promise<void>((resolve) => (open = resolve)) };
    try {
      while (this.writesUnderWay > 0) await new Promise<void>((resolve) => this.writesDone.push(resolve));
      return await work();
    } finally {
      this.writeGate = undefined;
      open();
    }
  }

  private async dispatch(operation: string, input: any, body: string): Promise<RawResponse> {
    if (!WRITES.has(operation)) return this.dispatchNow(operation, input, body);
    while (this.writeGate) await this.writeGate.promise;
    this.writesUnderWay++;
    try {
      return await this.dispatchNow(operation, input, body);
    } finally {
      this.writesUnderWay--;
      if (this.writesUnderWay === 0) for (const resolve of this.writesDone.splice(0)) resolve();
    }
  }

  private async dispatchNow(operation: string, input: any, body: string): Promise<RawResponse> {
    const backend = this.options.backend;
    if (SINGLE_WRITES.has(operation)) {
      const keys = await this.keyOf(input.TableName, operation === 'PutItem' ? input.Item : input.Key);
      return this.locks.run([lockKey(input.TableName, keys)], () => this.singleWrite(operation, input, body));
    }
    switch (operation) {
      case 'BatchWriteItem':
        return this.locks.run(await this.batchLockKeys(input), () => this.batchWrite(input));
      case 'TransactWriteItems':
        return this.locks.run(await this.transactionLockKeys(input), () => this.transactions.write(input));
      case 'TransactGetItems':
        return this.locks.run(await this.transactionLockKeys(input), () => this.transactions.get(input));
      case 'UpdateTimeToLive': {
        const spec = input.TimeToLiveSpecification ?? {};
        await call(backend, 'DescribeTable', { TableName: input.TableName });
        if (spec.Enabled) this.ttlAttributes.set(input.TableName, spec.AttributeName);
        else this.ttlAttributes.delete(input.TableName);
        return ok({ TimeToLiveSpecification: spec });
      }
      case 'DescribeTimeToLive': {
        await call(backend, 'DescribeTable', { TableName: input.TableName });
        const attribute = this.ttlAttributes.get(input.TableName);
        return ok({
          TimeToLiveDescription: attribute
            ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute }
            : { TimeToLiveStatus: 'DISABLED' },
        });
      }
      case 'DescribeTable': {
        const described = await call<any>(backend, 'DescribeTable', input);
        if (!isShadow(input.TableName)) {
          described.Table.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
          described.Table.LatestStreamArn = this.stream(input.TableName).arn;
        }
        return ok(described);
      }
      case 'DeleteTable':
        this.tables.delete(input.TableName);
        return postRaw(backend, operation, body);
      default:
        return postRaw(backend, operation, body);
    }
  }

  private async singleWrite(operation: string, input: any, body: string) {
    const table = input.TableName as string;
    const keys = await this.keyOf(table, operation === 'PutItem' ? input.Item : input.Key);
    const before = await this.getItem(table, keys);
    const response = await postRaw(this.options.backend, operation, body);
    if (response.status === 200) {
      const after = await this.getItem(table, keys);
      this.stream(table).append(keys, before, after);
    }
    return response;
  }

  /** BatchWriteItem as individual writes under the lock; everything is processed, nothing left unprocessed. */
  private async batchWrite(input: any) {
    const requests = Object.entries((input.RequestItems ?? {}) as Record<string, any[]>);
    const count = requests.reduce((n, [, list]) => n + list.length, 0);
    if (count === 0 || count > 25) {
      return fail('ValidationException', 'Too many items requested for the BatchWriteItem call');
    }
    // As DynamoDB does, refuse the whole batch before writing anything when a key is malformed or
    // the same item appears twice.
    const planned: { table: string; request: any; keys: AttributeMap }[] = [];
    const seen = new Set<string>();
    for (const [table, list] of requests) {
      for (const request of list) {
        const keys = await this.keyOf(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key);
        const identity = `${table}|${JSON.stringify(keys)}`;
        if (seen.has(identity))
          return fail('ValidationException', 'Provided list of item keys contains duplicates');
        seen.add(identity);
        planned.push({ table, request, keys });
      }
    }
    for (const { table, request, keys } of planned) {
      const before = await this.getItem(table, keys);
      if (request.PutRequest)
        await call(this.options.backend, 'PutItem', { TableName: table, Item: request.PutRequest.Item });
      else
        await call(this.options.backend, 'DeleteItem', {
          TableName: table,
          Key: request.DeleteRequest.Key,
        });
      this.stream(table).append(keys, before, await this.getItem(table, keys));
    }
    return ok({ UnprocessedItems: {} });
  }

  /**
   * The lock keys of a transaction's items. A malformed item gets none: the transaction then fails its
   * validation before it writes anything, so it needs no lock.
   */
  private async transactionLockKeys(input: any): Promise<string[]> {
    const lockKeys: string[] = [];
    for (const item of (input?.TransactItems ?? []) as Record<string, any>[]) {
      const [kind, params] = Object.entries(item ?? {})[0] ?? [];
      if (!params?.TableName) continue;
      try {
        lockKeys.push(
          lockKey(
            params.TableName,
            await this.keyOf(params.TableName, kind === 'Put' ? params.Item : params.Key),
          ),
        );
      } catch {
        // validated (and refused) inside the transaction
      }
    }
    return lockKeys;
  }

  private async batchLockKeys(input: any): Promise<string[]> {
    const lockKeys: string[] = [];
    for (const [table, list] of Object.entries((input?.RequestItems ?? {}) as Record<string, any[]>)) {
      for (const request of Array.isArray(list) ? list : []) {
        try {
          lockKeys.push(
            lockKey(table, await this.keyOf(table, request?.PutRequest?.Item ?? request?.DeleteRequest?.Key)),
          );
        } catch {
          // refused by batchWrite before anything is written
        }
      }
    }
    return lockKeys;
  }

  private async keyOf(table: string, item: AttributeMap | undefined): Promise<AttributeMap> {
    let info = this.tables.get(table);
    if (!info) {
      const { Table } = await call<any>(this.options.backend, 'DescribeTable', { TableName: table });
      info = { keyNames: Table.KeySchema.map((k: any) => k.AttributeName) };
      this.tables.set(table, info);
    }
    const keys: AttributeMap = {};
    for (const name of info.keyNames) {
      if (!item?.[name]) {
        throw new WireError(
          400,
          'ValidationException',
          'The provided key element does not match the schema',
          errorBody('ValidationException', 'The provided key element does not match the schema'),
        );
      }
      keys[name] = item[name];
    }
    return keys;
  }

  private async getItem(table: string, keys: AttributeMap): Promise<AttributeMap | undefined> {
    const result = await call<{ Item?: AttributeMap }>(this.options.backend, 'GetItem', {
      TableName: table,
      Key: keys,
      ConsistentRead: true,
    });
    return result.Item;
  }

  /** Deletes items whose TTL attribute lies in the past, as the DynamoDB TTL service does. */
  async sweepExpired(now = Math.floor(Date.now() / 1000)): Promise<number> {
    let deleted = 0;
    for (const [table, attribute] of this.ttlAttributes) {
      let startKey: AttributeMap | undefined;
      do {
        // A Scan is right here: this is the TTL service's background sweep, not a request path.
        const page: any = await call(this.options.backend, 'Scan', {
          TableName: table,
          FilterExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': attribute },
          ExpressionAttributeValues: { ':now': { N: String(now) } },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        });
        for (const item of page.Items ?? []) {
          const keys = await this.keyOf(table, item);
          await this.locks.run([lockKey(table, keys)], async () => {
            const before = await this.getItem(table, keys);
            const expiry = Number((before?.[attribute] as { N?: string } | undefined)?.N);
            if (!before || !(expiry < now)) return; // changed since the scan
            await call(this.options.backend, 'DeleteItem', { TableName: table, Key: keys });
            this.stream(table).append(keys, before, undefined, true);
            deleted++;
          });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return deleted;
  }
}

/** The lock of one item: its table and key attributes (in key-schema order, so one spelling per item). */
function lockKey(table: string, keys: AttributeMap): string {
  return `${table}|${JSON.stringify(keys)}`;
}

let requestCounter = 0;
function cryptoId() {
  return `local-${Date.now().toString(36)}-${(requestCounter++).toString(36)}`;
}
