/**
 * Serves the built web client (frontend/dist) with a runtime config.json, as CloudFront + S3 do in AWS.
 * Unknown paths fall back to index.html so client-side routes survive a reload. Every response carries
 * the security headers CloudFront sends (lib/security-headers.ts), Content-Security-Policy included.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { securityHeaders } from '../lib/security-headers';

// The local runtime is plain HTTP on one origin: the sign-in provider is under /oidc, so 'self' covers it.
const SECURITY_HEADERS = securityHeaders({ https: false });

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
) {
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
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  fs.createReadStream(target).pipe(res);
}
