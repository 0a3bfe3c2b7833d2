/**
 * `npm run bench:load`: module load time of each Lambda bundle against an empty bundle (DESIGN budget:
 * ≤ 1.5×). Bundles with the same esbuild options as the CDK stack (ESM, minified, node22, SDK bundled,
 * the same module aliases), then starts `node` on each many times, alternating, and compares medians.
 * Only the import is timed (inside the child process), not node's own start-up.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { lambdaEsbuildAlias } from '../../lib/constructs/service-function';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-load-'));
const entries = {
  empty: path.join(dir, 'empty.ts'),
  api: path.resolve('functions/api/lambda.ts'),
  indexer: path.resolve('functions/streams/indexer-lambda.ts'),
  'pre-token-generation': path.resolve('functions/auth/pre-token-generation.ts'),
};
fs.writeFileSync(entries.empty, 'export const handler = async () => ({});\n');

const bundles: Record<string, string> = {};
for (const [name, entry] of Object.entries(entries)) {
  const outfile = path.join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    mainFields: ['module', 'main'],
    alias: lambdaEsbuildAlias(process.cwd()),
    outfile,
    banner: {
      js: "import{createRequire as __cjsRequire}from'node:module';const require=__cjsRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  bundles[name] = outfile;
}

// What the Lambda environment provides; module load must not need the network.
const env = {
  ...process.env,
  TABLE_NAME: 'commonplace',
  AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example',
  AUTH_AUDIENCE: 'client',
  SEARCH_ENDPOINT: 'https://search.example.eu-west-1.es.amazonaws.com',
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
      { env },
    )
      .toString()
      .trim(),
  );

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(bundles).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const [name, file] of Object.entries(bundles)) samples[name].push(probe(file));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples.empty);
console.log(`| bundle | size | module load (median of ${ROUNDS}) | × empty |\n| --- | --- | --- | --- |`);
for (const [name, file] of Object.entries(bundles)) {
  const m = median(samples[name]);
  console.log(
    `| ${name} | ${(fs.statSync(file).size / 1024).toFixed(0)} KiB | ${m.toFixed(1)} ms | ${(m / base).toFixed(1)}× |`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
