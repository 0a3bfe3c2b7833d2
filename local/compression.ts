/**
 * Compression as CloudFront applies it in front of the deployed app: text responses of 1,000 bytes or
 * more go out Brotli- or gzip-encoded when the client accepts it (CloudFront's own rules: it compresses
 * objects from 1,000 bytes to 10 MB, prefers Brotli). The local server uses this for the web client's
 * assets and for API responses, so what a browser downloads locally is what it downloads in AWS.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

const MIN_BYTES = 1000;
const COMPRESSIBLE = /^(text\/|application\/(json|problem\+json|javascript|x-ndjson)|image\/svg\+xml)/;

/** The encoding to use for a response of this type and size, given the request's Accept-Encoding. */
export function chooseEncoding(
  acceptEncoding: string | undefined,
  contentType: string | undefined,
  bytes: number,
): Encoding | undefined {
  if (bytes < MIN_BYTES || !contentType || !COMPRESSIBLE.test(contentType)) return undefined;
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, '')) > 0)
      .map(([name]) => name.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

export function compress(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(body);
}

/** An API response, compressed when the request allows it (the body is read whole: API bodies are small). */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
  if (!response.body || response.headers.has('content-encoding')) return response;
  const body = Buffer.from(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.append('vary', 'accept-encoding');
  const encoding = chooseEncoding(
    request.headers.get('accept-encoding') ?? undefined,
    headers.get('content-type') ?? undefined,
    body.length,
  );
  if (!encoding) return new Response(new Uint8Array(body), { status: response.status, headers });
  const encoded = compress(body, encoding);
  headers.set('content-encoding', encoding);
  headers.set('content-length', String(encoded.length));
  return new Response(new Uint8Array(encoded), { status: response.status, headers });
}
