/**
 * The on-failure destination of the local event source mappings. In AWS an SQS queue receives a
 * pointer to the failed batch; locally we keep the records themselves so an operator (or a test) can
 * list them and replay them through the same handler once the fault is fixed.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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
      if (fs.existsSync(this.file)) {
        for (const entry of JSON.parse(fs.readFileSync(this.file, 'utf8')) as FailedBatch[])
          this.entries.set(entry.id, entry);
      }
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
    if (this.file) fs.writeFileSync(this.file, JSON.stringify([...this.entries.values()], null, 1));
  }
}
