/**
 * `npm run bench:search [-- --docs 100000]`: the search benchmark of issue 3.
 * 1. embedded engines (MiniSearch, and the fast engine): index time and p50/p95 query latency at N documents;
 * 2. OpenSearch (real 2.19 node from test/opensearch-node, when built): same corpus, same queries;
 * 3. write → searchable lag through the local stream (p50/p95).
 * Prints a Markdown table for docs/performance.md. Not a test: figures vary with the machine's load.
 *
 * Options: `--no-opensearch`; `--no-lag` (skip 3); `--engines fast` or `--engines embedded,fast` (which
 * embedded engines; both by default) — one engine per process gives cleaner heap figures.
 */
import { benchEmbedded, benchFast } from './in-process';
import { benchWriteToSearchable } from './write-to-searchable';

const args = process.argv.slice(2);
const docsArg = args.indexOf('--docs');
const count = docsArg >= 0 ? Number(args[docsArg + 1]) : 100_000;
const skipOpenSearch = args.includes('--no-opensearch');
const skipLag = args.includes('--no-lag');
const enginesArg = args.indexOf('--engines');
const engines = enginesArg >= 0 ? args[enginesArg + 1].split(',') : ['embedded', 'fast'];

const rows: string[] = [];
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const row = (r: { engine: string; indexSeconds: number; p50ms: number; p95ms: number; queries: number }) => {
  console.log(r);
  rows.push(
    `| ${r.engine} | ${count} | ${fmt(r.indexSeconds)} s | ${fmt(r.p50ms)} ms | ${fmt(r.p95ms)} ms | ${r.queries} |`,
  );
};

if (engines.includes('embedded')) {
  row(await benchEmbedded(count));
}

if (!skipOpenSearch) {
  try {
    const { benchOpenSearch } = await import('./opensearch');
    row(await benchOpenSearch(count));
  } catch (error) {
    console.log(`OpenSearch skipped: ${(error as Error).message}`);
  }
}

if (engines.includes('fast')) {
  row(await benchFast(count));
}

const lag = skipLag ? undefined : await benchWriteToSearchable(100);
if (lag) console.log(lag);

console.log(
  '\n| engine | documents | index time | query p50 | query p95 | queries |\n| --- | --- | --- | --- | --- | --- |',
);
for (const line of rows) console.log(line);
if (lag)
  console.log(
    `\nWrite → searchable through the local stream (${lag.samples} writes): p50 ${fmt(lag.p50ms)} ms, p95 ${fmt(lag.p95ms)} ms, max ${fmt(lag.maxMs)} ms`,
  );
