/**
 * The few OpenSearch REST calls the adapter makes, sent with the AWS SDK's own HTTP machinery: the
 * SDK's Node HTTP handler (keep-alive, timeouts) and its SigV4 signer, which every Lambda bundle carries
 * already for DynamoDB. The official OpenSearch client's transport did the same job with ~60 KiB more
 * to load in the search and indexer Lambdas, about a quarter of their cold start over the SDK floor
 * (docs/performance.md); the tests still use the official client as an independent check of what
 * this adapter writes. Method names and parameters mirror the client's, so the adapter reads the same.
 */

import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { readText } from '../../platform/signed-post';

export interface ApiResponse<T = any> {
  body: T;
  statusCode: number;
}

type Json = Record<string, unknown>;
type Indices = string | string[];

/** An answer of OpenSearch with an error status; `meta` as the official client reports it. */
export class OpenSearchResponseError extends Error {
  constructor(readonly meta: { statusCode: number; body: unknown }) {
    super(`OpenSearch answered ${meta.statusCode}`);
    this.name = 'ResponseError';
  }
}

export interface OpenSearchHttpOptions {
  /** Sign every request with SigV4 for Amazon OpenSearch Service (`es`) in this region. */
  sigv4?: { region: string; credentials: AwsCredentialIdentityProvider };
  /** Retries after a connection failure or a 502/503/504. @default 3 */
  maxRetries?: number;
  /** @default 30 s */
  requestTimeoutMs?: number;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

const path = (index: Indices) =>
  `/${encodeURIComponent([index].flat().join(','))}`.replaceAll('%2C', ',').replaceAll('%2A', '*');

export class OpenSearchHttp {
  private readonly endpoint: URL;
  private readonly handler: NodeHttpHandler;
  private readonly signer?: SignatureV4;
  private readonly maxRetries: number;

  constructor(node: string, options: OpenSearchHttpOptions = {}) {
    this.endpoint = new URL(node);
    this.handler = new NodeHttpHandler({
      connectionTimeout: 3_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
    });
    this.maxRetries = options.maxRetries ?? 3;
    if (options.sigv4)
      this.signer = new SignatureV4({
        service: 'es',
        region: options.sigv4.region,
        credentials: options.sigv4.credentials,
        sha256: Sha256,
      });
  }

  private async request<T>(
    method: string,
    requestPath: string,
    params: {
      body?: unknown;
      bulkBody?: unknown[];
      querystring?: Record<string, string | boolean | undefined>;
    } = {},
    options: { ignore?: number[] } = {},
  ): Promise<ApiResponse<T>> {
    const body = params.bulkBody
      ? params.bulkBody.map((line) => `${typeof line === 'string' ? line : JSON.stringify(line)}\n`).join('')
      : params.body === undefined
        ? undefined
        : JSON.stringify(params.body);
    const query = Object.fromEntries(
      Object.entries(params.querystring ?? {})
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, String(value)]),
    );
    const request = new HttpRequest({
      method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : undefined,
      path: requestPath,
      query,
      headers: {
        host: this.endpoint.host,
        ...(body === undefined
          ? {}
          : {
              'content-type': params.bulkBody ? 'application/x-ndjson' : 'application/json',
              'content-length': String(Buffer.byteLength(body)),
            }),
      },
      body,
    });

    for (let attempt = 0; ; attempt++) {
      let statusCode: number;
      let text: string;
      try {
        const signed = this.signer ? ((await this.signer.sign(request)) as HttpRequest) : request;
        const { response } = await this.handler.handle(signed);
        statusCode = response.statusCode;
        text = await readText(response.body);
      } catch (error) {
        if (attempt < this.maxRetries) {
          await pause(attempt);
          continue;
        }
        throw error;
      }
      if (RETRYABLE_STATUS.has(statusCode) && attempt < this.maxRetries) {
        await pause(attempt);
        continue;
      }
      const parsed = text ? parseJson(text) : undefined;
      if (statusCode >= 400 && !options.ignore?.includes(statusCode))
        throw new OpenSearchResponseError({ statusCode, body: parsed });
      return { body: parsed as T, statusCode };
    }
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
    this.handler.destroy();
  }
}

/** Answers are JSON; one that is not (a proxy's HTML error page) is kept as text for the error. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text.slice(0, 500) };
  }
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
