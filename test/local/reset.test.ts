/**
 * `npm run reset` (issue 14, item 8) deleted the data folder without asking, even while a server used
 * it. Now it asks (or takes `--yes`), and refuses while the folder's `server.pid` names a live process;
 * a pid file left by a server that was killed does not stop it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { serverLockFile } from '../../local/server-lock';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-reset-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
function dataFolder(): string {
  const folder = path.join(scratch, `data-${folders++}`);
  fs.mkdirSync(path.join(folder, 'dynamodb'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'dynamodb', 'CURRENT'), 'MANIFEST-000002\n');
  return folder;
}

function reset(dataDir: string, args: string[], input?: string) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/reset.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run reset', () => {
  it('asks first: anything but "yes" (or no answer at all) keeps the folder', async () => {
    for (const input of ['no\n', '', 'y es\n']) {
      const folder = dataFolder();
      const outcome = await reset(folder, [], input);
      expect(outcome.out).toMatch(/This cannot be undone.*Type "yes" to delete/s);
      expect(outcome.out).toMatch(/Not removed/);
      expect(outcome.code).toBe(1);
      expect(fs.existsSync(path.join(folder, 'dynamodb', 'CURRENT'))).toBe(true);
    }
  }, 60_000);

  it('deletes after "yes", or with --yes without asking', async () => {
    const asked = dataFolder();
    expect((await reset(asked, [], 'yes\n')).code).toBe(0);
    expect(fs.existsSync(asked)).toBe(false);
    const told = dataFolder();
    const outcome = await reset(told, ['--yes']);
    expect(outcome.code).toBe(0);
    expect(outcome.out).not.toMatch(/Type "yes"/);
    expect(fs.existsSync(told)).toBe(false);
  }, 60_000);

  it('refuses while a live server holds the folder, even with --yes; a stale pid file does not stop it', async () => {
    const folder = dataFolder();
    const server = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(
        serverLockFile(folder),
        JSON.stringify({ pid: server.pid, url: 'http://localhost:3000', startedAt: 'now' }),
      );
      const outcome = await reset(folder, ['--yes']);
      expect(outcome.code).toBe(1);
      expect(outcome.out).toContain(`a server (process ${server.pid}, http://localhost:3000) is using`);
      expect(fs.existsSync(path.join(folder, 'dynamodb', 'CURRENT'))).toBe(true);
    } finally {
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    // The process named in the file is gone now.
    expect((await reset(folder, ['--yes'])).code).toBe(0);
    expect(fs.existsSync(folder)).toBe(false);
  }, 60_000);
});
