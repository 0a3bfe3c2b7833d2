/**
 * What the local front calls dynalite through. Two kinds, one interface:
 * - `InProcessDynalite` (the local runtime): dynalite's own request validation and actions called as
 *   functions on its store, in this process — no HTTP request, no JSON text between the front and
 *   LevelDB. It also serves the same store over HTTP for the operator's tools (data-folder checks,
 *   backup), which are not on the request path.
 * - `HttpBackend`: dynalite (or any DynamoDB-compatible endpoint) over HTTP, as before; tests that
 *   start dynalite's own server use it.
 * Errors come back as WireError either way, with DynamoDB's wire body.
 */

import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { call, errorBody, fromDynaliteError, postRaw, type RawResponse, WireError } from './wire';

export interface Backend {
  /** Calls an operation with a parsed input; a DynamoDB error becomes a WireError. */
  call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T>;
  /** Passes a request body through and returns status and body (errors in the body, not thrown). */
  raw(operation: string, body: string, input?: unknown): Promise<RawResponse>;
}

export class HttpBackend implements Backend {
  constructor(readonly endpoint: URL) {}

  call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T> {
    return call<T>(this.endpoint, operation, input);
  }

  raw(operation: string, body: string): Promise<RawResponse> {
    return postRaw(this.endpoint, operation, body);
  }
}

const require = createRequire(import.meta.url);

/** dynalite's modules, loaded once: the operations it serves, their validations and its store. */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;

type Action = (store: unknown, data: any, cb: (error: Error | null, result?: any) => void) => void;
interface ActionValidation {
  types: Record<string, unknown>;
  custom?: (data: any, store: unknown) => string | undefined;
}

let loaded:
  | {
      db: { create(options: Record<string, unknown>): DynaliteStore };
      validations: {
        checkTypes(data: any, types: unknown): any;
        checkValidations(data: any, types: unknown, custom: unknown, store: unknown): void;
        toLowerFirst(name: string): string;
      };
      actions: Map<string, { action: Action; validation: ActionValidation }>;
    }
  | undefined;

function dynaliteModules() {
  if (!loaded) {
    const validations = require('dynalite/validations');
    const actions = new Map<string, { action: Action; validation: ActionValidation }>();
    for (const operation of OPERATIONS) {
      const name = validations.toLowerFirst(operation);
      actions.set(operation, {
        action: require(`dynalite/actions/${name}`),
        validation: require(`dynalite/validations/${name}`),
      });
    }
    loaded = { db: require('dynalite/db'), validations, actions };
  }
  return loaded;
}

interface DynaliteStore {
  options: Record<string, unknown>;
  getTable(name: string, checkStatus: unknown, cb?: unknown): void;
  db: { close(cb: (error?: Error) => void): void };
  lifecycleManager?: { gracefulClose(cb: (error?: Error) => void): void };
}

export interface InProcessDynaliteOptions {
  /** LevelDB folder; omit for memory. */
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

/** dynalite's store and actions in this process (see the file's comment). */
/** Operations that only read a table's description (every item operation does, first). */
const ITEM_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
]);

export class InProcessDynalite implements Backend {
  private readonly store: DynaliteStore;
  /** The store as item operations see it: its table descriptions cached (see `cachedGetTable`). */
  private readonly itemStore: DynaliteStore;
  private readonly tables = new Map<string, unknown>();
  /** Bumped by every table-level operation: a description read before it is not cached after. */
  private generation = 0;
  private server?: http.Server;
  /** Calls by operation, whoever made them (the front, or an operator's read such as a rebuild's Scan). */
  readonly calls = new Map<string, number>();

  constructor(options: InProcessDynaliteOptions = {}) {
    this.store = dynaliteModules().db.create({ ...options });
    readsWithoutThreadHop(this.store.db as unknown as LevelReads);
    this.itemStore = Object.create(this.store, {
      getTable: {
        value: (name: string, checkStatus: unknown, cb?: unknown) =>
          this.cachedGetTable(name, checkStatus, cb),
      },
    });
  }

  /**
   * dynalite reads a table's description from LevelDB at the start of every item operation (a read
   * and a JSON decode per call). Item operations here get it from memory once the table is ACTIVE;
   * any table-level operation (create, update, delete, tags) empties the cache before and after it,
   * and a description read while one ran is not kept. The objects are dynalite's own; item actions
   * only read them.
   */
  private cachedGetTable(name: string, checkStatus: unknown, cb?: unknown) {
    const callback = (typeof checkStatus === 'function' ? checkStatus : cb) as (
      error: Error | null,
      table?: { TableStatus?: string },
    ) => void;
    const cached = this.tables.get(name);
    if (cached) return callback(null, cached as { TableStatus?: string });
    const generation = this.generation;
    const keep = (error: Error | null, table?: { TableStatus?: string }) => {
      if (!error && table?.TableStatus === 'ACTIVE' && generation === this.generation)
        this.tables.set(name, table);
      callback(error, table);
    };
    // Called as dynalite's actions call it: (name, cb) — which checks the status too — or (name, check, cb).
    if (checkStatus === callback) this.store.getTable(name, keep);
    else this.store.getTable(name, checkStatus, keep);
  }

  /**
   * As dynalite's HTTP handler does: types checked and converted (a copy of the input: dynalite
   * deletes unknown members of what it is given), then validations, then the action. Its answer is
   * a fresh object (items come decoded from LevelDB), so callers may keep it.
   */
  call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T> {
    const modules = dynaliteModules();
    const entry = modules.actions.get(operation);
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    if (!entry) return Promise.reject(wireError(400, 'com.amazon.coral.service#UnknownOperationException'));
    let data: any;
    try {
      data = modules.validations.checkTypes({ ...(input as object) }, entry.validation.types);
      modules.validations.checkValidations(data, entry.validation.types, entry.validation.custom, this.store);
    } catch (error) {
      return Promise.reject(fromDynaliteError(error));
    }
    const tableLevel = !ITEM_OPERATIONS.has(operation);
    if (tableLevel) this.forgetTables();
    return new Promise<T>((resolve, reject) => {
      entry.action(tableLevel ? this.store : this.itemStore, data, (error, result) => {
        if (tableLevel) this.forgetTables();
        if (error) reject(fromDynaliteError(error));
        else resolve(result as T);
      });
    });
  }

  private forgetTables() {
    this.generation++;
    this.tables.clear();
  }

  async raw(operation: string, body: string, input?: unknown): Promise<RawResponse> {
    try {
      if (input === undefined) {
        if (!body) throw wireError(400, 'com.amazon.coral.service#SerializationException');
        input = JSON.parse(body);
      }
      return { status: 200, body: JSON.stringify(await this.call(operation, input)) };
    } catch (error) {
      if (error instanceof WireError) return { status: error.status, body: error.body };
      if (error instanceof SyntaxError)
        return { status: 400, body: errorBody('SerializationException', 'Request body is not valid JSON') };
      throw error;
    }
  }

  /**
   * The same store over HTTP, for the operator's tools that take an endpoint (data-folder checks,
   * backup): the DynamoDB JSON protocol, errors as dynalite sends them.
   */
  async listen(): Promise<URL> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        this.raw(operation, Buffer.concat(chunks).toString('utf8')).then(
          (response) => {
            res.writeHead(response.status, { 'content-type': 'application/x-amz-json-1.0' });
            res.end(response.body);
          },
          (error) => {
            res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
            res.end(errorBody('InternalServerError', String((error as Error)?.message ?? error)));
          },
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return new URL(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}`);
  }

  /** Stops the HTTP endpoint and closes LevelDB once the operations under way are done. */
  async close(): Promise<void> {
    const server = this.server;
    if (server) {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => (error ? reject(error) : resolve());
      if (this.store.lifecycleManager) this.store.lifecycleManager.gracefulClose(done);
      else this.store.db.close(done);
    });
  }
}

interface LevelReads {
  get(key: string, callback?: (error: Error | null, value?: unknown) => void): Promise<unknown> | undefined;
  getSync(key: string): unknown;
  status: string;
}

/**
 * dynalite reads every item, index entry and table description with LevelDB's asynchronous `get`: a
 * hop to libuv's thread pool and back per read, with a snapshot taken on this thread first. For a
 * read that LevelDB answers from its caches and the page cache (this data set, locally), the hop
 * costs several times the read: measured, 20–25 % of the CPU per comment under 32 connections
 * (docs/performance.md). So an open store is read with `getSync` and answered on the next turn, as
 * the asynchronous read would be; while it opens or once closed, reads go the asynchronous way, which
 * waits for the open or answers "closed" as dynalite expects. Writes and range reads stay asynchronous.
 */
function readsWithoutThreadHop(level: LevelReads) {
  const queued = level.get.bind(level);
  level.get = (key, callback) => {
    // Opening (or closed): the queued read waits for it, or answers as dynalite does when closed.
    if (level.status !== 'open') return queued(key, callback);
    let value: unknown;
    let error: Error | null = null;
    try {
      value = level.getSync(key);
    } catch (caught) {
      error =
        (caught as { code?: string }).code === 'LEVEL_DATABASE_NOT_OPEN'
          ? new Error('Database is closed')
          : (caught as Error);
    }
    if (typeof callback === 'function') {
      setImmediate(callback, error, value);
      return undefined;
    }
    return error ? Promise.reject(error) : Promise.resolve(value);
  };
}

function wireError(status: number, type: string, message?: string): WireError {
  const body = JSON.stringify({ __type: type, ...(message ? { message } : {}) });
  return new WireError(status, type.split('#').pop()!, message ?? type.split('#').pop()!, body);
}

/** dynalite's errors carry their HTTP status and wire body; anything else is a bug, passed on. */
