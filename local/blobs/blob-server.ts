/**
 * The local stand-in for S3 and the download distribution: an HTTP server of its own, on its own origin
 * (`http://127.0.0.1:<port>`; the app is `http://localhost:<port>`), so a file can never run script in
 * the app's origin. It takes the signed upload forms of LocalBlobStore with S3's rules (one key, one
 * Content-Type, the exact size, an expiry; 403 otherwise, nothing stored) and serves signed download
 * links with the Content-Type and Content-Disposition fixed by the signature, `nosniff`, and a CSP that
 * sandboxes whatever is opened directly. CORS answers only the app's origin, as the bucket's does.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalBlobStore } from '../../functions/blobs/local-blob-store';
import { contentDisposition } from '../../functions/domain/attachments/file-name';

export interface BlobServer {
  origin: string;
  close(): Promise<void>;
}

/** What a multipart form adds around the file, at most (field names, the policy, boundaries). */
const FORM_OVERHEAD = 64 * 1024;

export async function startBlobServer(options: {
  store: LocalBlobStore;
  /** The app's origin: the only one CORS answers. */
  appOrigin: () => string;
  /** Largest file the API grants (the body is refused beyond it before it is read). */
  maxBytes: () => number;
  port?: number;
}): Promise<BlobServer> {
  const { store } = options;
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && origin === options.appOrigin()) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    res.setHeader('x-content-type-options', 'nosniff');
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'OPTIONS') {
      if (origin === options.appOrigin()) {
        res.setHeader('access-control-allow-methods', 'POST, GET');
        res.setHeader('access-control-max-age', '600');
      }
      return void res.writeHead(204).end();
    }
    if (req.method === 'POST' && url.pathname === '/upload') return void upload(req, res);
    if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith('/blobs/'))
      return download(req, res, url);
    refuse(res, 404, 'No such resource');
  });

  async function upload(req: http.IncomingMessage, res: http.ServerResponse) {
    const limit = options.maxBytes() + FORM_OVERHEAD;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (!(declared <= limit)) {
      req.resume();
      return refuse(res, 413, 'The request is larger than any upload may be (or has no Content-Length)');
    }
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of req) {
      received += chunk.length;
      if (received > limit) return refuse(res, 413, 'The request is larger than any upload may be');
      chunks.push(chunk);
    }
    let form: FormData;
    try {
      form = await new Response(Buffer.concat(chunks), {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
    } catch {
      return refuse(res, 400, 'The upload must be multipart/form-data: the form fields, then `file`');
    }
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const policy = store.verifyUpload({ policy: field('policy'), signature: field('signature') });
    if (typeof policy === 'string') return refuse(res, 403, policy);
    if (field('key') !== policy.key)
      return refuse(res, 403, 'The form may only write the key it was signed for');
    if (field('Content-Type') !== policy.contentType)
      return refuse(res, 403, `The form may only store a file of type ${policy.contentType}`);
    const file = form.get('file');
    if (!file || typeof file === 'string') return refuse(res, 400, 'The form has no file');
    if (file.size !== policy.size)
      return refuse(res, 400, `The file is ${file.size} bytes; the form allows exactly ${policy.size}`);
    store.write(policy.key, new Uint8Array(await file.arrayBuffer()));
    res.writeHead(204).end();
  }

  function download(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const key = decodeURIComponent(url.pathname.slice('/blobs/'.length));
    const grant = store.verifyDownload(key, url.searchParams.get('grant'), url.searchParams.get('sig'));
    if (typeof grant === 'string') return refuse(res, 403, grant);
    let file: string;
    let size: number;
    try {
      file = store.pathOf(key);
      size = fs.statSync(file).size;
    } catch {
      return refuse(res, 404, 'No such file');
    }
    res.writeHead(200, {
      'content-type': grant.type,
      'content-length': size,
      'content-disposition': contentDisposition(grant.name, grant.inline),
      'cache-control': `private, max-age=${Math.max(0, Math.floor((grant.expires - Date.now()) / 1000))}`,
      // Opened on its own, nothing in it runs or loads: a sandboxed, opaque origin with no sources.
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      'referrer-policy': 'no-referrer',
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store.baseUrl = origin;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function refuse(res: http.ServerResponse, status: number, detail: string) {
  if (res.headersSent) return void res.end();
  res
    .writeHead(status, { 'content-type': 'application/problem+json', connection: 'close' })
    .end(JSON.stringify({ title: http.STATUS_CODES[status], status, detail }));
}
