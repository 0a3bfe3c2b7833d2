/**
 * `npm run bench:scale [-- feed]`: issue 13's reads at three data sizes, each read's p50, p95 and
 * DynamoDB requests per size. Each section is a file of this folder exporting `section()` (feed.ts, …),
 * run one after another, or only those named on the command line. Prints Markdown rows for
 * docs/performance.md. Not a test: latencies vary with the machine's load; request counts do not.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ScaleRow {
  read: string;
  size: string;
  p50ms: number;
  p95ms: number;
  requests: number;
}

const here = import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname);
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const sections = fs
  .readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const rows: ScaleRow[] = [];
for (const name of sections) {
  const module = (await import(path.join(here, `${name}.ts`))) as { section?: () => Promise<ScaleRow[]> };
  if (!module.section) continue;
  console.log(`— ${name}`);
  rows.push(...(await module.section()));
}
const fmt = (n: number) => n.toFixed(n < 10 ? 1 : 0);
console.log('\n| read | size | p50 | p95 | DynamoDB requests |\n| --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(`| ${r.read} | ${r.size} | ${fmt(r.p50ms)} ms | ${fmt(r.p95ms)} ms | ${r.requests} |`);
process.exit(0);
