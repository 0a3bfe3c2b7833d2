// What the local broker and the local partner identity providers share: their HTML pages, the signing
// key kept under the data folder, mounting an oidc-provider instance under a path of the local server,
// and silencing oidc-provider's notices that say nothing actionable here.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { JWK } from 'oidc-provider';
import { escapeHtml } from '../../functions/domain/content/escape-html';
import { writeFileAtomic } from '../atomic-file';
import { readJsonState } from '../state-file';

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
fieldset{border:0;padding:0;margin:0 0 1.5rem}legend{font-weight:600;margin-bottom:.5rem}ul{list-style:none;padding:0}
li button{display:block;width:100%;text-align:left;padding:.75rem 1rem;margin:.25rem 0;font:inherit;cursor:pointer;
border:1px solid #888;border-radius:.375rem;background:#fff}li button span{display:block;color:#444;font-size:.9em}
button:focus-visible,input:focus-visible{outline:3px solid #1a56db;outline-offset:2px}.error{color:#a40000;font-weight:600}
label{display:block;margin-bottom:.25rem}input[type=email]{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #666;border-radius:.375rem}
.row{display:flex;gap:.5rem;margin-top:.5rem}.cancel,.continue{font:inherit;padding:.5rem 1rem}
</style></head><body><main>${body}</main></body></html>`;
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: the sign-in form redirects on to the client's redirect URI, which may be elsewhere.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

export function errorPage(message: string): string {
  return page('Sign-in error', `<h1>Sign-in error</h1><p role="alert">${escapeHtml(message)}</p>`);
}

export async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('request body too large');
  }
  return body;
}

/**
 * Makes a request whose URL still carries the mount path (e.g. `/idp/acme/auth`) look like one to the
 * root of the provider: `req.url` loses the prefix and `req.originalUrl` keeps the full URL, which is
 * how oidc-provider learns its mount path when it builds endpoint URLs (the connect/express convention).
 */
export function unmount(req: IncomingMessage, mountPath: string): void {
  const originalUrl = req.url ?? '/';
  if (mountPath && originalUrl.startsWith(mountPath)) {
    Object.assign(req, { originalUrl });
    req.url = originalUrl.slice(mountPath.length) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
  }
}

/**
 * An RS256 signing key made on first start and kept under `.data/identity/`, so tokens issued before
 * a restart still verify after it (and `npm run token` output stays usable).
 */
export function loadOrCreateSigningKey(dir: string, name = 'signing-key.json'): JWK {
  const file = path.join(dir, name);
  const saved = readJsonState<JWK>(
    file,
    'a local sign-in signing key',
    'Delete it to make a new key (tokens issued before stop verifying: sign in again), or restore the data folder from a backup (`npm run restore -- <file>`).',
  );
  if (saved) return saved;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' } as JWK;
  mkdirSync(dir, { recursive: true });
  // Atomic, so a crash never leaves a half-written key behind.
  writeFileAtomic(file, JSON.stringify(jwk), 0o600);
  return jwk;
}

/**
 * oidc-provider prints notices that say nothing actionable here: it asks for Node 22 (it runs fine
 * on the Node 20 we develop on) and warns that its in-memory adapter loses state on restart, which
 * is intended locally. Everything else it prints is let through.
 */
export async function withoutKnownNotices<T>(fn: () => T | Promise<T>): Promise<T> {
  const known = ['Unsupported runtime', 'in-memory adapter'];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && known.some((notice) => (args[0] as string).includes(notice))) return;
    warn.apply(console, args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

/** Distinct cookie names per issuer: several providers share one host, and `_session` is path `/`. */
export function cookieNames(prefix: string) {
  return { session: `${prefix}_session`, interaction: `${prefix}_interaction`, resume: `${prefix}_resume` };
}
