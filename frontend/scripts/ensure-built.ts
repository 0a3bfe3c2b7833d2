/**
 * Builds the web client (frontend/dist, which the local runtime serves) when it is missing or older
 * than its sources: browser tests (and `npm run build:web:if-stale`) always get the current code
 * without rebuilding every time. Callers may run in parallel: a lock directory makes one build and
 * the others wait for it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distDir, webClientIsFresh as isFresh, manifestPath } from './web-build-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const frontend = path.join(root, 'frontend');

export { distDir, manifestPath };

const lockDir = path.join(
  os.tmpdir(),
  `commonplace-web-build-${Buffer.from(root).toString('hex').slice(-24)}.lock`,
);

async function acquireLock(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      fs.mkdirSync(lockDir);
      return true;
    } catch {
      // Another worker is building; a lock older than two minutes is left over from a crash.
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > 120_000)
          fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // gone already
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}

export async function ensureFrontendBuilt(): Promise<'fresh' | 'built'> {
  if (isFresh()) return 'fresh';
  if (!(await acquireLock(180_000)))
    throw new Error(`Timed out waiting for another web client build (${lockDir})`);
  try {
    if (isFresh()) return 'fresh';
    const result = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        path.join(frontend, 'vite.config.ts'),
        '--logLevel',
        'warn',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (result.status !== 0)
      throw new Error(`vite build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    return 'built';
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

// Run directly (`tsx frontend/scripts/ensure-built.ts`): build if stale and say what happened.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  ensureFrontendBuilt().then(
    (outcome) =>
      console.log(
        `web client ${outcome === 'fresh' ? 'is up to date' : `built in ${Math.round(performance.now() - started)} ms`} (frontend/dist)`,
      ),
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
