/**
 * Serves the built web client (frontend/dist) with a runtime config.json, as CloudFront + S3 do in AWS.
 * Unknown paths fall back to index.html so client-side routes survive a reload. Every response carries
 * the security headers CloudFront sends (lib/security-headers.ts), Content-Security-Policy included,
 * and text is compressed as CloudFront compresses it (compression.ts).
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { securityHeaders } from '../lib/security-headers';
import { chooseEncoding, compress, type Encoding } from './compression';

// The local runtime is plain HTTP on one origin: the sign-in provider is under /oidc, so 'self' covers it.
// The blob server (files) has an origin of its own, added per runtime (serveStatic's `fileOrigins`).
const headersByFileOrigin = new Map<string, Record<string, string>>();
function headersFor(fileOrigins: string[]) {
  const key = fileOrigins.join(' ');
  let headers = headersByFileOrigin.get(key);
  if (!headers) {
    headers = securityHeaders({ https: false, fileOrigins });
    headersByFileOrigin.set(key, headers);
  }
  return headers;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function serveStatic(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  root: string,
  config: Record<string, string>,
  fileOrigins: string[] = [],
) {
  const SECURITY_HEADERS = headersFor(fileOrigins);
  const pathname = decodeURIComponent((req.url ?? '/').split('?')[0]);
  if (pathname === '/config.json') {
    res
      .writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'application/json',
        'cache-control': 'no-store',
      })
      .end(JSON.stringify(config));
    return;
  }
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) {
    res
      .writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' })
      .end(
        '<!doctype html><html lang="en"><title>Commonplace</title><h1>Commonplace is running</h1>' +
          '<p>The web client has not been built yet. The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></html>',
      );
    return;
  }
  const file = path.normalize(path.join(root, pathname));
  const inside = file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
  const target = inside ? file : index;
  const immutable = inside && pathname.startsWith('/assets/');
  const contentType = TYPES[path.extname(target)] ?? 'application/octet-stream';
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
  };
  const stat = fs.statSync(target);
  const encoding = chooseEncoding(req.headers['accept-encoding'], contentType, stat.size);
  if (!encoding) {
    res.writeHead(200, headers);
    fs.createReadStream(target).pipe(res);
    return;
  }
  const body = compressedFile(target, stat.mtimeMs, encoding);
  res
    .writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': String(body.length) })
    .end(body);
}

/** Compressed files, kept while the file is unchanged (assets are immutable; index.html rarely changes). */
const compressedFiles = new Map<string, { mtimeMs: number; body: Buffer }>();

function compressedFile(file: string, mtimeMs: number, encoding: Encoding): Buffer {
  const key = `${encoding}:${file}`;
  const cached = compressedFiles.get(key);
  if (cached?.mtimeMs === mtimeMs) return cached.body;
  const body = compress(fs.readFileSync(file), encoding);
  compressedFiles.set(key, { mtimeMs, body });
  return body;
}
