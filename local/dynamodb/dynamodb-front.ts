/**
 * The local DynamoDB endpoint: an HTTP server that speaks the DynamoDB JSON protocol, forwards to
 * dynalite, and adds what dynalite lacks — TransactWriteItems / TransactGetItems, TTL and a change
 * stream — so application code uses the ordinary SDK commands against it.
 *
 * Every write goes through one FIFO lock. Under the lock the front reads the item before, performs the
 * write, reads it after and appends a stream record, so the stream holds exactly one record per
 * committed change, in commit order, however many requests run concurrently.
 *
 * Transactions check every condition first against a shadow table (a scratch table with the same key
 * schema, loaded with the item's current state), so condition and update expressions are evaluated by
 * dynalite itself rather than by a second, hand-written evaluator. Only when all pass are the writes
 * applied; a failure while applying restores the old images.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeStream } from './change-stream';
import { type AttributeMap, call, errorBody, postRaw, type RawResponse, WireError } from './wire';
import { WriteLock } from './write-lock';

const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

interface TableInfo {
  keyNames: string[];
}

type TransactWriteItem = {
  Put?: Record<string, unknown> & { TableName: string; Item: AttributeMap };
  Update?: Record<string, unknown> & { TableName: string; Key: AttributeMap };
  Delete?: Record<string, unknown> & { TableName: string; Key: AttributeMap };
  ConditionCheck?: Record<string, unknown> & { TableName: string; Key: AttributeMap };
};

export interface DynamoDbFrontOptions {
  /** dynalite's endpoint. */
  backend: URL;
  region?: string;
  /** Directory for stream logs and TTL settings; omit to keep them in memory. */
  stateDirectory?: string;
  /** How often expired TTL items are deleted (AWS does it within days; locally within seconds). */
  ttlSweepMs?: number;
}

export class DynamoDbFront {
  readonly lock = new WriteLock();
  private readonly streams = new Map<string, ChangeStream>();
  private readonly tables = new Map<string, TableInfo>();
  private readonly shadowReady = new Map<string, Promise<string>>();
  private readonly ttlAttributes = new Map<string, string>();
  private readonly recentTransactions = new Map<string, { at: number; body: string }>();
  private server?: http.Server;
  private sweepTimer?: NodeJS.Timeout;
  endpoint?: URL;

  constructor(private readonly options: DynamoDbFrontOptions) {}

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
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections?.();
      this.server ? this.server.close(() => resolve()) : resolve();
    });
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

  private async dispatch(operation: string, input: any, body: string): Promise<RawResponse> {
    const backend = this.options.backend;
    if (SINGLE_WRITES.has(operation)) return this.lock.run(() => this.singleWrite(operation, input, body));
    switch (operation) {
      case 'BatchWriteItem':
        return this.lock.run(() => this.batchWrite(input));
      case 'TransactWriteItems':
        return this.lock.run(() => this.transactWrite(input));
      case 'TransactGetItems':
        return this.lock.run(() => this.transactGet(input));
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

  private async transactGet(input: any) {
    const items = (input.TransactItems ?? []) as { Get: any }[];
    if (items.length === 0 || items.length > 100) {
      return fail('ValidationException', 'TransactItems must have between 1 and 100 items');
    }
    const responses = [];
    for (const { Get } of items) {
      const { TableName, Key, ProjectionExpression, ExpressionAttributeNames } = Get;
      const result = await call<any>(this.options.backend, 'GetItem', {
        TableName,
        Key,
        ConsistentRead: true,
        ...(ProjectionExpression ? { ProjectionExpression, ExpressionAttributeNames } : {}),
      });
      responses.push(result.Item ? { Item: result.Item } : {});
    }
    return ok({ Responses: responses });
  }

  private async transactWrite(input: any): Promise<RawResponse> {
    const items = (input.TransactItems ?? []) as TransactWriteItem[];
    if (items.length === 0 || items.length > 100) {
      return fail('ValidationException', 'TransactItems must have between 1 and 100 items');
    }
    // Idempotency token: a retried request within 10 minutes gets the same answer and writes nothing.
    const token = input.ClientRequestToken as string | undefined;
    if (token) {
      const seen = this.recentTransactions.get(token);
      if (seen && Date.now() - seen.at < 600_000) {
        if (seen.body !== JSON.stringify(items)) {
          return fail(
            'IdempotentParameterMismatchException',
            'ClientRequestToken reused with different parameters',
          );
        }
        return ok({});
      }
    }

    const operations = [];
    const seenKeys = new Set<string>();
    for (const item of items) {
      const [kind, params] = Object.entries(item)[0] as [keyof TransactWriteItem, any];
      if (!params?.TableName)
        return fail('ValidationException', 'Each transaction item needs exactly one operation');
      const keys = await this.keyOf(params.TableName, kind === 'Put' ? params.Item : params.Key);
      const identity = `${params.TableName}|${JSON.stringify(keys)}`;
      if (seenKeys.has(identity)) {
        return fail(
          'ValidationException',
          'Transaction request cannot include multiple operations on one item',
        );
      }
      seenKeys.add(identity);
      operations.push({ kind, params, table: params.TableName as string, keys });
    }

    // 1. Read current state and evaluate every condition on the shadow copy.
    const befores: (AttributeMap | undefined)[] = [];
    const reasons: Record<string, unknown>[] = [];
    for (const op of operations) {
      const before = await this.getItem(op.table, op.keys);
      befores.push(before);
      reasons.push(await this.checkOnShadow(op.kind, op.params, op.keys, before));
    }
    if (reasons.some((reason) => reason.Code !== 'None')) {
      const codes = reasons.map((reason) => reason.Code).join(', ');
      return fail(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
        { CancellationReasons: reasons },
      );
    }

    // 2. Apply; conditions still hold because we hold the write lock.
    const applied: number[] = [];
    try {
      for (const [index, op] of operations.entries()) {
        if (op.kind === 'ConditionCheck') continue;
        const { ReturnValuesOnConditionCheckFailure: _ignored, ...params } = op.params;
        const operation = op.kind === 'Put' ? 'PutItem' : op.kind === 'Update' ? 'UpdateItem' : 'DeleteItem';
        await call(this.options.backend, operation, params);
        applied.push(index);
      }
    } catch (error) {
      for (const index of applied.reverse())
        await this.restore(operations[index].table, operations[index].keys, befores[index]);
      if (error instanceof WireError && error.status < 500) return { status: error.status, body: error.body };
      throw error;
    }

    // 3. One stream record per changed item, in transaction order.
    for (const [index, op] of operations.entries()) {
      if (op.kind === 'ConditionCheck') continue;
      this.stream(op.table).append(op.keys, befores[index], await this.getItem(op.table, op.keys));
    }
    if (token) {
      this.recentTransactions.set(token, { at: Date.now(), body: JSON.stringify(items) });
      if (this.recentTransactions.size > 10_000) this.recentTransactions.clear();
    }
    return ok({});
  }

  /** Runs one transaction operation against a shadow copy of the item and reports its cancellation reason. */
  private async checkOnShadow(
    kind: keyof TransactWriteItem,
    params: any,
    keys: AttributeMap,
    before?: AttributeMap,
  ) {
    const shadow = await this.shadowTable(params.TableName);
    const backend = this.options.backend;
    if (before) await call(backend, 'PutItem', { TableName: shadow, Item: before });
    else await call(backend, 'DeleteItem', { TableName: shadow, Key: keys });

    const { ReturnValuesOnConditionCheckFailure, TableName: _table, ...rest } = params;
    const shadowParams = { ...rest, TableName: shadow };
    try {
      if (kind === 'Put') await call(backend, 'PutItem', shadowParams);
      else if (kind === 'Update') await call(backend, 'UpdateItem', shadowParams);
      else if (kind === 'Delete') await call(backend, 'DeleteItem', shadowParams);
      else {
        const { Key, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } =
          shadowParams;
        if (!ConditionExpression)
          throw new WireError(
            400,
            'ValidationException',
            'ConditionCheck needs a ConditionExpression',
            errorBody('ValidationException', 'ConditionCheck needs a ConditionExpression'),
          );
        await call(backend, 'DeleteItem', {
          TableName: shadow,
          Key,
          ConditionExpression,
          ExpressionAttributeNames,
          ExpressionAttributeValues,
        });
      }
      return { Code: 'None' };
    } catch (error) {
      if (error instanceof WireError && error.type === 'ConditionalCheckFailedException') {
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before ? { Item: before } : {}),
        };
      }
      throw error; // validation errors fail the whole request, as in DynamoDB
    }
  }

  private async restore(table: string, keys: AttributeMap, before?: AttributeMap) {
    if (before) await call(this.options.backend, 'PutItem', { TableName: table, Item: before });
    else await call(this.options.backend, 'DeleteItem', { TableName: table, Key: keys });
  }

  private shadowTable(table: string): Promise<string> {
    let ready = this.shadowReady.get(table);
    if (!ready) {
      ready = (async () => {
        const name = `${SHADOW_PREFIX}${table}`;
        const { Table } = await call<any>(this.options.backend, 'DescribeTable', { TableName: table });
        try {
          await call(this.options.backend, 'CreateTable', {
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            KeySchema: Table.KeySchema,
            AttributeDefinitions: Table.AttributeDefinitions.filter((a: any) =>
              Table.KeySchema.some((k: any) => k.AttributeName === a.AttributeName),
            ),
          });
        } catch (error) {
          if (!(error instanceof WireError && error.type === 'ResourceInUseException')) throw error;
        }
        await waitForActive(this.options.backend, name);
        return name;
      })();
      ready.catch(() => this.shadowReady.delete(table));
      this.shadowReady.set(table, ready);
    }
    return ready;
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
          await this.lock.run(async () => {
            const keys = await this.keyOf(table, item);
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

const SHADOW_PREFIX = '__txshadow.';

function isShadow(table: string) {
  return typeof table === 'string' && table.startsWith(SHADOW_PREFIX);
}

async function waitForActive(backend: URL, table: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await call<any>(backend, 'DescribeTable', { TableName: table });
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${table} did not become active`);
}

function ok(body: unknown): RawResponse {
  return { status: 200, body: JSON.stringify(body) };
}

function fail(type: string, message: string, extra: Record<string, unknown> = {}): RawResponse {
  return { status: 400, body: errorBody(type, message, extra) };
}

let requestCounter = 0;
function cryptoId() {
  return `local-${Date.now().toString(36)}-${(requestCounter++).toString(36)}`;
}
