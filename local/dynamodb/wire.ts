/**
 * Raw DynamoDB JSON-protocol calls to dynalite. The local front speaks the wire format (attribute
 * values as `{ S: '…' }`) because that is what it receives from the SDK and what stream records carry.
 */
import http from 'node:http';

export type AttributeMap = Record<string, Record<string, unknown>>;

export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly body: string,
  ) {
    super(message);
  }
}

export interface RawResponse {
  status: number;
  body: string;
}

/** Sends one request to the DynamoDB-compatible endpoint and returns status and body untouched. */
export function postRaw(endpoint: URL, operation: string, body: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        path: '/',
        method: 'POST',
        agent: keepAlive,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'content-length': Buffer.byteLength(body),
          // dynalite wants a SigV4-shaped header and a date; it does not check the signature.
          'x-amz-date': '20200101T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 500, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });

/** Calls an operation and parses the JSON answer; a DynamoDB error becomes a WireError. */
export async function call<T = Record<string, unknown>>(
  endpoint: URL,
  operation: string,
  input: unknown,
): Promise<T> {
  const response = await postRaw(endpoint, operation, JSON.stringify(input));
  return parseResponse<T>(response);
}

export function parseResponse<T>(response: RawResponse): T {
  const parsed = response.body ? JSON.parse(response.body) : {};
  if (response.status >= 300) {
    const type = String(parsed.__type ?? 'UnknownError')
      .split('#')
      .pop()!;
    throw new WireError(response.status, type, parsed.message ?? parsed.Message ?? type, response.body);
  }
  return parsed as T;
}

/** An error of dynalite's (status and wire body on it) as a WireError; anything else is passed on. */
export function fromDynaliteError(error: unknown): unknown {
  const { statusCode, body } = (error ?? {}) as {
    statusCode?: number;
    body?: { __type?: string; message?: string; Message?: string };
  };
  if (!statusCode || !body) return error;
  const type = String(body.__type ?? 'UnknownError')
    .split('#')
    .pop()!;
  return new WireError(statusCode, type, body.message ?? body.Message ?? type, JSON.stringify(body));
}

export function errorBody(type: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra });
}

/** A successful answer in the wire format. */
export function ok(body: unknown): RawResponse {
  return { status: 200, body: JSON.stringify(body) };
}

/** A client error (400) in the wire format. */
export function fail(type: string, message: string, extra: Record<string, unknown> = {}): RawResponse {
  return { status: 400, body: errorBody(type, message, extra) };
}
