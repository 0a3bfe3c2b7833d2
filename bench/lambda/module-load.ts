/**
 * `npm run bench:load`: module load time of each Lambda bundle against the AWS SDK's floor (DESIGN
 * budget: ≤ 1.5×), a handler doing one GetItem through lib-dynamodb (sdk-floor.ts), and an empty one.
 * Bundles exactly as the stack does (lib/constructs/lambda-bundle.ts), then starts `node` on each many
 * times, interleaved, and compares medians. Only the import is timed (inside the child process), not
 * node's own start-up. ROUNDS (default 15) sets the number of samples per bundle.
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
  PARTNER_ORGANISATIONS: '{}',
  AWS_REGION: 'eu-west-1',
  LOG_LEVEL: 'WARN',
};
const probe = (file: string) =>
  Number(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now()-t)`,
      ],
      { env, stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .toString()
      .trim(),
  );

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const [name, file] of Object.entries(bundles)) samples[name].push(probe(file));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floor = median(samples['sdk floor']);
const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
console.log(`Module load, median of ${ROUNDS} interleaved cold imports (load ${load}):\n`);
console.log(
  '| bundle | index.mjs | module load | × SDK floor | budget ≤ 1.5× |\n| --- | --- | --- | --- | --- |',
);
let over = 0;
for (const [name, file] of Object.entries(bundles)) {
  const m = median(samples[name]);
  const ratio = m / floor;
  const isLambda = name !== 'empty' && name !== 'sdk floor';
  if (isLambda && ratio > BUDGET) over++;
  console.log(
    `| ${name} | ${(fs.statSync(file).size / 1024).toFixed(0)} KiB | ${m.toFixed(1)} ms | ${ratio.toFixed(2)}× | ${isLambda ? (ratio <= BUDGET ? '✓' : '✗') : ''} |`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
if (over) console.log(`\n${over} bundle(s) over the budget`);
