// Export everything and import it into an empty deployment (issue 14, item 7): export → import into a
// fresh runtime → export gives identical files, module by module; derived items (feed, inbox) are left
// out and rebuilt; an import refuses a table that holds data and an export of a newer format.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDocumentClient } from '../../functions/data/table';
import {
  EXPORT_FORMAT,
  exportTable,
  ImportRefused,
  importTable,
} from '../../local/portability/export-import';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let source: TestRuntime;
let target: TestRuntime;
const folders: string[] = [];
const tempFolder = () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-export-'));
  folders.push(folder);
  return folder;
};
const clientOf = (rt: TestRuntime) =>
  createDocumentClient({
    endpoint: rt.dynamodbEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

async function ok(rt: TestRuntime, account: string, method: string, pathname: string, body?: unknown) {
  const response = await rt.api(account, method, pathname, body);
  if (response.status >= 300)
    throw new Error(`${method} ${pathname} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

beforeAll(async () => {
  [source, target] = await Promise.all([startTestRuntime(), startTestRuntime()]);
  await seedDemoData(source.table);
  // More than the demo data: a page with several versions, a bookmark, a watch, a follow.
  const page = await ok(source, 'alice', 'POST', '/spaces/engineering/pages', {
    title: 'Export runbook',
    body: 'v1',
  });
  const edited = await ok(source, 'alice', 'PUT', `/spaces/engineering/pages/${page.id}`, {
    title: 'Export runbook',
    body: 'v2, with more',
    version: page.version,
  });
  await ok(source, 'bob', 'PUT', `/spaces/engineering/pages/${page.id}`, {
    title: 'Export runbook',
    body: 'v3 by bob',
    version: edited.version,
  });
  await ok(source, 'bob', 'POST', '/me/bookmarks', {
    url: 'https://example.com/export',
    title: 'Export',
    tags: ['ops'],
  });
  await ok(source, 'bob', 'PUT', '/me/follows/alice', { level: 'following' });
  await source.drain();
}, 120_000);

afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describe('export and import', () => {
  it('round-trips: export → import into a fresh runtime → export gives identical files', async () => {
    const first = tempFolder();
    const manifest = await exportTable(clientOf(source), source.tableName, first);
    expect(manifest.items.people).toBeGreaterThan(0);
    expect(manifest.items.pages).toBeGreaterThanOrEqual(4); // the page, its versions, its tree node
    expect(manifest.items.bookmarks).toBeGreaterThan(0);
    expect(manifest.items.subscriptions).toBeGreaterThan(0);
    expect(manifest.derivedLeftOut).toBeGreaterThan(0); // feed and inbox items are rebuilt, not exported
    const versions = fs
      .readFileSync(path.join(first, 'pages.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"pageVersion"') && line.includes('Export runbook'));
    expect(versions).toHaveLength(3);

    const written = await importTable(clientOf(target), target.tableName, first);
    expect(written).toBe(Object.values(manifest.items).reduce((sum, n) => sum + (n ?? 0), 0));
    await target.drain();
    const second = tempFolder();
    await exportTable(clientOf(target), target.tableName, second);
    const files = fs
      .readdirSync(first)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    expect(
      fs
        .readdirSync(second)
        .filter((name) => name.endsWith('.jsonl'))
        .sort(),
    ).toEqual(files);
    // Everything landed in a named module; only the demo data's "loaded" markers are unclassified.
    const other = fs.readFileSync(path.join(first, 'other.jsonl'), 'utf8').trim().split('\n');
    expect(other.every((line) => line.startsWith('{"PK":"SEED"'))).toBe(true);
    for (const name of files)
      expect(fs.readFileSync(path.join(second, name), 'utf8')).toBe(
        fs.readFileSync(path.join(first, name), 'utf8'),
      );

    // The imported deployment works: the page reads with its history, and search found it again.
    const history = await ok(target, 'alice', 'GET', '/spaces/engineering/pages/export-runbook/versions');
    expect(history.items).toHaveLength(3);
    const found = await ok(target, 'alice', 'GET', '/search?q=runbook');
    expect(found.items.map((item: { title: string }) => item.title)).toContain('Export runbook');
  }, 120_000);

  it('refuses a table that holds data and an export of a newer format, writing nothing', async () => {
    const folder = tempFolder();
    await exportTable(clientOf(source), source.tableName, folder);
    await expect(importTable(clientOf(source), source.tableName, folder)).rejects.toThrow(ImportRefused);
    const manifestFile = path.join(folder, 'export.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, format: EXPORT_FORMAT + 1 }));
    const empty = await startTestRuntime();
    try {
      const before = empty.front.stream(empty.tableName).latestSequenceNumber;
      await expect(importTable(clientOf(empty), empty.tableName, folder)).rejects.toThrow(/newer|format/);
      expect(empty.front.stream(empty.tableName).latestSequenceNumber).toBe(before);
    } finally {
      await empty.close();
    }
  }, 60_000);
});
