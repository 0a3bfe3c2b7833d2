/**
 * `npm run bench:bookmarks [links]`: through the local runtime's HTTP API, import a Netscape file of
 * 10,000 links as an import job (upload to the blob store, start, poll until done; then the same file
 * again: nothing added), then list mine at 10,000 saved, page after page: p50/p95 of a list page and
 * the DynamoDB requests each page makes (counted at the table).
 */
import fs from 'node:fs';
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
    const call = async (method: string, pathname: string, body?: unknown) => {
      const response = await fetch(`${rt.url}/api${pathname}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<any>;
    };
    // The import as the web client runs it: the file to the blob store with the form the API grants,
    // the job started (202), its progress polled until it ends. The worker writes with its own Table:
    // its requests are read from the job's counts and the worker's table, not the API's.
    const importJob = async (file: string) => {
      const grant = await call('POST', '/me/bookmarks/imports/uploads', { size: Buffer.byteLength(file) });
      const form = new FormData();
      for (const [name, value] of Object.entries(grant.upload.fields as Record<string, string>))
        form.append(name, value);
      form.append('file', new Blob([file], { type: 'text/html' }));
      const sent = await fetch(grant.upload.url, { method: 'POST', body: form });
      if (!sent.ok) throw new Error(`upload: ${sent.status} ${await sent.text()}`);
      const started = performance.now();
      let job = await call('POST', '/me/bookmarks/imports', { uploadId: grant.uploadId });
      let polls = 0;
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = await call('GET', `/me/bookmarks/imports/${job.id}`);
        polls++;
      }
      return { job, ms: performance.now() - started, polls };
    };
    const file = bookmarkFile(links);
    const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const loadBefore = load();
    const first = await importJob(file);
    const second = await importJob(file);

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
      load: { before: loadBefore, after: load() },
      import: {
        ms: Math.round(first.ms),
        status: first.job.status,
        counts: first.job.counts,
        polls: first.polls,
      },
      reimport: {
        ms: Math.round(second.ms),
        status: second.job.status,
        counts: second.job.counts,
        polls: second.polls,
      },
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
