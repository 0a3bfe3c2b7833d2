/**
 * A data folder that knows what it holds (issue 14): a copy of a real, seeded data folder is damaged as
 * the issue found it damaged — LevelDB's CURRENT missing, the dynamodb/ folder deleted, its log cut in
 * half, torn JSON state files — and start-up refuses it with one line naming what is wrong and how to
 * restore, leaving every file as it was. Before this, each of them started "healthy" over lost data.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DATA_FOLDER_FORMAT } from '../../local/data-folder';
import { startLocalRuntime } from '../../local/runtime';
import { demoDataLoaded, seedDemoData } from '../../local/seed';
import { serverLockFile } from '../../local/server-lock';
import { DataFolderError } from '../../local/state-file';
import { offlineMetadataFetcher } from '../helpers/runtime';

const run = promisify(execFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-folder-'));
const seeded = path.join(scratch, 'seeded');
let seededItems = 0;

const start = (dataDir: string) =>
  startLocalRuntime({ port: 0, dataDir, metadataFetcher: offlineMetadataFetcher, digestIntervalMs: 0 });

/** A copy of the seeded folder, to damage. */
function copyOfSeeded(name: string): string {
  const copy = path.join(scratch, name);
  fs.cpSync(seeded, copy, { recursive: true });
  return copy;
}

/** Every file under a folder with its size: what a refused start must leave untouched. */
function filesOf(folder: string): Record<string, number> {
  const files: Record<string, number> = {};
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(folder, file)] = fs.statSync(file).size;
  }
  return files;
}

async function refusal(dataDir: string): Promise<string> {
  const error = await start(dataDir).then(
    async (runtime) => {
      await runtime.close();
      throw new Error('the damaged folder was accepted');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(DataFolderError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

beforeAll(async () => {
  const runtime = await start(seeded);
  expect(runtime.dataFolder?.fresh).toBe(true);
  await seedDemoData(runtime.table);
  runtime.dataFolder?.markSeeded();
  await runtime.drain();
  seededItems = runtime.front.stream(runtime.tableName).length;
  await runtime.close();
}, 120_000);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('a healthy data folder', () => {
  it('records what it holds in its manifest and starts again as it was, not reseeded', async () => {
    // The seed wrote a few hundred changes.
    expect(seededItems).toBeGreaterThan(100);
    const manifest = JSON.parse(fs.readFileSync(path.join(seeded, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: DATA_FOLDER_FORMAT,
      table: { name: 'commonplace' },
      seeded: true,
      highWater: { sequence: expect.stringMatching(/^\d{21}$/) },
    });
    const copy = copyOfSeeded('healthy');
    const runtime = await start(copy);
    try {
      expect(runtime.dataFolder).toMatchObject({ fresh: false, seeded: true });
      expect(await demoDataLoaded(runtime.table)).toBe(true);
      // The server holds the folder while it runs, and lets go on close.
      expect(JSON.parse(fs.readFileSync(serverLockFile(copy), 'utf8'))).toMatchObject({
        pid: process.pid,
        url: runtime.url,
      });
    } finally {
      await runtime.close();
    }
    expect(fs.existsSync(serverLockFile(copy))).toBe(false);
  });

  it('follows the stream with its high-water mark while running, not only on stop', async () => {
    const copy = copyOfSeeded('running');
    const runtime = await start(copy);
    try {
      await runtime.table.put({ PK: 'TEST#mark', SK: 'x', n: 1 });
      const latest = runtime.front.stream(runtime.tableName).latestSequenceNumber;
      const manifest = () => JSON.parse(fs.readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
      expect(manifest().highWater.sequence < latest).toBe(true);
      const deadline = Date.now() + 15_000;
      while (manifest().highWater.sequence !== latest && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      expect(manifest().highWater.sequence).toBe(latest);
    } finally {
      await runtime.close();
    }
  }, 30_000);

  it('a folder that held data without the demo is not seeded later', async () => {
    const folder = path.join(scratch, 'unseeded');
    const first = await start(folder);
    expect(first.dataFolder).toMatchObject({ fresh: true, seeded: false });
    await first.close();
    const second = await start(folder);
    expect(second.dataFolder).toMatchObject({ fresh: false, seeded: false });
    await second.close();
  });
});

describe('a damaged data folder is refused, and nothing in it is changed', () => {
  it('LevelDB without its CURRENT file (it would start empty and delete the old files)', async () => {
    const copy = copyOfSeeded('no-current');
    fs.rmSync(path.join(copy, 'dynamodb', 'CURRENT'));
    const before = filesOf(copy);
    const message = await refusal(copy);
    expect(message).toMatch(/CURRENT file is missing/);
    expect(message).toMatch(/npm run restore -- <file>/);
    expect(filesOf(copy)).toEqual(before);
    // Refused again, the same way, on the next try.
    expect(await refusal(copy)).toBe(message);
  });

  it('a deleted dynamodb/ folder (it would create an empty table and reseed it)', async () => {
    const copy = copyOfSeeded('no-dynamodb');
    fs.rmSync(path.join(copy, 'dynamodb'), { recursive: true });
    const message = await refusal(copy);
    expect(message).toMatch(/manifest says it holds the table commonplace/);
    expect(message).toMatch(/dynamodb is missing or empty/);
    expect(fs.existsSync(path.join(copy, 'dynamodb'))).toBe(false);
  });

  it('a deleted dynamodb/ folder and manifest, the old stream log still there', async () => {
    const copy = copyOfSeeded('no-dynamodb-no-manifest');
    fs.rmSync(path.join(copy, 'dynamodb'), { recursive: true });
    fs.rmSync(path.join(copy, 'manifest.json'));
    expect(await refusal(copy)).toMatch(/holds a change stream .* but no table/);
  });

  it('a LevelDB log cut in half (its newest changes gone)', async () => {
    const copy = copyOfSeeded('log-cut');
    const dynamo = path.join(copy, 'dynamodb');
    const log = fs.readdirSync(dynamo).find((name) => name.endsWith('.log'))!;
    const size = fs.statSync(path.join(dynamo, log)).size;
    fs.truncateSync(path.join(dynamo, log), Math.floor(size / 2));
    expect(await refusal(copy)).toMatch(/has lost changes it had acknowledged/);
    // And again: the evidence is in the manifest, not in the log LevelDB rewrote.
    expect(await refusal(copy)).toMatch(/has lost changes it had acknowledged/);
  });

  it('LevelDB whose CURRENT names a file set that is not there (dynalite would crash with a stack)', async () => {
    const copy = copyOfSeeded('current-elsewhere');
    fs.writeFileSync(path.join(copy, 'dynamodb', 'CURRENT'), 'MANIFEST-999999\n');
    expect(await refusal(copy)).toMatch(/LevelDB reports damage in .*MANIFEST-999999: No such file/);
  });

  it('LevelDB with one of its table files removed', async () => {
    const copy = copyOfSeeded('table-file-gone');
    // One more start and stop: LevelDB moves the log into a table file on open.
    await (await start(copy)).close();
    const dynamo = path.join(copy, 'dynamodb');
    const tableFile = fs.readdirSync(dynamo).find((name) => name.endsWith('.ldb'));
    expect(tableFile).toBeDefined();
    fs.rmSync(path.join(dynamo, tableFile!));
    expect(await refusal(copy)).toMatch(/LevelDB reports damage in .*missing files/);
  });

  it('a folder written by a newer version', async () => {
    const copy = copyOfSeeded('newer');
    const file = path.join(copy, 'manifest.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), format: DATA_FOLDER_FORMAT + 1 }),
    );
    expect(await refusal(copy)).toMatch(/written by a newer version/);
  });

  it.each([
    ['manifest.json', "the data folder's manifest"],
    ['stream/failed-batches.json', 'the stream failure destination'],
    ['stream/queue.fanout-pages.json', 'the fanout-pages queue'],
    ['identity/signing-key.json', 'a local sign-in signing key'],
    ['stream/commonplace.indexer.checkpoint', "the indexer consumer's stream checkpoint"],
    ['mail/unsubscribe.key', 'the key of unsubscribe links'],
  ])('a torn %s is named in one line, not a SyntaxError stack', async (file, holds) => {
    const copy = copyOfSeeded(`torn-${path.basename(file)}`);
    const target = path.join(copy, file);
    const original = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '{"messages":[],"dead":[]}';
    // Cut as a crash mid-write cut it (the checkpoint: 0 bytes, as the issue found it).
    fs.writeFileSync(
      target,
      file.endsWith('.checkpoint') ? '' : original.slice(0, Math.floor(original.length / 2)),
    );
    const message = await refusal(copy);
    expect(message).toContain(target);
    expect(message).toContain(`(${holds})`);
    expect(message).toMatch(/is damaged/);
  });

  it('while another live server holds it; a stale pid file from a killed server is ignored', async () => {
    const copy = copyOfSeeded('held');
    const other = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(
        serverLockFile(copy),
        JSON.stringify({ pid: other.pid, url: 'http://localhost:1', startedAt: 'earlier' }),
      );
      expect(await refusal(copy)).toMatch(new RegExp(`another server \\(process ${other.pid}`));
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Now the pid names a process that is gone: the file is stale.
    const runtime = await start(copy);
    await runtime.close();
  });
});

describe('a transaction cut by a crash on a real folder', () => {
  const X = { PK: { S: 'TEST#crash' }, SK: { S: 'x' } };
  const Y = { PK: { S: 'TEST#crash' }, SK: { S: 'y' } };
  const transaction = JSON.stringify({
    TransactItems: [
      { Put: { TableName: 'commonplace', Item: { ...X, n: { N: '1' } } } },
      { Put: { TableName: 'commonplace', Item: { ...Y, n: { N: '1' } } } },
    ],
  });

  it.each([
    ['applied:0', 'rolled back', false],
    ['recorded:0', 'completed', true],
  ])(
    'killed at %s: the next start leaves it %s',
    async (point, _outcome, kept) => {
      const copy = copyOfSeeded(`crash-${point.replace(':', '-')}`);
      const child = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'test/helpers/transaction-crash-child.ts',
          copy,
          'commonplace',
          point,
          transaction,
        ],
        { timeout: 60_000 },
      ).catch((error: { signal?: string }) => error);
      expect((child as { signal?: string }).signal).toBe('SIGKILL');
      const runtime = await start(copy);
      try {
        const items = [
          await runtime.table.get({ PK: 'TEST#crash', SK: 'x' }),
          await runtime.table.get({ PK: 'TEST#crash', SK: 'y' }),
        ];
        expect(items.map((item) => item !== undefined)).toEqual([kept, kept]);
      } finally {
        await runtime.close();
      }
    },
    90_000,
  );
});

describe('npm start on a damaged folder', () => {
  it('prints the refusal as one line and exits 1 — no stack, no "Demo data", no ready message', async () => {
    const copy = copyOfSeeded('cli-no-current');
    fs.rmSync(path.join(copy, 'dynamodb', 'CURRENT'));
    const outcome = await run('npx', ['tsx', 'local/main.ts', '--seed'], {
      env: { ...process.env, DATA_DIR: copy, PORT: '0', NODE_NO_WARNINGS: '1' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).not.toMatch(/Demo data|Commonplace is running/);
    const lines = outcome.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Commonplace will not start on .*CURRENT file is missing/);
    expect(outcome.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  }, 90_000);
});
