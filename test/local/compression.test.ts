/**
 * The local server compresses as CloudFront does in front of the deployed app: text of 1,000 bytes or
 * more is sent Brotli- or gzip-encoded when the client accepts it, smaller or binary responses as they
 * are — for API answers (over the real local runtime) and for the web client's files.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chooseEncoding } from '../../local/compression';
import { serveStatic } from '../../local/static-files';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** A raw GET (fetch would decode the body itself and hide what was sent). */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        })
        .on('error', reject);
    },
  );
}

describe('chooseEncoding', () => {
  it.each([
    ['br, gzip', 'application/json', 5000, 'br'],
    ['gzip, deflate', 'text/javascript; charset=utf-8', 5000, 'gzip'],
    ['gzip;q=0, br;q=0', 'text/html', 5000, undefined],
    ['br', 'text/html', 999, undefined],
    ['br', 'image/png', 5000, undefined],
    [undefined, 'application/json', 5000, undefined],
  ])('Accept-Encoding %s, %s, %i bytes → %s', (accept, type, bytes, expected) => {
    expect(chooseEncoding(accept, type, bytes)).toBe(expected);
  });
});

describe('the API over the local runtime', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  }, 60_000);
  afterAll(() => rt?.close());

  it('sends a large JSON answer gzip-encoded when asked, and as it is when not', async () => {
    const zipped = await get(`${rt.url}/api/openapi.json`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    const document = JSON.parse(gunzipSync(zipped.body).toString('utf8')) as { openapi: string };
    expect(document.openapi).toBe('3.1.0');
    const plain = await get(`${rt.url}/api/openapi.json`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(document);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
  });

  it('leaves a small answer alone', async () => {
    const health = await get(`${rt.url}/api/health`, { 'accept-encoding': 'br, gzip' });
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});

describe('the web client files', () => {
  let server: http.Server;
  let url: string;
  let root: string;
  const script = `console.log(${JSON.stringify('commonplace '.repeat(400))});\n`;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-static-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), script);
    fs.writeFileSync(path.join(root, 'assets', 'logo.png'), Buffer.alloc(4000, 7));
    server = http.createServer((req, res) => serveStatic(req, res, root, {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('sends scripts Brotli-encoded to a browser that accepts it, with the security headers', async () => {
    const response = await get(`${url}/assets/app.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(brotliDecompressSync(response.body).toString('utf8')).toBe(script);
  });

  it('sends images and small files as they are', async () => {
    const image = await get(`${url}/assets/logo.png`, { 'accept-encoding': 'br' });
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.body.length).toBe(4000);
    const index = await get(`${url}/`, { 'accept-encoding': 'br' });
    expect(index.headers['content-encoding']).toBeUndefined();
  });
});
