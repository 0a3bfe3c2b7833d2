/**
 * `npm run bench:scale:tree [-- --reps 30]`: the wiki's page tree at 10, 500 and 5,000 pages, over the
 * real local runtime (in memory), through the HTTP API with a real token. Per size it prints p50, p95
 * and the DynamoDB requests (counted at the local front) of:
 * - the top level, as the tree opens (first 100 entries), and a page's children (one level);
 * - for comparison, the old way the client loaded the tree: every page, 100 per request;
 * and how 20 pages created under one parent at once, 6 at a time, fare (409s, latency).
 *
 * The pages are written straight into the table with their tree nodes (as the page service writes
 * them): a tenth at the top level, the rest 50 below each of the first top-level pages.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Item } from '../../functions/data/table';
import { pageItem, pageNodeItem } from '../../functions/domain/wiki/page';
import { startLocalRuntime } from '../../local/runtime';
import { percentile } from '../search/corpus';

const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 30;
const SIZES = [10, 500, 5000];
const PER_PARENT = 50;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-bench-tree-'));
const rt = await startLocalRuntime({ port: 0, dataDir, inMemory: true });
const token = await rt.token('alice');

async function api(method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${rt.url}/api${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

function page(spaceId: string, id: string, parentId?: string): Item {
  const at = new Date().toISOString();
  return pageItem({
    id,
    spaceId,
    title: id.replace(/-/g, ' '),
    ...(parentId ? { parentId } : {}),
    body: `Some text of ${id}. `.repeat(40),
    html: `<p>${`Some text of ${id}. `.repeat(40)}</p>`,
    text: `Some text of ${id}.`,
    excerpt: `Some text of ${id}.`,
    tags: [],
    links: [],
    createdBy: 'alice',
    createdByName: 'Alice',
    updatedBy: 'alice',
    updatedByName: 'Alice',
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
}

async function plant(spaceId: string, size: number) {
  const created = await api('POST', '/spaces', { id: spaceId, name: `Wiki of ${size}` });
  if (created.status !== 201) throw new Error(JSON.stringify(created));
  const top = Math.max(5, Math.round(size / 10));
  const pages: Item[] = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < top; i++) pages.push(page(spaceId, `top-${String(i).padStart(4, '0')}`));
  for (let i = 0; i < size - top; i++) {
    const parent = `top-${String(Math.floor(i / PER_PARENT)).padStart(4, '0')}`;
    counts.set(parent, (counts.get(parent) ?? 0) + 1);
    pages.push(page(spaceId, `child-${String(i).padStart(5, '0')}`, parent));
  }
  const nodes = pages.map((item) => pageNodeItem(item as never, counts.get(item.id as string) ?? 0));
  await rt.table.writeMany([...pages, ...nodes], []);
  await rt.drain();
}

/** Requests to the local front while `work` runs, by operation. */
async function requestsOf(work: () => Promise<unknown>) {
  await rt.drain();
  const before = rt.front.requestCounts();
  await work();
  const after = rt.front.requestCounts();
  const by = Object.entries(after)
    .filter(([op]) => op !== 'total')
    .map(([op, n]) => [op, n - ((before as Record<string, number>)[op] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  return {
    total: after.total - before.total,
    by: by.map(([op, n]) => `${n} ${op}`).join(' + '),
  };
}

async function timed(work: () => Promise<unknown>, times: number) {
  for (let i = 0; i < 3; i++) await work();
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const began = performance.now();
    await work();
    ms.push(performance.now() - began);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function everyPage(spaceId: string) {
  let cursor: string | undefined;
  let calls = 0;
  do {
    const answer = await api('GET', `/spaces/${spaceId}/pages?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    calls++;
    cursor = answer.body.cursor;
  } while (cursor);
  return calls;
}

const rows: string[] = [];
for (const size of SIZES) {
  const spaceId = `tree-${size}`;
  console.log(`Planting ${size} pages…`);
  await plant(spaceId, size);
  const reads: [string, () => Promise<unknown>, number][] = [
    ['top level (first 100)', () => api('GET', `/spaces/${spaceId}/page-tree?limit=100`), reps],
    ['children of a page', () => api('GET', `/spaces/${spaceId}/page-tree?parent=top-0000&limit=100`), reps],
    ['old: every page, 100 per request', () => everyPage(spaceId), Math.max(5, Math.round(reps / 3))],
  ];
  for (const [name, work, times] of reads) {
    const cost = await requestsOf(work);
    const time = await timed(work, times);
    const line = `| ${name} | ${size} | ${time.p50.toFixed(1)} ms | ${time.p95.toFixed(1)} ms | ${cost.total} (${cost.by}) |`;
    console.log(line);
    rows.push(line);
  }
}

// 20 creations under one parent, 6 at a time.
await api('POST', '/spaces/tree-10/pages', { title: 'Busy parent', body: '' });
const statuses: number[] = [];
const latencies: number[] = [];
for (let start = 0; start < 20; start += 6) {
  await Promise.all(
    Array.from({ length: Math.min(6, 20 - start) }, async (_, i) => {
      const began = performance.now();
      const answer = await api('POST', '/spaces/tree-10/pages', {
        title: `Busy child ${start + i}`,
        body: '',
        parentId: 'busy-parent',
      });
      latencies.push(performance.now() - began);
      statuses.push(answer.status);
    }),
  );
}

console.log('\n| read | pages | p50 | p95 | DynamoDB requests |\n| --- | --- | --- | --- | --- |');
for (const line of rows) console.log(line);
console.log(
  `\n20 pages created under one parent, 6 at a time: ${statuses.filter((s) => s === 201).length} created, ${statuses.filter((s) => s === 409).length} conflicts (409); p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`,
);
await rt.close();
fs.rmSync(dataDir, { recursive: true, force: true });
