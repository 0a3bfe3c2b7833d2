// Local backup and restore (issue 14, item 7): `npm run backup` takes a consistent snapshot while the
// server runs and takes writes (every comment in it is counted on its post: no transaction half in),
// `npm run restore` brings it back into a data folder (moving the old contents aside, never deleting)
// and the next start serves it, search rebuilt; a backup of a newer format or a damaged one is refused
// and changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, describe, expect, it } from '@jest/globals';
import { BackupRefused, readBackup } from '../../local/portability/backup-file';
import { restoreBackup } from '../../local/portability/restore';
import { startTestRuntime } from '../helpers/runtime';

const folders: string[] = [];
const tempFolder = () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-backup-'));
  folders.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describe('local backup and restore', () => {
  it('backs up consistently under writes, and a restored folder serves the same data', async () => {
    const dataDir = tempFolder();
    const source = await startTestRuntime({ dataDir, inMemory: false });
    const backupFile = path.join(tempFolder(), 'one.backup.gz');
    let postId = '';
    try {
      await source.api('alice', 'GET', '/me');
      await source.api('bob', 'GET', '/me');
      expect(
        (await source.api('alice', 'POST', '/spaces', { id: 'kept', name: 'Kept', audience: 'employees' }))
          .status,
      ).toBe(201);
      const post = await source.api('alice', 'POST', '/spaces/kept/posts', {
        title: 'Backed up',
        body: 'Body',
      });
      postId = post.body.id;
      // Comments keep arriving while the backup is taken.
      const writes = Array.from({ length: 30 }, (_, i) =>
        source.api(i % 2 ? 'alice' : 'bob', 'POST', `/spaces/kept/posts/${postId}/comments`, {
          body: `c${i}`,
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const backup = await source.backup();
      await Promise.all(writes);
      fs.writeFileSync(backupFile, backup);

      const { header, items } = await readBackup(backupFile);
      const all = [];
      for await (const item of items) all.push(unmarshall(item as never));
      expect(header.items).toBe(all.length);
      const postItem = all.find((item) => item.type === 'post' && item.id === postId)!;
      const comments = all.filter((item) => item.type === 'comment' && item.postId === postId);
      expect(postItem.commentCount ?? 0).toBe(comments.length);
    } finally {
      await source.close();
    }

    // Restore into a folder that holds other data: it is moved aside, not lost.
    const target = tempFolder();
    fs.writeFileSync(path.join(target, 'keep-me.txt'), 'previous');
    const outcome = await restoreBackup(backupFile, target);
    expect(outcome.movedAside).toBeDefined();
    folders.push(outcome.movedAside!);
    expect(fs.readFileSync(path.join(outcome.movedAside!, 'keep-me.txt'), 'utf8')).toBe('previous');

    const restored = await startTestRuntime({ dataDir: target, inMemory: false });
    try {
      expect(restored.searchStart.mode).toBe('rebuild');
      const post = await restored.api('alice', 'GET', `/spaces/kept/posts/${postId}`);
      expect(post.status).toBe(200);
      const comments = await restored.api('alice', 'GET', `/spaces/kept/posts/${postId}/comments?limit=100`);
      expect(comments.body.items.length).toBe(post.body.commentCount ?? 0);
      const found = await restored.api('alice', 'GET', '/search?q=backed');
      expect(found.body.items.map((item: { title: string }) => item.title)).toContain('Backed up');
    } finally {
      await restored.close();
    }
  }, 120_000);

  it('refuses a backup of a newer format, or a damaged one, and leaves the folder as it was', async () => {
    const folder = tempFolder();
    const newer = path.join(folder, 'newer.backup.gz');
    fs.writeFileSync(
      newer,
      zlib.gzipSync(`${JSON.stringify({ kind: 'commonplace-backup', format: 99, items: 0, table: 't' })}\n`),
    );
    const target = tempFolder();
    fs.writeFileSync(path.join(target, 'data.txt'), 'untouched');
    await expect(restoreBackup(newer, target)).rejects.toThrow(/format 99/);
    const truncated = path.join(folder, 'truncated.backup.gz');
    fs.writeFileSync(
      truncated,
      zlib.gzipSync(
        `${JSON.stringify({ kind: 'commonplace-backup', format: 1, items: 5, table: 'commonplace' })}\n` +
          `${JSON.stringify({ PK: { S: 'A' }, SK: { S: 'B' } })}\n`,
      ),
    );
    await expect(restoreBackup(truncated, target)).rejects.toThrow(BackupRefused);
    expect(fs.readdirSync(target)).toEqual(['data.txt']);
    expect(fs.readFileSync(path.join(target, 'data.txt'), 'utf8')).toBe('untouched');
  }, 60_000);
});
