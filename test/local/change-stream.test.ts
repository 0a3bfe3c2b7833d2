/**
 * The local change stream stays bounded however long it runs (issue 14, item 4): only the open
 * segment is in memory, readers that lag page through sealed segments on disk, retention drops old
 * segments while running, and a restart resumes the same log (torn last line, older single-file logs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ChangeStream } from '../../local/dynamodb/change-stream';

const dirs: string[] = [];
const streams: ChangeStream[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-stream-'));
  dirs.push(dir);
  return dir;
}
function open(dir: string | undefined, options: ConstructorParameters<typeof ChangeStream>[3] = {}) {
  const stream = new ChangeStream('t', 'local', dir, { segmentRecords: 10, ...options });
  streams.push(stream);
  return stream;
}
function write(stream: ChangeStream, from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    const keys = { PK: { S: `K${i}` }, SK: { S: 'A' } };
    stream.append(keys, undefined, { ...keys, n: { N: String(i) } });
  }
}
const numbers = (stream: ChangeStream, after = '', limit = 1e9) =>
  stream.readAfter(after, limit).map((r) => Number(r.dynamodb.NewImage!.n.N));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('ChangeStream', () => {
  it('holds only the open segment (and a few cached ones) in memory while readers page from disk', async () => {
    const dir = tempDir();
    const stream = open(dir);
    write(stream, 0, 105);
    expect(stream.length).toBe(105);
    expect(stream.holding.segments).toBe(11);
    // The open segment plus at most four decoded sealed segments: not 105 records.
    expect(stream.holding.inMemory).toBeLessThanOrEqual(10 + 4 * 10);
    expect(numbers(stream)).toEqual(range(0, 105));
    const after = stream.readAfter('', 37).at(-1)!.dynamodb.SequenceNumber;
    expect(numbers(stream, after, 7)).toEqual(range(37, 44));
    expect(stream.countAfter(after)).toBe(68);
    // Sealed segments are compressed on disk in the background; reading them still works.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const files = fs.readdirSync(path.join(dir, 't.stream'));
    expect(files.filter((f) => f.endsWith('.jsonl.gz')).length).toBeGreaterThanOrEqual(9);
    expect(files.filter((f) => f.endsWith('.jsonl'))).toHaveLength(1);
    expect(numbers(stream, '', 1e9)).toEqual(range(0, 105));
    expect(stream.holding.inMemory).toBeLessThanOrEqual(10 + 4 * 10);
  });

  it('drops records past retention while running, a segment at a time, and says what it no longer holds', () => {
    let now = 1_000_000;
    const dir = tempDir();
    const stream = open(dir, { now: () => now, retentionSeconds: 3600 });
    write(stream, 0, 25);
    const oldLatest = stream.latestSequenceNumber;
    now += 7200;
    write(stream, 25, 3);
    // Two full segments go; the open one (records 20–27) stays until its newest record expires.
    expect(stream.trim()).toBe(20);
    expect(numbers(stream)).toEqual(range(20, 28));
    expect(stream.holdsEverythingAfter('')).toBe(false);
    expect(stream.holdsEverythingAfter(oldLatest)).toBe(true);
    expect(stream.countAfter('')).toBe(8);
    expect(fs.readdirSync(path.join(dir, 't.stream'))).toHaveLength(1);
    // A restart remembers where the dropped records ended.
    stream.close();
    const again = open(dir, { now: () => now, retentionSeconds: 3600 });
    expect(again.holdsEverythingAfter('')).toBe(false);
    expect(numbers(again)).toEqual(range(20, 28));
  });

  it('trims in memory too (no directory)', () => {
    let now = 1_000_000;
    const stream = open(undefined, { now: () => now, retentionSeconds: 60 });
    write(stream, 0, 30);
    now += 120;
    write(stream, 30, 2);
    stream.trim();
    expect(numbers(stream)).toEqual([30, 31]);
  });

  it('resumes after a restart, cutting a torn last line, with sequence numbers going on', () => {
    const dir = tempDir();
    const first = open(dir);
    write(first, 0, 23);
    const latest = first.latestSequenceNumber;
    first.close();
    const openFile = fs.readdirSync(path.join(dir, 't.stream')).sort().at(-1)!;
    fs.appendFileSync(path.join(dir, 't.stream', openFile), '{"eventID":"torn","dynam');
    const second = open(dir);
    expect(second.latestSequenceNumber).toBe(latest);
    expect(numbers(second)).toEqual(range(0, 23));
    write(second, 23, 10);
    second.close();
    const third = open(dir);
    expect(numbers(third)).toEqual(range(0, 33));
    const sequences = third.readAfter('', 1e9).map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect(sequences).toEqual(range(1, 34).map(BigInt));
  });

  it('takes over a log written in the older single-file format', () => {
    const dir = tempDir();
    const old = open(undefined);
    write(old, 0, 15);
    const lines = old.readAfter('', 1e9).map((r) => JSON.stringify(r));
    fs.writeFileSync(
      path.join(dir, 't.records.jsonl'),
      `${JSON.stringify({ dropped: '000000000000000000000' })}\n${lines.join('\n')}\n`,
    );
    const stream = open(dir);
    expect(numbers(stream)).toEqual(range(0, 15));
    expect(fs.existsSync(path.join(dir, 't.records.jsonl'))).toBe(false);
    write(stream, 15, 1);
    expect(stream.latestSequenceNumber).toBe('16'.padStart(21, '0'));
  });
});
