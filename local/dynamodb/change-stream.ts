/**
 * The local stand-in for DynamoDB Streams: an ordered log of change records in exactly the shape
 * Lambda receives (`DynamoDBRecord`, view type NEW_AND_OLD_IMAGES). The local front appends one
 * record per committed item change while it holds the item's lock, so sequence numbers follow commit
 * order per item and no change is missed or recorded twice.
 *
 * Bounded in memory and on disk, however long the process runs: the log is cut into segments of
 * SEGMENT_RECORDS records. With a directory, only the open (newest) segment is held in memory and
 * appended to `<table>.stream/<first sequence>.jsonl`; a full segment is sealed (gzipped beside it)
 * and readers that lag behind page through sealed segments from disk, a few decoded ones cached.
 * Records older than the retention period (24 h, as in AWS) are dropped a segment at a time while
 * running, not only at start. Without a directory (tests) segments are kept in memory, trimmed alike.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { DynamoDBRecord } from 'aws-lambda';
import { writeFileAtomic } from '../atomic-file';
import type { AttributeMap } from './wire';

export type StreamRecord = DynamoDBRecord & { dynamodb: { SequenceNumber: string } };

const RETENTION_SECONDS = 24 * 3600;
/** Records per segment: the most the open segment holds in memory (~1–3 MB of typical records). */
export const SEGMENT_RECORDS = 1000;
/** Sealed segments kept decoded for readers that lag behind (one per consumer, roughly). */
const CACHED_SEGMENTS = 4;
const TRIM_EVERY_MS = 60_000;
const gzip = promisify(zlib.gzip);

interface Segment {
  /** Sequence numbers of its first and last record (as numbers: they are consecutive). */
  first: bigint;
  last: bigint;
  /** Seconds: when its newest record was written (the file's mtime once sealed). */
  newest: number;
  /** The records, while open or when there is no directory. */
  records?: StreamRecord[];
  /** Its file, with a directory: `.jsonl` while open or not yet compressed, then `.jsonl.gz`. */
  file?: string;
}

export interface ChangeStreamOptions {
  /** Records per segment (tests use small ones). */
  segmentRecords?: number;
  /** How long records are kept, in seconds. */
  retentionSeconds?: number;
  /** The clock, in seconds (tests move it). */
  now?: () => number;
}

const pad = (sequence: bigint) => sequence.toString().padStart(21, '0');
const toBig = (sequence: string) => (sequence ? BigInt(sequence) : 0n);
const nowSeconds = () => Math.floor(Date.now() / 1000);

export class ChangeStream {
  private readonly segments: Segment[] = [];
  private nextSequence = 1n;
  /** The sequence number of the newest record no longer held (0 when none was dropped). */
  private droppedUpTo = 0n;
  private readonly listeners = new Set<() => void>();
  private readonly directory?: string;
  private readonly stateFile?: string;
  private openFd?: number;
  private readonly cache = new Map<bigint, StreamRecord[]>();
  private readonly trimTimer?: NodeJS.Timeout;
  private readonly segmentRecords: number;
  private readonly retentionSeconds: number;
  private readonly now: () => number;

  constructor(
    readonly tableName: string,
    readonly region: string,
    directory?: string,
    options: ChangeStreamOptions = {},
  ) {
    this.segmentRecords = options.segmentRecords ?? SEGMENT_RECORDS;
    this.retentionSeconds = options.retentionSeconds ?? RETENTION_SECONDS;
    this.now = options.now ?? nowSeconds;
    if (directory) {
      this.directory = path.join(directory, `${tableName}.stream`);
      this.stateFile = path.join(directory, `${tableName}.stream-state.json`);
      fs.mkdirSync(this.directory, { recursive: true });
      this.load(path.join(directory, `${tableName}.records.jsonl`));
    }
    this.trim();
    this.trimTimer = setInterval(() => this.trim(), TRIM_EVERY_MS);
    this.trimTimer.unref();
  }

  get arn(): string {
    return `arn:aws:dynamodb:${this.region}:000000000000:table/${this.tableName}/stream/local`;
  }

  /** Appends the change of one item; returns nothing when the item did not actually change. */
  append(
    keys: AttributeMap,
    oldImage: AttributeMap | undefined,
    newImage: AttributeMap | undefined,
    ttlExpiry = false,
  ) {
    if (!oldImage && !newImage) return undefined;
    if (oldImage && newImage && sameItem(oldImage, newImage)) return undefined;
    const eventName = !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY';
    const sequence = this.nextSequence++;
    const now = this.now();
    const record: StreamRecord = {
      eventID: randomUUID().replaceAll('-', ''),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.region,
      eventSourceARN: this.arn,
      dynamodb: {
        ApproximateCreationDateTime: now,
        Keys: keys as never,
        ...(newImage ? { NewImage: newImage as never } : {}),
        ...(oldImage ? { OldImage: oldImage as never } : {}),
        SequenceNumber: pad(sequence),
        SizeBytes: Buffer.byteLength(JSON.stringify([keys, newImage ?? {}, oldImage ?? {}])),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      ...(ttlExpiry ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
    };
    let open = this.segments.at(-1);
    if (!open?.records || open.records.length >= this.segmentRecords) {
      if (open?.records) this.seal(open);
      open = { first: sequence, last: sequence, newest: now, records: [] };
      if (this.directory) {
        open.file = path.join(this.directory, `${pad(sequence)}.jsonl`);
        this.openFd = fs.openSync(open.file, 'a');
      }
      this.segments.push(open);
    }
    open.records!.push(record);
    open.last = sequence;
    open.newest = now;
    // One synchronous write per record: acknowledged changes survive a crash of the process.
    if (this.openFd !== undefined) fs.writeSync(this.openFd, `${JSON.stringify(record)}\n`);
    for (const listener of this.listeners) listener();
    return record;
  }

  /** Records with a sequence number greater than `after` ('' for the start), at most `limit`. */
  readAfter(after: string, limit: number): StreamRecord[] {
    const from = toBig(after);
    const out: StreamRecord[] = [];
    // The first segment that holds a record after `from` (segments are in sequence order).
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.segments[mid].last <= from) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.segments.length && out.length < limit; i++) {
      const segment = this.segments[i];
      const records = this.recordsOf(segment);
      let start = 0;
      if (from >= segment.first) {
        let lo = 0;
        let hi = records.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (BigInt(records[mid].dynamodb.SequenceNumber) <= from) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      for (let j = start; j < records.length && out.length < limit; j++) out.push(records[j]);
    }
    return out;
  }

  get latestSequenceNumber(): string {
    const last = this.nextSequence - 1n;
    return last > 0n ? pad(last) : '';
  }

  /**
   * Whether every record after `sequence` is still held, so a consumer (or a saved index) that is
   * complete up to `sequence` can catch up from here: not when retention dropped some, and not for a
   * sequence number this log never handed out (a log deleted or reset since).
   */
  holdsEverythingAfter(sequence: string): boolean {
    return toBig(sequence) >= this.droppedUpTo && sequence <= this.latestSequenceNumber;
  }

  /** How many records come after `sequence` (counted, not read: sequence numbers are consecutive). */
  countAfter(sequence: string): number {
    const from = toBig(sequence) > this.droppedUpTo ? toBig(sequence) : this.droppedUpTo;
    const last = this.nextSequence - 1n;
    return last > from ? Number(last - from) : 0;
  }

  /** Records held now (in memory or in segment files). */
  get length(): number {
    return this.segments.reduce((sum, segment) => sum + Number(segment.last - segment.first + 1n), 0);
  }

  /** What is held, for health and benchmarks: segments, records, and how many are in memory. */
  get holding() {
    const inMemory =
      this.segments.reduce((sum, segment) => sum + (segment.records?.length ?? 0), 0) +
      [...this.cache.values()].reduce((sum, records) => sum + records.length, 0);
    return { segments: this.segments.length, records: this.length, inMemory };
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops whole segments whose newest record is past retention (runs every minute and at start). */
  trim(): number {
    const horizon = this.now() - this.retentionSeconds;
    let dropped = 0;
    while (this.segments.length && this.segments[0].newest < horizon) {
      const segment = this.segments.shift()!;
      if (segment === this.openSegment()) this.closeOpen();
      if (segment.file) fs.rmSync(segment.file, { force: true });
      this.cache.delete(segment.first);
      this.droppedUpTo = segment.last;
      dropped += Number(segment.last - segment.first + 1n);
    }
    if (dropped && this.stateFile)
      writeFileAtomic(this.stateFile, JSON.stringify({ droppedUpTo: pad(this.droppedUpTo) }));
    return dropped;
  }

  /** Stops the trim timer and closes the open segment's file. */
  close() {
    clearInterval(this.trimTimer);
    this.closeOpen();
  }

  private openSegment(): Segment | undefined {
    const last = this.segments.at(-1);
    return last?.records && this.openFd !== undefined ? last : undefined;
  }

  private closeOpen() {
    if (this.openFd !== undefined) fs.closeSync(this.openFd);
    this.openFd = undefined;
  }

  /** A full segment: with a directory, its records leave memory and its file is compressed. */
  private seal(segment: Segment) {
    if (!this.directory || !segment.file) return;
    this.closeOpen();
    const records = segment.records!;
    segment.records = undefined;
    this.remember(segment.first, records);
    const plain = segment.file;
    const packed = `${plain}.gz`;
    // Compressed off the event loop; until it is renamed into place readers use the plain file.
    void fs.promises
      .readFile(plain)
      .then((contents) => gzip(contents))
      .then(async (compressed) => {
        if (!this.segments.includes(segment)) return; // trimmed meanwhile
        await fs.promises.writeFile(`${packed}.tmp`, compressed);
        await fs.promises.rename(`${packed}.tmp`, packed);
        segment.file = packed;
        await fs.promises.rm(plain, { force: true });
      })
      .catch(() => undefined); // the plain file stays readable; compression is only a saving
  }

  private recordsOf(segment: Segment): StreamRecord[] {
    if (segment.records) return segment.records;
    const cached = this.cache.get(segment.first);
    if (cached) {
      // Least recently used goes first: re-insert to mark as used.
      this.cache.delete(segment.first);
      this.cache.set(segment.first, cached);
      return cached;
    }
    const records = parseLines(readSegment(segment.file!));
    this.remember(segment.first, records);
    return records;
  }

  private remember(first: bigint, records: StreamRecord[]) {
    this.cache.set(first, records);
    while (this.cache.size > CACHED_SEGMENTS) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Rebuilds the segment list from the files: sealed segments are only listed (their first sequence
   * number is in the name, their last is one before the next one's first, their age is the file's
   * mtime); the newest, if still recent, is read back into memory and appended to again.
   */
  private load(legacyFile: string) {
    const directory = this.directory!;
    if (this.stateFile && fs.existsSync(this.stateFile)) {
      try {
        this.droppedUpTo = toBig(JSON.parse(fs.readFileSync(this.stateFile, 'utf8')).droppedUpTo ?? '');
      } catch {
        throw new Error(`${this.stateFile} is damaged (not JSON); restore it from a backup or delete it`);
      }
    }
    this.migrateLegacy(legacyFile);
    const byFirst = new Map<string, string>();
    for (const name of fs.readdirSync(directory)) {
      const match = /^(\d{21})\.jsonl(\.gz)?$/.exec(name);
      if (!match) {
        if (name.endsWith('.tmp')) fs.rmSync(path.join(directory, name), { force: true });
        continue;
      }
      // A segment compressed just before a crash may still have its plain file: the .gz is complete.
      if (byFirst.has(match[1]) && !match[2]) {
        fs.rmSync(path.join(directory, name), { force: true });
        continue;
      }
      if (byFirst.has(match[1])) fs.rmSync(byFirst.get(match[1])!, { force: true });
      byFirst.set(match[1], path.join(directory, name));
    }
    const firsts = [...byFirst.keys()].sort();
    firsts.forEach((first, i) => {
      const file = byFirst.get(first)!;
      const newest = Math.floor(fs.statSync(file).mtimeMs / 1000);
      const isLast = i === firsts.length - 1;
      if (!isLast) {
        this.segments.push({ first: BigInt(first), last: BigInt(firsts[i + 1]) - 1n, newest, file });
        return;
      }
      const records = parseLines(readSegment(file));
      if (records.length === 0) {
        fs.rmSync(file, { force: true });
        return;
      }
      const last = BigInt(records.at(-1)!.dynamodb.SequenceNumber);
      const segment: Segment = { first: BigInt(first), last, newest, file };
      if (!file.endsWith('.gz') && records.length < this.segmentRecords) {
        // Cut a torn last line (a crash mid-write) so the next append starts on a line of its own.
        const text = fs.readFileSync(file, 'utf8');
        const end = text.lastIndexOf('\n') + 1;
        if (end < text.length) fs.truncateSync(file, end);
        segment.records = records;
        this.openFd = fs.openSync(file, 'a');
      }
      this.segments.push(segment);
    });
    const newest = this.segments.at(-1)?.last ?? 0n;
    this.nextSequence = (newest > this.droppedUpTo ? newest : this.droppedUpTo) + 1n;
    if (this.segments.length && this.segments[0].first - 1n > this.droppedUpTo)
      this.droppedUpTo = this.segments[0].first - 1n;
  }

  /** A log written before segments (`<table>.records.jsonl`) becomes the first segments, once. */
  private migrateLegacy(legacyFile: string) {
    if (!fs.existsSync(legacyFile)) return;
    const lines = fs.readFileSync(legacyFile, 'utf8').split('\n');
    let chunk: string[] = [];
    let chunkFirst = '';
    const flush = () => {
      if (chunk.length) writeFileAtomic(path.join(this.directory!, `${chunkFirst}.jsonl`), chunk.join(''));
      chunk = [];
    };
    for (const line of lines) {
      if (!line.trim()) continue;
      let record: StreamRecord & { dropped?: string };
      try {
        record = JSON.parse(line);
      } catch {
        continue; // a torn last line: that write was never acknowledged
      }
      if (record.dropped) {
        if (toBig(record.dropped) > this.droppedUpTo) this.droppedUpTo = toBig(record.dropped);
        continue;
      }
      if (chunk.length === 0) chunkFirst = record.dynamodb.SequenceNumber;
      chunk.push(`${line}\n`);
      if (chunk.length >= this.segmentRecords) flush();
    }
    flush();
    if (this.stateFile && this.droppedUpTo)
      writeFileAtomic(this.stateFile, JSON.stringify({ droppedUpTo: pad(this.droppedUpTo) }));
    fs.rmSync(legacyFile);
  }
}

function readSegment(file: string): string {
  const contents = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(contents) : contents).toString('utf8');
}

function parseLines(text: string): StreamRecord[] {
  const records: StreamRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // a torn last line after a crash: that write's record is the only one lost, and it was never acknowledged
    }
  }
  return records;
}

/** Attribute-value maps compared regardless of key order (DynamoDB emits no record for a no-op write). */
export function sameItem(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
