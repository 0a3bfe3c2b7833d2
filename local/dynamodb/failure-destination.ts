/**
 * The on-failure destination of the local event source mappings. In AWS an SQS queue receives a
 * pointer to the failed batch; locally we keep the records themselves so an operator (or a test) can
 * list them and replay them through the same handler once the fault is fixed.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import { readJsonState } from '../state-file';
import type { StreamRecord } from './change-stream';

export interface FailedBatch {
  id: string;
  consumer: string;
  streamArn: string;
  error: string;
  attempts: number;
  failedAt: string;
  firstSequenceNumber: string;
  lastSequenceNumber: string;
  records: StreamRecord[];
}

export class FailureDestination {
  private readonly entries = new Map<string, FailedBatch>();
  private readonly file?: string;

  constructor(directory?: string) {
    if (directory) {
      fs.mkdirSync(directory, { recursive: true });
      this.file = path.join(directory, 'failed-batches.json');
      const saved = readJsonState<FailedBatch[]>(
        this.file,
        'the stream failure destination',
        'Restore it from a backup (`npm run restore -- <file>`), or delete it to drop the failed batches it listed and run `npm run reindex` to rebuild what they would have indexed.',
      );
      for (const entry of saved ?? []) this.entries.set(entry.id, entry);
    }
  }

  add(failure: {
    consumer: string;
    streamArn: string;
    error: string;
    attempts: number;
    records: StreamRecord[];
  }) {
    const entry: FailedBatch = {
      id: randomUUID(),
      failedAt: new Date().toISOString(),
      firstSequenceNumber: failure.records[0]?.dynamodb.SequenceNumber ?? '',
      lastSequenceNumber: failure.records.at(-1)?.dynamodb.SequenceNumber ?? '',
      ...failure,
    };
    this.entries.set(entry.id, entry);
    this.save();
    return entry;
  }

  list(consumer?: string): FailedBatch[] {
    return [...this.entries.values()].filter((entry) => !consumer || entry.consumer === consumer);
  }

  get(id: string) {
    return this.entries.get(id);
  }

  remove(id: string) {
    this.entries.delete(id);
    this.save();
  }

  private save() {
    if (this.file) writeFileAtomic(this.file, JSON.stringify([...this.entries.values()], null, 1));
  }
}
