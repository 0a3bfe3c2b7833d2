/**
 * The local stand-in for DynamoDB Streams: an ordered log of change records in exactly the shape
 * Lambda receives (`DynamoDBRecord`, view type NEW_AND_OLD_IMAGES). The local front appends one
 * record per committed item change while it holds the write lock, so sequence numbers follow commit
 * order and no change is missed or recorded twice.
 *
 * With a directory the log is also appended to `records.jsonl`, so consumers resume after a restart
 * from their checkpoints; records older than the retention period (24 h, as in AWS) are dropped.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { writeFileAtomic } from '../atomic-file';
import type { AttributeMap } from './wire';

export type StreamRecord = DynamoDBRecord & { dynamodb: { SequenceNumber: string } };

const RETENTION_SECONDS = 24 * 3600;

export class ChangeStream {
  private readonly records: StreamRecord[] = [];
  private nextSequence = 1n;
  /** The sequence number of the newest record no longer held ('' when none was dropped). */
  private dropped = '';
  private readonly listeners = new Set<() => void>();
  private readonly logFile?: string;

  constructor(
    readonly tableName: string,
    readonly region: string,
    directory?: string,
  ) {
    if (directory) {
      fs.mkdirSync(directory, { recursive: true });
      this.logFile = path.join(directory, `${tableName}.records.jsonl`);
      this.load();
    }
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
    const record: StreamRecord = {
      eventID: randomUUID().replaceAll('-', ''),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.region,
      eventSourceARN: this.arn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: keys as never,
        ...(newImage ? { NewImage: newImage as never } : {}),
        ...(oldImage ? { OldImage: oldImage as never } : {}),
        SequenceNumber: sequence.toString().padStart(21, '0'),
        SizeBytes: Buffer.byteLength(JSON.stringify([keys, newImage ?? {}, oldImage ?? {}])),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      ...(ttlExpiry ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
    };
    this.records.push(record);
    if (this.logFile) fs.appendFileSync(this.logFile, `${JSON.stringify(record)}\n`);
    for (const listener of this.listeners) listener();
    return record;
  }

  /** Records with a sequence number greater than `after` ('' for the start), at most `limit`. */
  readAfter(after: string, limit: number): StreamRecord[] {
    let start = 0;
    if (after) {
      // Sequence numbers are zero-padded, so string order is numeric order.
      let low = 0;
      let high = this.records.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (this.records[mid].dynamodb.SequenceNumber <= after) low = mid + 1;
        else high = mid;
      }
      start = low;
    }
    return this.records.slice(start, start + limit);
  }

  get latestSequenceNumber(): string {
    return this.records.at(-1)?.dynamodb.SequenceNumber ?? '';
  }

  /**
   * Whether every record after `sequence` is still held, so a consumer (or a saved index) that is
   * complete up to `sequence` can catch up from here: not when retention dropped some, and not for a
   * sequence number this log never handed out (a log deleted or reset since).
   */
  holdsEverythingAfter(sequence: string): boolean {
    return sequence >= this.dropped && sequence <= (this.latestSequenceNumber || this.dropped);
  }

  /** How many records come after `sequence`. */
  countAfter(sequence: string): number {
    return this.readAfter(sequence, Number.MAX_SAFE_INTEGER).length;
  }

  get length(): number {
    return this.records.length;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private load() {
    if (!this.logFile || !fs.existsSync(this.logFile)) return;
    const horizon = Math.floor(Date.now() / 1000) - RETENTION_SECONDS;
    const lines = fs.readFileSync(this.logFile, 'utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      let record: StreamRecord & { dropped?: string };
      try {
        record = JSON.parse(line);
      } catch {
        continue; // a torn last line after a crash: that write's record is the only one lost, and it was never acknowledged
      }
      if (record.dropped) {
        // The first line after a rewrite: where the records dropped so far ended.
        this.dropped = record.dropped;
        this.nextSequence = BigInt(record.dropped) + 1n;
        continue;
      }
      this.nextSequence = BigInt(record.dynamodb.SequenceNumber) + 1n;
      if ((record.dynamodb.ApproximateCreationDateTime ?? 0) >= horizon) this.records.push(record);
      else this.dropped = record.dynamodb.SequenceNumber;
    }
    // Rewrite without expired records so the file does not grow forever; the first line keeps where
    // they ended, so sequence numbers go on from there even when every record has expired.
    writeFileAtomic(
      this.logFile,
      (this.dropped ? `${JSON.stringify({ dropped: this.dropped })}\n` : '') +
        this.records.map((r) => `${JSON.stringify(r)}\n`).join(''),
    );
  }
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
