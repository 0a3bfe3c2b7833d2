/**
 * `npm run bench:bookmarks [links]`: through the local runtime's HTTP API, import a Netscape file of
 * 10,000 links (then the same file again: nothing added), then list mine at 10,000 saved, page after
 * page: p50/p95 of a list page and the DynamoDB requests each page makes (counted at the table).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startLocalRuntime } from '../../local/runtime';
import { seedDemoData } from '../../local/seed';
import { percentile } from '../search/corpus';

const links = Number(process.argv[2] ?? 10_000);
const listSamples = Number(process.argv[3] ?? 200);

function bookmarkFile(n: number) {
  const lines = ['<!DOCTYPE NETSCAPE-Bookmark-file-1>', '<TITLE>Bookmarks</TITLE>', '<DL><p>'];
  for (let i = 0; i < n; i++)
    lines.push(
      `<DT><A HREF="https://bench.example/item/${i}?utm_source=x" ADD_DATE="${1_600_000_000 + i}" TAGS="bench,group${i % 20}">Bench item ${i}</A>`,
      `<DD>Description ${i}`,
    );
  lines.push('</DL><p>');
  return lines.join('\n');
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-bench-'));
  process.env.LOG_LEVEL = 'WARN';
  const rt = await startLocalRuntime({ port: 0, dataDir, inMemory: true });
  try {
    await seedDemoData(rt.table);
    const token = await rt.token('bob');
    // node:http rather than fetch: an import of 10,000 links on a busy machine can outlast fetch's
    // five-minute header timeout.
    const call = (method: string, pathname: string, body?: string) =>
      new Promise<any>((resolve, reject) => {
        const request = http.request(
          `${rt.url}/api${pathname}`,
          { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/html' } },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              response.statusCode === 200
                ? resolve(JSON.parse(text))
                : reject(new Error(`${pathname}: ${response.statusCode} ${text}`)),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    const file = bookmarkFile(links);
    let t0 = performance.now();
    let writes = rt.table.roundTrips;
    const first = await call('POST', '/me/bookmarks/import', file);
    const importMs = performance.now() - t0;
    const importRequests = rt.table.roundTrips - writes;
    t0 = performance.now();
    writes = rt.table.roundTrips;
    const second = await call('POST', '/me/bookmarks/import', file);
    const reimportMs = performance.now() - t0;
    const reimportRequests = rt.table.roundTrips - writes;

    const times: number[] = [];
    const requests: number[] = [];
    const queries: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < listSamples; i++) {
      const before = { all: rt.table.roundTrips, queries: rt.table.queries };
      const start = performance.now();
      const page = await call('GET', `/me/bookmarks?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      times.push(performance.now() - start);
      requests.push(rt.table.roundTrips - before.all);
      queries.push(rt.table.queries - before.queries);
      cursor = page.cursor;
    }
    const result = {
      links,
      import: { ms: Math.round(importMs), imported: first.imported, requests: importRequests },
      reimport: { ms: Math.round(reimportMs), imported: second.imported, requests: reimportRequests },
      listMine: {
        saved: links,
        pages: listSamples,
        pageSize: 20,
        p50ms: Number(percentile(times, 50).toFixed(1)),
        p95ms: Number(percentile(times, 95).toFixed(1)),
        requestsPerPage: [...new Set(requests)],
        queriesPerPage: [...new Set(queries)],
      },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await rt.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
