// `npm start` says where to go and who to sign in as on every start, not only the first (issue 10):
// the real entry point started twice over one data folder, the second time with the data kept.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { DEMO_ACCOUNTS } from '../../local/identity/demo-accounts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Starts what `npm start` runs (local/start.mjs: the runtime's bundle; `--no-web`: the web client's build is not this test's), waits for its ready message, stops it. */
async function start(): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ['local/start.mjs', '--seed', '--no-web'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 60_000;
    while (!/Data\s+\S+/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`npm start did not get ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  return output;
}

test('the first and the second start both list the demo accounts and who they are', async () => {
  const first = await start();
  const second = await start();
  expect(first).toMatch(/Demo data: \d+ organisations/);
  expect(second).toContain('Demo data: loaded on an earlier start; what you wrote is kept');
  for (const output of [first, second]) {
    expect(output).toContain('Commonplace is ready');
    for (const account of DEMO_ACCOUNTS)
      expect(output).toMatch(new RegExp(`\\b${account.id}\\s+${account.name}, `));
    expect(output).toMatch(/pat\s+Pat Partner, partner \(acme\)/);
    expect(output).toMatch(/admin\s+Ada Admin, employee, admin/);
  }
}, 150_000);
