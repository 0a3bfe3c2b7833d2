/**
 * The local DynamoDB endpoint: an HTTP server that speaks the DynamoDB JSON protocol, forwards to
 * dynalite, and adds what dynalite lacks — TransactWriteItems / TransactGetItems (transactions.ts), TTL
 * and a change stream — so application code uses the ordinary SDK commands against it. The front
 * routes each request: writes under their items' locks, the rest straight through to dynalite.
 *
 * Every write holds the lock of each item it touches (write-lock.ts). Under it the front learns the
 * item before and after the write and appends a stream record, so the stream holds exactly one record
 * per committed change, in commit order per item, however many requests run concurrently; writes to
 * different items do not queue behind each other. Before and after come with the write where dynalite
 * can give them (a Put or Delete returns the old item, an Update the new one), so most writes are one
 * or two dynalite calls, not three. In the local runtime dynalite runs in this process
 * (backend.ts: its actions called as functions), so those calls are not HTTP requests either.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../functions/data/table';
import { type Backend, HttpBackend } from './backend';
import { ChangeStream } from './change-stream';
import { TransactionJournal } from './transaction-journal';
import { isShadow, plain, Transactions } from './transactions';
import { type AttributeMap, errorBody, fail, ok, type RawResponse, WireError } from './wire';
import { KeyLocks } from './write-lock';

/**
 * A TTL sweep scans the whole table (about 5 s of CPU at 100k items): the next starts only when the last
 * is done, and after a pause of at least this many times its duration — at most ~5% of the time sweeping.
 * Sweeps once ran every 5 s whether or not the last had finished, and at 100k items they piled up.
 */
export const TTL_SWEEP_PAUSE_FACTOR = 20;

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const WRITES = new Set([...SINGLE_WRITES, 'BatchWriteItem', 'TransactWriteItems']);

interface TableInfo {
  keyNames: string[];
  /** DescribeTable's description, for checking transaction items against the schema. */
  description: unknown;
}

export interface DynamoDbFrontOptions {
  /** dynalite: in this process (backend.ts, the local runtime) or its HTTP endpoint. */
  backend: Backend | URL;
  region?: string;
  /** Directory for stream logs and TTL settings; omit to keep them in memory. */
  stateDirectory?: string;
  /**
   * How long between TTL sweeps (AWS deletes expired items within days; locally within seconds on a
   * small table). A sweep scans the whole table, so the pause after one is at least
   * TTL_SWEEP_PAUSE_FACTOR times what it took: on a large table the sweep stays a small share of the CPU.
   */
  ttlSweepMs?: number;
  /** The TTL sweep waits for `startTtlSweep()` instead of starting with `listen()` (the runtime: after ready). */
  deferTtlSweep?: boolean;
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
  private readonly backend: Backend;
  private server?: http.Server;
  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;
  private closed = false;
  endpoint?: URL;
  /**
   * Requests received, by operation (GetItem, Query, TransactWriteItems, …): what benchmarks and tests
   * count to show a read's cost in DynamoDB requests, whoever sent them.
   */
  readonly requests = new Map<string, number>();

  constructor(private readonly options: DynamoDbFrontOptions) {
    this.backend = options.backend instanceof URL ? new HttpBackend(options.backend) : options.backend;
    this.transactions = new Transactions({
      backend: this.backend,
      keyOf: (table, item) => this.keyOf(table, item),
      describe: async (table) => (await this.tableInfo(table)).description,
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
    if (!this.options.deferTtlSweep) this.startTtlSweep();
    return this.endpoint;
  }

  /** Starts the periodic TTL sweep (once; `listen()` does it unless `deferTtlSweep`). */
  startTtlSweep() {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    const every = this.options.ttlSweepMs ?? 5000;
    const schedule = (delay: number) => {
      if (this.closed) return;
      this.sweepTimer = setTimeout(async () => {
        const began = performance.now();
        await this.sweepExpired().catch(() => undefined);
        schedule(Math.max(every, TTL_SWEEP_PAUSE_FACTOR * (performance.now() - began)));
      }, delay);
      this.sweepTimer.unref();
    };
    schedule(every);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.sweepTimer);
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
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const response = await this.respond(operation, Buffer.concat(chunks).toString('utf8'));
    res.writeHead(response.status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': cryptoId(),
    });
    res.end(response.body);
  }

  /** One request of the DynamoDB JSON protocol, counted, answered in the wire format. */
  private async respond(operation: string, body: string): Promise<RawResponse> {
    this.requests.set(operation, (this.requests.get(operation) ?? 0) + 1);
    try {
      const input = body ? JSON.parse(body) : {};
      return await this.dispatch(operation, input, body);
    } catch (error) {
      return error instanceof WireError
        ? { status: error.status, body: error.body }
        : error instanceof SyntaxError
          ? { status: 400, body: errorBody('SerializationException', 'Request body is not valid JSON') }
          : { status: 500, body: errorBody('InternalServerError', (error as Error).message) };
    }
  }

  /**
   * A DocumentClient (functions/data/table.ts) whose requests this front handles in process, through
   * `requestHandler()`; after `listen()`, whose endpoint stays its URL. Local credentials: the front
   * checks no signature.
   */
  documentClient(config: Pick<DynamoDBClientConfig, 'maxAttempts'> = {}) {
    if (!this.endpoint) throw new Error('The front is not listening yet: call listen() first');
    return createDocumentClient({
      endpoint: this.endpoint.toString(),
      requestHandler: this.requestHandler(),
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...config,
    });
  }

  /**
   * An SDK request handler (the client's `requestHandler`) that hands each request to this front in
   * this process: the same requests, counted and answered as over HTTP, without a socket between
   * the SDK and the front. The local runtime's own client uses it; anything else uses the endpoint.
   */
  requestHandler() {
    return {
      metadata: { handlerProtocol: 'in-process' },
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '';
        const body =
          typeof request.body === 'string'
            ? request.body
            : request.body instanceof Uint8Array
              ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString(
                  'utf8',
                )
              : '';
        const response = await this.respond(String(target).split('.')[1] ?? '', body);
        return {
          response: {
            statusCode: response.status,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': cryptoId() },
            body: Buffer.from(response.body),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
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
    const backend = this.backend;
    if (SINGLE_WRITES.has(operation)) {
      const keys = await this.keyOf(input.TableName, operation === 'PutItem' ? input.Item : input.Key);
      return this.locks.run([lockKey(input.TableName, keys)], () => this.singleWrite(operation, input, keys));
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
        await backend.call('DescribeTable', { TableName: input.TableName });
        if (spec.Enabled) this.ttlAttributes.set(input.TableName, spec.AttributeName);
        else this.ttlAttributes.delete(input.TableName);
        return ok({ TimeToLiveSpecification: spec });
      }
      case 'DescribeTimeToLive': {
        await backend.call('DescribeTable', { TableName: input.TableName });
        const attribute = this.ttlAttributes.get(input.TableName);
        return ok({
          TimeToLiveDescription: attribute
            ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute }
            : { TimeToLiveStatus: 'DISABLED' },
        });
      }
      case 'DescribeTable': {
        const described = await backend.call<any>('DescribeTable', input);
        if (!isShadow(input.TableName)) {
          described.Table.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
          described.Table.LatestStreamArn = this.stream(input.TableName).arn;
        }
        return ok(described);
      }
      case 'DeleteTable':
      case 'UpdateTable':
        this.tables.delete(input.TableName);
        return backend.raw(operation, body, input);
      default:
        return backend.raw(operation, body, input);
    }
  }

  /**
   * One write, with the item before and after it for the stream record: a Put or Delete asks for the
   * old item (ALL_OLD) and knows the new one (the item put; none); an Update reads the old item and
   * asks for the new (ALL_NEW). What the caller asked to get back is answered as it asked; when it
   * asked for something else (UPDATED_OLD, …) the front reads before and after instead.
   */
  private async singleWrite(operation: string, input: any, keys: AttributeMap): Promise<RawResponse> {
    const table = input.TableName as string;
    const asked = input.ReturnValues as string | undefined;
    let before: AttributeMap | undefined;
    let after: AttributeMap | undefined;
    let result: { Attributes?: AttributeMap };
    try {
      if (operation !== 'UpdateItem' && (asked === undefined || asked === 'NONE' || asked === 'ALL_OLD')) {
        result = await this.backend.call(operation, { ...input, ReturnValues: 'ALL_OLD' });
        before = result.Attributes;
        after = operation === 'PutItem' ? input.Item : undefined;
        if (asked !== 'ALL_OLD') delete result.Attributes;
      } else if (
        operation === 'UpdateItem' &&
        (asked === undefined || asked === 'NONE' || asked === 'ALL_NEW')
      ) {
        before = await this.getItem(table, keys);
        result = await this.backend.call(operation, { ...input, ReturnValues: 'ALL_NEW' });
        after = plain(result.Attributes);
        if (asked !== 'ALL_NEW') delete result.Attributes;
      } else {
        before = await this.getItem(table, keys);
        result = await this.backend.call(operation, input);
        after = await this.getItem(table, keys);
      }
    } catch (error) {
      if (error instanceof WireError) return { status: error.status, body: error.body };
      throw error;
    }
    this.stream(table).append(keys, before, after);
    return ok(result);
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
      // One call per item: the old item comes back with the write (ALL_OLD), the new one is known.
      const { Attributes: before } = request.PutRequest
        ? await this.backend.call<{ Attributes?: AttributeMap }>('PutItem', {
            TableName: table,
            Item: request.PutRequest.Item,
            ReturnValues: 'ALL_OLD',
          })
        : await this.backend.call<{ Attributes?: AttributeMap }>('DeleteItem', {
            TableName: table,
            Key: request.DeleteRequest.Key,
            ReturnValues: 'ALL_OLD',
          });
      this.stream(table).append(keys, before, request.PutRequest ? request.PutRequest.Item : undefined);
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

  private async tableInfo(table: string): Promise<TableInfo> {
    let info = this.tables.get(table);
    if (!info) {
      const { Table } = await this.backend.call<any>('DescribeTable', { TableName: table });
      info = { keyNames: Table.KeySchema.map((k: any) => k.AttributeName), description: Table };
      this.tables.set(table, info);
    }
    return info;
  }

  private async keyOf(table: string, item: AttributeMap | undefined): Promise<AttributeMap> {
    const info = await this.tableInfo(table);
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
    const result = await this.backend.call<{ Item?: AttributeMap }>('GetItem', {
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
      // Only the keys and the expiry come back: the sweep reads every item, and keeps none.
      const { keyNames } = await this.tableInfo(table);
      const names = Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name]));
      do {
        // A Scan is right here: this is the TTL service's background sweep, not a request path.
        const page: any = await this.backend.call('Scan', {
          TableName: table,
          FilterExpression: '#ttl < :now',
          ProjectionExpression: [...Object.keys(names), '#ttl'].join(', '),
          ExpressionAttributeNames: { '#ttl': attribute, ...names },
          ExpressionAttributeValues: { ':now': { N: String(now) } },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        });
        for (const item of page.Items ?? []) {
          const keys = await this.keyOf(table, item);
          await this.locks.run([lockKey(table, keys)], async () => {
            const before = await this.getItem(table, keys);
            const expiry = Number((before?.[attribute] as { N?: string } | undefined)?.N);
            if (!before || !(expiry < now)) return; // changed since the scan
            await this.backend.call('DeleteItem', { TableName: table, Key: keys });
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
