/**
 * Start-up independent of data size (issue 13): the embedded search index is saved beside its stream
 * checkpoint, loaded at start and caught up from the stream; a full rebuild only without a usable
 * snapshot. The index's state round-trips exactly, and the runtime over a real data folder shows which
 * path it took (and whether it scanned the table, counted at the local front).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { benchmarkQueries, CALLERS, generateCorpus } from '../../bench/search/corpus';
import type { SearchDocument, SpaceChange } from '../../functions/domain/search/search-document';
import { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { loadSnapshot, SNAPSHOT_FORMAT, saveSnapshot, snapshotPath } from '../../local/search-snapshot';
import { SwappableSearchIndex } from '../../local/swappable-index';
import { searchIndexContract } from '../search/search-index.contract';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-snapshot-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

searchIndexContract('embedded (fast), restored from an exported state', async () => ({
  index: FastSearchIndex.fromState(new FastSearchIndex().exportState()),
  close: async () => undefined,
}));

/**
 * Saved to a snapshot file and loaded back after every write, so every read is answered by an index
 * whose documents are still the file's bytes (parsed only when shown), whose postings are views into
 * the file, and whose contributor lists are built at the first read that needs them.
 */
class ReloadedAfterEveryWrite extends SwappableSearchIndex {
  private readonly file = path.join(scratch, `contract-${process.pid}.snapshot`);
  private reload() {
    saveSnapshot(this.file, this.current, '000000000000000000001');
    const loaded = loadSnapshot(this.file);
    if (loaded.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
    this.swap(loaded.index);
  }
  override async upsert(documents: SearchDocument[]) {
    await super.upsert(documents);
    this.reload();
  }
  override async remove(ids: string[]) {
    await super.remove(ids);
    this.reload();
  }
  override async updateSpace(spaceId: string, change: SpaceChange) {
    const changed = await super.updateSpace(spaceId, change);
    this.reload();
    return changed;
  }
  override async removeSpace(spaceId: string) {
    const removed = await super.removeSpace(spaceId);
    this.reload();
    return removed;
  }
}

searchIndexContract('embedded (fast), loaded from its snapshot file after every write', async () => ({
  index: new ReloadedAfterEveryWrite(new FastSearchIndex()),
  close: async () => undefined,
}));

describe('the index state on disk', () => {
  const NOW = Date.parse('2026-01-15T12:00:00.000Z');
  const clock = () => NOW;

  it('loads back an index that answers every query exactly as the one saved, and takes writes alike', async () => {
    const { documents, words } = generateCorpus(3000, 7);
    const original = new FastSearchIndex(clock, { compactMinTombstones: 10_000 });
    await original.upsert(documents);
    // Tombstones and replacements, so the saved state is compacted on the way out.
    await original.remove(documents.slice(0, 300).map((doc) => doc.id));
    await original.upsert(
      documents.slice(300, 400).map((doc) => ({ ...doc, body: `${doc.body} rewritten` })),
    );
    const file = path.join(scratch, 'roundtrip.snapshot');
    saveSnapshot(file, original, '000000000000000000042');
    const loaded = loadSnapshot(file, clock);
    if (loaded.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
    expect(loaded.sequence).toBe('000000000000000000042');
    expect(loaded.documents).toBe(2700);
    const restored = loaded.index;
    const compare = async () => {
      for (const text of [...benchmarkQueries(words), '', 'rewritten'])
        for (const access of Object.values(CALLERS)) {
          const query = { text, limit: 20, offset: 0 };
          expect(await restored.search(query, access)).toEqual(await original.search(query, access));
          expect(await restored.suggest(text.slice(0, 4), access, 8)).toEqual(
            await original.suggest(text.slice(0, 4), access, 8),
          );
        }
    };
    await compare();
    expect(restored.stats()).toEqual(original.stats());
    // Straight from the file (nothing parsed yet): documents, people's activity and topics alike.
    expect(await restored.get(documents[500].id)).toEqual(await original.get(documents[500].id));
    expect(restored.all()).toEqual(original.all());
    for (const userId of ['user-1', 'user-2', 'user-7'])
      for (const access of Object.values(CALLERS)) {
        expect(await restored.topicsOf(userId, access, 5, NOW)).toEqual(
          await original.topicsOf(userId, access, 5, NOW),
        );
        expect(await restored.activityOf(userId, access, { limit: 10 })).toEqual(
          await original.activityOf(userId, access, { limit: 10 }),
        );
      }
    // Saved again before it ever parsed a document (their bytes copied as they are), then changed.
    const again = path.join(scratch, 'again.snapshot');
    saveSnapshot(again, restored, '000000000000000000043');
    const reloaded = loadSnapshot(again, clock);
    if (reloaded.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(reloaded)}`);
    expect(reloaded.index.all()).toEqual(original.all());
    // The same writes after the load keep the two the same.
    const fresh = generateCorpus(50, 99).documents.map((doc) => ({ ...doc, id: `new:${doc.id}` }));
    for (const index of [original, restored]) {
      await index.upsert(fresh);
      await index.remove(documents.slice(400, 450).map((doc) => doc.id));
    }
    await compare();
  });

  it('refuses the earlier layout (documents as one JSON array) as another format: a rebuild, not a crash', () => {
    const file = path.join(scratch, 'earlier.snapshot');
    saveSnapshot(file, new FastSearchIndex(), '');
    const earlier = Buffer.from(fs.readFileSync(file));
    earlier.writeUInt32LE(1_002, 8);
    fs.writeFileSync(file, earlier);
    expect(loadSnapshot(file)).toEqual({
      status: 'unusable',
      reason: `has format 1002; this version reads ${SNAPSHOT_FORMAT}`,
    });
  });

  it('refuses a snapshot whose columns name what it does not hold', async () => {
    const index = new FastSearchIndex();
    await index.upsert(generateCorpus(50, 3).documents);
    const file = path.join(scratch, 'inconsistent.snapshot');
    saveSnapshot(file, index, '');
    const bytes = fs.readFileSync(file);
    const headerLength = bytes.readUInt32LE(12);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength));
    const base = Math.ceil((16 + headerLength) / 8) * 8;
    const at = (name: string) => base + header.sections.find((s: { name: string }) => s.name === name).offset;
    // A posting for a document number past the end, then a space number past the spaces.
    const posting = Buffer.from(bytes);
    posting.writeInt32LE(1_000_000 * 1024, at('postingValues1'));
    fs.writeFileSync(file, posting);
    expect(loadSnapshot(file)).toEqual({ status: 'unusable', reason: expect.stringContaining('damaged') });
    const space = Buffer.from(bytes);
    space.writeInt32LE(999, at('spaceOf'));
    fs.writeFileSync(file, space);
    expect(loadSnapshot(file)).toEqual({ status: 'unusable', reason: expect.stringContaining('damaged') });
  });

  it('refuses a file of another format, a truncated one and garbage, and says why', () => {
    const file = path.join(scratch, 'bad.snapshot');
    saveSnapshot(file, new FastSearchIndex(), '');
    const good = fs.readFileSync(file);
    const other = Buffer.from(good);
    other.writeUInt32LE(SNAPSHOT_FORMAT + 1, 8);
    fs.writeFileSync(file, other);
    expect(loadSnapshot(file)).toEqual({ status: 'unusable', reason: expect.stringContaining('format') });
    fs.writeFileSync(file, good.subarray(0, good.byteLength - 8));
    expect(loadSnapshot(file)).toEqual({ status: 'unusable', reason: expect.stringContaining('damaged') });
    fs.writeFileSync(file, 'not a snapshot at all');
    expect(loadSnapshot(file)).toEqual({
      status: 'unusable',
      reason: expect.stringContaining('not a search'),
    });
    expect(loadSnapshot(path.join(scratch, 'none.snapshot'))).toEqual({ status: 'missing' });
  });
});

describe('the local runtime over one data folder', () => {
  const dataDir = path.join(scratch, 'data');
  let rt: LocalRuntime | undefined;
  // No TTL sweep (a Scan) while a test counts the table's scans.
  const start = async () => {
    rt = await startLocalRuntime({ port: 0, dataDir, ttlSweepMs: 3_600_000 });
    return rt;
  };
  const stop = async () => {
    await rt?.close();
    rt = undefined;
  };
  afterEach(stop);

  async function post(runtime: LocalRuntime, title: string, body: string) {
    const token = await runtime.token('alice');
    const response = await fetch(`${runtime.url}/api/spaces/snap/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, body }),
    });
    expect(response.status).toBe(201);
    await runtime.drain();
  }
  const found = async (runtime: LocalRuntime, word: string) =>
    (await runtime.search.search({ text: word, limit: 10, offset: 0 }, CALLERS.admin)).hits.map(
      (hit) => hit.document.title,
    );
  // Counted at dynalite: a rebuild scans it directly, not through the front.
  const scans = (runtime: LocalRuntime) => runtime.dynalite.calls.get('Scan') ?? 0;

  beforeAll(async () => {
    const first = await startLocalRuntime({ port: 0, dataDir });
    expect(first.searchStart).toMatchObject({ mode: 'rebuild', reason: 'no snapshot yet' });
    const token = await first.token('alice');
    const created = await fetch(`${first.url}/api/spaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'snap', name: 'Snapshots' }),
    });
    expect(created.status).toBe(201);
    await post(first, 'Aardvark notes', 'The aardvark digs.');
    await first.close();
  }, 60_000);

  it('starts from the snapshot without scanning the table, with what was written before the stop', async () => {
    const runtime = await start();
    expect(runtime.searchStart).toMatchObject({ mode: 'snapshot', catchUp: 0 });
    expect(scans(runtime)).toBe(0);
    expect(await found(runtime, 'aardvark')).toEqual(['Aardvark notes']);
  }, 60_000);

  it('catches up from the stream after the snapshot (a stop that did not save)', async () => {
    const file = snapshotPath(path.join(dataDir, 'stream'), 'commonplace');
    const before = fs.readFileSync(file);
    const runtime = await start();
    await post(runtime, 'Bonobo notes', 'The bonobo climbs.');
    await stop();
    // As if the process had died before saving: the older snapshot, and the stream holds the rest.
    fs.writeFileSync(file, before);
    const again = await start();
    expect(again.searchStart).toMatchObject({ mode: 'snapshot' });
    expect((again.searchStart as { catchUp: number }).catchUp).toBeGreaterThan(0);
    expect(scans(again)).toBe(0);
    await again.drain();
    expect(await found(again, 'bonobo')).toEqual(['Bonobo notes']);
    expect(await found(again, 'aardvark')).toEqual(['Aardvark notes']);
  }, 60_000);

  it('rebuilds from the table with a warning, not a crash, when the snapshot is damaged', async () => {
    const file = snapshotPath(path.join(dataDir, 'stream'), 'commonplace');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.byteLength / 2)));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const runtime = await start();
      expect(runtime.searchStart).toMatchObject({
        mode: 'rebuild',
        reason: expect.stringContaining('damaged'),
      });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('rebuilding it from the table'));
      expect(scans(runtime)).toBeGreaterThan(0);
      expect(await found(runtime, 'aardvark')).toEqual(['Aardvark notes']);
      expect(await found(runtime, 'bonobo')).toEqual(['Bonobo notes']);
    } finally {
      warn.mockRestore();
    }
    await stop();
    // The rebuild saved a good snapshot again.
    expect((await start()).searchStart.mode).toBe('snapshot');
  }, 60_000);
});
