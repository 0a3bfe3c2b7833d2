/**
 * The few OpenSearch APIs the adapter calls, on the official client's transport layer
 * (`@opensearch-project/opensearch/lib/Transport`: connection pool, retries, serializer, and the
 * client's own SigV4 signer). The full `Client` registers every API namespace OpenSearch has and adds
 * ~220 KiB to each Lambda bundle; this keeps the official request machinery at a fraction of that.
 * Method names and parameters mirror the Client's, so the adapter reads the same.
 */
import { EventEmitter } from 'node:events';
import { stringify } from 'node:querystring';
import Connection from '@opensearch-project/opensearch/lib/Connection.js';
import { DeserializationError, SerializationError } from '@opensearch-project/opensearch/lib/errors.js';
import { ConnectionPool } from '@opensearch-project/opensearch/lib/pool/index.js';
import Transport from '@opensearch-project/opensearch/lib/Transport.js';

export interface ApiResponse<T = any> {
  body: T;
  statusCode: number | null;
}

type Json = Record<string, unknown>;
type Indices = string | string[];

interface TransportClasses {
  Connection?: unknown;
  Transport?: unknown;
}

const path = (index: Indices) =>
  `/${encodeURIComponent([index].flat().join(','))}`.replaceAll('%2C', ',').replaceAll('%2A', '*');

/**
 * The transport's serializer contract on plain JSON. The client's own Serializer brings json11 (long
 * numerals as BigInt, switched off unless asked for, but bundled all the same) and secure-json-parse,
 * ~29 KiB of every bundle, for nothing this adapter needs:
 * every number it sends or reads is a safe integer or a score, and parsed bodies are only read, never
 * merged into other objects (where a `__proto__` key could matter).
 */
export const jsonSerializer = {
  serialize(value: unknown): string {
    try {
      return JSON.stringify(value);
    } catch (error) {
      throw new SerializationError((error as Error).message, value);
    }
  },
  deserialize(json: string): unknown {
    try {
      return JSON.parse(json);
    } catch (error) {
      throw new DeserializationError((error as Error).message, json);
    }
  },
  ndserialize(lines: unknown[]): string {
    if (!Array.isArray(lines)) throw new SerializationError('The argument provided is not an array', lines);
    return lines
      .map((line) => `${typeof line === 'string' ? line : jsonSerializer.serialize(line)}\n`)
      .join('');
  },
  /** Query strings as OpenSearch reads them: lists comma-separated, undefined values left out. */
  qserialize(query: Json | string | null | undefined): string {
    if (query == null) return '';
    if (typeof query === 'string') return query;
    const defined = Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : value]);
    return stringify(Object.fromEntries(defined) as Record<string, string>);
  },
};

export class OpenSearchHttp {
  private readonly transport: any;
  private readonly pool: any;

  /** `classes` are the signer's Connection/Transport (from AwsSigv4Signer) when requests are signed. */
  constructor(node: string, classes: TransportClasses = {}) {
    const events = new EventEmitter();
    const emit = events.emit.bind(events);
    const TransportClass = (classes.Transport ?? Transport) as any;
    this.pool = new (ConnectionPool as any)({
      Connection: classes.Connection ?? Connection,
      emit,
      resurrectStrategy: 'ping',
      pingTimeout: 3000,
      sniffEnabled: false,
    });
    this.pool.addConnection(node);
    this.transport = new TransportClass({
      emit,
      connectionPool: this.pool,
      serializer: jsonSerializer,
      maxRetries: 3,
      requestTimeout: 30_000,
      sniffInterval: false,
      sniffOnStart: false,
      sniffOnConnectionFault: false,
      compression: false,
      headers: {},
      name: 'commonplace',
    });
  }

  private request<T>(
    method: string,
    requestPath: string,
    params: { body?: unknown; bulkBody?: unknown[]; querystring?: Json } = {},
    options: { ignore?: number[] } = {},
  ): Promise<ApiResponse<T>> {
    return this.transport.request({ method, path: requestPath, ...params }, options);
  }

  readonly indices = {
    create: ({ index, body }: { index: string; body?: unknown }) =>
      this.request('PUT', path(index), { body }),
    delete: ({ index }: { index: Indices }) => this.request('DELETE', path(index)),
    getAlias: ({ index }: { index: Indices }) =>
      this.request<Record<string, { aliases: Json }>>('GET', `${path(index)}/_alias`),
    putSettings: ({ index, body }: { index: Indices; body: unknown }) =>
      this.request('PUT', `${path(index)}/_settings`, { body }),
    refresh: ({ index }: { index: Indices }) => this.request('POST', `${path(index)}/_refresh`),
    updateAliases: ({ body }: { body: unknown }) => this.request('POST', '/_aliases', { body }),
  };

  bulk({ body }: { body: unknown[] }) {
    return this.request<{ errors: boolean; items: Json[] }>('POST', '/_bulk', { bulkBody: body });
  }

  count({ index }: { index: Indices }) {
    return this.request<{ count: number }>('GET', `${path(index)}/_count`);
  }

  search({ index, body }: { index: Indices; body: unknown }) {
    return this.request<any>('POST', `${path(index)}/_search`, { body });
  }

  get({ index, id }: { index: string; id: string }, options: { ignore?: number[] } = {}) {
    return this.request<any>('GET', `${path(index)}/_doc/${encodeURIComponent(id)}`, {}, options);
  }

  updateByQuery({
    index,
    body,
    ...querystring
  }: {
    index: Indices;
    body: unknown;
    conflicts?: string;
    refresh?: boolean;
  }) {
    return this.request<any>('POST', `${path(index)}/_update_by_query`, { body, querystring });
  }

  deleteByQuery({
    index,
    body,
    ...querystring
  }: {
    index: Indices;
    body: unknown;
    conflicts?: string;
    refresh?: boolean;
  }) {
    return this.request<any>('POST', `${path(index)}/_delete_by_query`, { body, querystring });
  }

  async close() {
    await this.pool.empty();
  }
}
