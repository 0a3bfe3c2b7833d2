/**
 * AWS Signature Version 4 for S3, over node:crypto: the presigned POST policy (browser uploads), the
 * presigned GET (downloads) and signed headers for the few REST calls the adapter makes. Written here
 * because `@aws-sdk/client-s3`, `s3-presigned-post` and `s3-request-presigner` are not dependencies
 * (and would add ~300 KiB to the Lambda); the algorithm is the one in the S3 API reference, "Signature
 * Calculations for the Authorization Header" / "Query String Authentication" / "POST policy".
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** `20261130T081500Z` and `20261130`. */
export function amzDate(at: Date): { dateTime: string; date: string } {
  const dateTime = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return { dateTime, date: dateTime.slice(0, 8) };
}

export function signingKey(secret: string, date: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it (`/` kept in paths when asked). */
export function uriEncode(value: string, keepSlash = false): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(keepSlash ? /%2F/g : /$^/, '/');
}

function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${uriEncode(name)}=${uriEncode(query[name])}`)
    .join('&');
}

/**
 * A presigned GET of `https://<host>/<key>` valid for `expiresIn` seconds, with the `response-*`
 * overrides S3 then answers with (Content-Type, Content-Disposition, Cache-Control).
 */
export function presignGet(options: {
  host: string;
  key: string;
  region: string;
  credentials: Credentials;
  expiresIn: number;
  now: Date;
  responseHeaders?: Record<string, string>;
}): string {
  const { dateTime, date } = amzDate(options.now);
  const scope = `${date}/${options.region}/s3/aws4_request`;
  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${options.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': dateTime,
    'X-Amz-Expires': String(options.expiresIn),
    'X-Amz-SignedHeaders': 'host',
    ...(options.credentials.sessionToken ? { 'X-Amz-Security-Token': options.credentials.sessionToken } : {}),
    ...options.responseHeaders,
  };
  const path = `/${uriEncode(options.key, true)}`;
  const canonical = [
    'GET',
    path,
    canonicalQuery(query),
    `host:${options.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', dateTime, scope, sha256Hex(canonical)].join('\n');
  const signature = hmac(
    signingKey(options.credentials.secretAccessKey, date, options.region),
    toSign,
  ).toString('hex');
  return `https://${options.host}${path}?${canonicalQuery(query)}&X-Amz-Signature=${signature}`;
}

/**
 * The fields of a presigned POST (browser-based upload with a POST policy): the policy pins the bucket,
 * the exact key, the Content-Type and the content-length range, and expires.
 */
export function presignPost(options: {
  bucket: string;
  key: string;
  contentType: string;
  minBytes: number;
  maxBytes: number;
  region: string;
  credentials: Credentials;
  expiresAt: Date;
  now: Date;
}): Record<string, string> {
  const { dateTime, date } = amzDate(options.now);
  const credential = `${options.credentials.accessKeyId}/${date}/${options.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: options.key,
    'Content-Type': options.contentType,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': dateTime,
    ...(options.credentials.sessionToken ? { 'X-Amz-Security-Token': options.credentials.sessionToken } : {}),
  };
  const policy = {
    expiration: options.expiresAt.toISOString(),
    conditions: [
      { bucket: options.bucket },
      ['eq', '$key', options.key],
      ['eq', '$Content-Type', options.contentType],
      ['content-length-range', options.minBytes, options.maxBytes],
      ...Object.entries(fields)
        .filter(([name]) => name.startsWith('X-Amz-'))
        .map(([name, value]) => ({ [name.toLowerCase()]: value })),
    ],
  };
  const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
  const signature = hmac(
    signingKey(options.credentials.secretAccessKey, date, options.region),
    encoded,
  ).toString('hex');
  return { ...fields, Policy: encoded, 'X-Amz-Signature': signature };
}

/** Signed headers for one S3 REST request (payload unsigned: the calls here send no body). */
export function signRequest(options: {
  method: string;
  host: string;
  key: string;
  region: string;
  credentials: Credentials;
  now: Date;
  headers?: Record<string, string>;
}): Record<string, string> {
  const { dateTime, date } = amzDate(options.now);
  const headers: Record<string, string> = {
    host: options.host,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-amz-date': dateTime,
    ...(options.credentials.sessionToken ? { 'x-amz-security-token': options.credentials.sessionToken } : {}),
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    options.method,
    `/${uriEncode(options.key, true)}`,
    '',
    names.map((name) => `${name}:${headers[name].trim()}\n`).join(''),
    names.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${date}/${options.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', dateTime, scope, sha256Hex(canonical)].join('\n');
  const signature = hmac(
    signingKey(options.credentials.secretAccessKey, date, options.region),
    toSign,
  ).toString('hex');
  const { host: _host, ...rest } = headers;
  return {
    ...rest,
    authorization: `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
