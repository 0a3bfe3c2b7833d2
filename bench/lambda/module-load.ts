/**
 * `npm run bench:load`: module load time of each Lambda bundle against the AWS SDK's floor (DESIGN
 * budget: ≤ 1.5×), a handler doing one GetItem through lib-dynamodb (sdk-floor.ts), and an empty one.
 * Bundles exactly as the stack does (lib/constructs/lambda-bundle.ts), then starts `node` on each many
 * times, interleaved, and compares medians. Only the import is timed (inside the child process), not
 * node's own start-up. ROUNDS (default 15) sets the number of samples per bundle. The bundles are
 * every entry of lib/lambda-entries.ts: the API modules, the three stream consumers (indexer, fanout,
 * bookmark-metadata), the Cognito trigger and the search security custom resource.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleLambda } from '../../lib/constructs/lambda-bundle';
import { lambdaEntries } from '../../lib/lambda-entries';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BUDGET = 1.5;
const root = process.cwd();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-load-'));
const emptyEntry = path.join(dir, 'empty.ts');
fs.writeFileSync(emptyEntry, 'export const handler = async () => ({});\n');

const entries: Record<string, string> = {
  empty: emptyEntry,
  'sdk floor': path.resolve('bench/lambda/sdk-floor.ts'),
  ...lambdaEntries(root),
};

const bundles: Record<string, string> = {};
for (const [name, entry] of Object.entries(entries)) {
  const outdir = path.join(dir, name.replace(/\W+/g, '-'));
  bundleLambda(entry, root, outdir);
  bundles[name] = path.join(outdir, 'index.mjs');
}

// What the Lambda environment provides; module load must not need the network.
const env = {
  ...process.env,
  TABLE_NAME: 'commonplace',
  SEARCH_ENDPOINT: 'https://search.example.eu-west-1.es.amazonaws.com',
  EMPLOYEE_IDENTITY_PROVIDERS: '',
  // The fan-out needs its page queue (functions/streams/fanout.ts).
  FANOUT_PAGES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fanout-pages',
  // The attachments module and the attachment clean-up sign S3 requests for the files bucket.
  FILES_BUCKET: 'commonplace-files',
  FILES_DOWNLOAD_DOMAIN: 'files.example.cloudfront.net',
  AWS_REGION: 'eu-west-1',
  LOG_LEVEL: 'WARN',
};
/** Wall time and CPU time (user + system, all threads) of the import, in ms. */
const probe = (file: string): [number, number] => {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const c=process.cpuUsage(); const t=performance.now(); await import(${JSON.stringify(file)});` +
        ' const w=performance.now()-t; const u=process.cpuUsage(c); console.log(w, (u.user+u.system)/1000)',
    ],
    { env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const [wall, cpu] = out.toString().trim().split(' ').map(Number);
  return [wall, cpu];
};

const wall: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((name) => [name, []]));
const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((name) => [name, []]));
const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
for (let round = 0; round < ROUNDS; round++)
  for (const [name, file] of Object.entries(bundles)) {
    const [w, c] = probe(file);
    wall[name].push(w);
    cpu[name].push(c);
  }
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floorWall = median(wall['sdk floor']);
const floorCpu = median(cpu['sdk floor']);
const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
console.log(
  `Module load, medians of ${ROUNDS} interleaved cold imports (load ${loadBefore} → ${loadAfter}). Wall time is` +
    ' the budget; CPU time (user + system) is less disturbed by other work on the machine.\n',
);
console.log('| bundle | loaded at start | wall | × SDK floor | CPU | × SDK floor | budget ≤ 1.5× (wall) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
let over = 0;
for (const name of Object.keys(bundles)) {
  const [w, c] = [median(wall[name]), median(cpu[name])];
  const ratio = w / floorWall;
  const isLambda = name !== 'empty' && name !== 'sdk floor';
  if (isLambda && ratio > BUDGET) over++;
  const verdict = isLambda ? (ratio <= BUDGET ? '✓' : '✗') : '';
  console.log(
    `| ${name} | ${(startupBytes(bundles[name]) / 1024).toFixed(0)} KiB | ${w.toFixed(1)} ms | ${ratio.toFixed(2)}× | ${c.toFixed(1)} ms | ${(c / floorCpu).toFixed(2)}× | ${verdict} |`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });

/** Bytes of index.mjs and the chunks it imports statically: what a cold start reads and compiles. */
function startupBytes(indexFile: string): number {
  const outdir = path.dirname(indexFile);
  const meta = JSON.parse(fs.readFileSync(path.join(outdir, 'index.meta.json'), 'utf8')) as {
    outputs: Record<string, { bytes: number; imports: { path: string; kind: string }[] }>;
  };
  const index = Object.keys(meta.outputs).find((file) => file.endsWith('index.mjs'))!;
  const seen = new Set<string>();
  for (const pending = [index]; pending.length; ) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of meta.outputs[file].imports)
      if (imported.kind === 'import-statement' && meta.outputs[imported.path]) pending.push(imported.path);
  }
  return [...seen].reduce((sum, file) => sum + meta.outputs[file].bytes, 0);
}
if (over) console.log(`\n${over} bundle(s) over the budget`);
