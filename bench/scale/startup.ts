/**
 * `npm run bench:scale:startup [-- --items 100000] [--runs 3]`: how long `npm start` takes to be ready,
 * and its resident memory, over a data folder of N items — cold (no search index snapshot: the index is
 * rebuilt from a table scan) and warm (the snapshot is loaded, then the stream is caught up).
 *
 * The data folder (`.bench/startup-<N>/`) is built once and reused: spaces and published posts from the
 * search benchmark's corpus (bench/search/corpus.ts), written straight into the local table's store
 * (as data older than the stream's 24 h retention would be, so the stream log is empty). Each start is
 * `node local/start.mjs` (what `npm start` runs: the web client checked, the runtime's bundle,
 * built before the first run), timed from spawn to the ready message; memory is the process's VmRSS at
 * that moment, and its peak (VmHWM).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDocumentClient, type Item } from '../../functions/data/table';
import { createTableInput } from '../../functions/data/table-definition';
import { DIRECTORY_MIGRATION } from '../../functions/domain/people/directory-backfill';
import { postItem } from '../../functions/domain/posts/post';
import { spaceItem } from '../../functions/domain/spaces/space';
import { PAGE_TREE_MIGRATION } from '../../functions/domain/wiki/page-tree-backfill';
import { snapshotPath } from '../../local/search-snapshot';
import { buildBundle, bundleIsFresh } from '../../local/start.mjs';
import { generateCorpus, percentile } from '../search/corpus';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const items = option('items', 100_000);
const runs = option('runs', 3);
/** Cold starts take minutes on a busy machine: `--cold-runs 0` measures warm starts over the snapshot already there. */
const coldRuns = option('cold-runs', runs);
const dataDir = path.resolve(`.bench/startup-${items}`);
const TABLE = 'commonplace';
/** The corpus's spaces (bench/search/corpus.ts makes 60); the rest of the items are posts. */
const SPACES = 60;

async function buildDataFolder() {
  if (fs.existsSync(path.join(dataDir, 'built'))) return;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  console.log(`Building ${dataDir} with ${items} items (once)…`);
  const store = dynalite({ path: path.join(dataDir, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  const client = createDocumentClient({
    endpoint: `http://127.0.0.1:${(store.address() as AddressInfo).port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(createTableInput(TABLE)));
  const { documents, spaces } = generateCorpus(items - SPACES, 42);
  const at = new Date().toISOString();
  const rows: Item[] = spaces.map((space) =>
    spaceItem({
      id: space.spaceId,
      name: space.spaceName,
      description: '',
      audience: space.audience as 'employees',
      partnerOrgs: space.partnerOrgs ?? [],
      createdBy: 'alice',
      createdAt: at,
      updatedAt: at,
      version: 1,
      memberCount: 0,
      ownerCount: 0,
    }),
  );
  for (const [i, doc] of documents.entries())
    rows.push(
      postItem({
        id: `p${i}`,
        spaceId: doc.spaceId!,
        authorId: doc.authorId!,
        authorName: doc.authorName!,
        title: doc.title,
        body: doc.body,
        html: `<p>${doc.body}</p>`,
        text: doc.body,
        excerpt: doc.body.slice(0, 280),
        tags: doc.tags ?? [],
        mentions: [],
        status: 'published',
        createdAt: doc.createdAt,
        updatedAt: doc.updatedAt,
        publishedAt: doc.createdAt,
        version: 1,
        likeCount: doc.likeCount ?? 0,
        commentCount: 0,
      }),
    );
  let written = 0;
  const batches: Item[][] = [];
  for (let i = 0; i < rows.length; i += 25) batches.push(rows.slice(i, i + 25));
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      await client.send(
        new BatchWriteCommand({ RequestItems: { [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      written += batch.length;
      if (written % 10_000 < 25) console.log(`  ${written}/${rows.length}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  // Written after the tree nodes and the people directory existed: no backfill (a Scan) on the first start.
  for (const marker of [PAGE_TREE_MIGRATION, DIRECTORY_MIGRATION])
    await client.send(new PutCommand({ TableName: TABLE, Item: { ...marker, type: 'migration' } }));
  client.destroy();
  await new Promise<void>((resolve) => store.close(() => resolve()));
  fs.writeFileSync(path.join(dataDir, 'built'), `${rows.length}\n`);
}

/** One `npm start`: seconds from spawn to ready, resident memory then, and what it said about search. */
async function startOnce(): Promise<{
  seconds: number;
  ready: number;
  rssMiB: number;
  peakMiB: number;
  search: string;
  phases: string;
}> {
  const began = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['local/start.mjs'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', STARTUP_TIMINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    while (!output.includes('Commonplace is ready')) {
      if (child.exitCode !== null) throw new Error(`npm start failed:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - began) / 1000;
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // The most it held on the way (a cold start's rebuild peaks before ready).
    const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return {
      seconds,
      // What the ready message says: from the entry point's first line (modules loaded) to ready.
      ready: Number(/ready in ([\d.]+) s/.exec(output)?.[1] ?? Number.NaN),
      rssMiB: rssKiB / 1024,
      peakMiB: peakKiB / 1024,
      search: /Search index: .*/.exec(output)?.[0] ?? '',
      // Where the time went, in-process (main.ts prints it with STARTUP_TIMINGS=1).
      phases: /Start-up: .*/.exec(output)?.[0] ?? '',
    };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

await buildDataFolder();
// As `npm start` would have before: the runtime's bundle is current (its build is not a start's cost).
if (!bundleIsFresh()) await buildBundle();
const snapshot = snapshotPath(path.join(dataDir, 'stream'), TABLE);
const results: {
  kind: string;
  seconds: number[];
  ready: number[];
  rss: number[];
  peak: number[];
  search: string;
}[] = [];
for (const kind of ['cold (rebuild from a table scan)', 'warm (snapshot + stream catch-up)']) {
  const seconds: number[] = [];
  const ready: number[] = [];
  const rss: number[] = [];
  const peak: number[] = [];
  let search = '';
  const count = kind.startsWith('cold') ? coldRuns : runs;
  if (count === 0) continue;
  for (let run = 0; run < count; run++) {
    if (kind.startsWith('cold')) fs.rmSync(snapshot, { force: true });
    else if (!fs.existsSync(snapshot)) throw new Error('no snapshot after a cold start');
    const outcome = await startOnce();
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    console.log(
      `${kind}: ${outcome.seconds.toFixed(2)} s, ${outcome.rssMiB.toFixed(0)} MiB (peak ${outcome.peakMiB.toFixed(0)}), load ${load} — ${outcome.search}\n  ${outcome.phases}`,
    );
    seconds.push(outcome.seconds);
    ready.push(outcome.ready);
    rss.push(outcome.rssMiB);
    peak.push(outcome.peakMiB);
    search = outcome.search;
  }
  results.push({ kind, seconds, ready, rss, peak, search });
}
const snapshotMiB = fs.existsSync(snapshot) ? fs.statSync(snapshot).size / 2 ** 20 : 0;
console.log(
  `\nnpm start at ${items} items (snapshot file ${snapshotMiB.toFixed(0)} MiB), ${coldRuns} cold and ${runs} warm runs:`,
);
console.log(
  '| start | spawn → ready p50 | p95 | "ready in" (after module load) p50 | resident memory at ready p50 | peak p50 |\n| --- | --- | --- | --- | --- | --- |',
);
for (const r of results)
  console.log(
    `| ${r.kind} | ${percentile(r.seconds, 50).toFixed(2)} s | ${percentile(r.seconds, 95).toFixed(2)} s | ${percentile(r.ready, 50).toFixed(2)} s | ${percentile(r.rss, 50).toFixed(0)} MiB | ${percentile(r.peak, 50).toFixed(0)} MiB |`,
  );
