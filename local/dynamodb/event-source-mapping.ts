/**
 * Lambda's event source mapping for a DynamoDB stream, run locally: it reads the change stream from a
 * checkpoint and invokes a stream handler with `{ Records }` batches, as Lambda does —
 * - batches of up to `batchSize` records, in stream order (so order per item key holds);
 * - with `reportBatchItemFailures`, the checkpoint moves to just before the first failed record and
 *   the rest is retried;
 * - a thrown error bisects the batch (when enabled) and retries the halves, which does not count as
 *   a retry; otherwise the batch is retried up to `retryAttempts` times;
 * - when retries are exhausted the records go to the failure destination and the mapping moves on.
 * Nothing is lost: every record is either handled or kept in the failure destination for replay.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { recordHasItemType } from '../../functions/streams/item-type-filter';
import { writeFileAtomic } from '../atomic-file';
import { DataFolderError } from '../state-file';
import type { ChangeStream, StreamRecord } from './change-stream';
import type { FailureDestination } from './failure-destination';

/** A Lambda stream handler: it may answer with partial batch failures, or with nothing at all. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers declared as returning void must fit
) => Promise<DynamoDBBatchResponse | void> | DynamoDBBatchResponse | void;

export interface EventSourceMappingOptions {
  name: string;
  handler: StreamHandler;
  /**
   * Only records of items with these `type`s are delivered (the Lambda event filter in AWS, built
   * from the same list); the others are passed over as Lambda drops filtered records. Default: all.
   */
  itemTypes?: readonly string[];
  batchSize?: number;
  retryAttempts?: number;
  bisectBatchOnFunctionError?: boolean;
  reportBatchItemFailures?: boolean;
  /** Pause between retries of a failing batch; the first pause of an outage (it doubles from there). */
  retryDelayMs?: number;
  /** The longest pause while every record of a batch keeps failing (an outage). @default 30 s */
  maxBackoffMs?: number;
  /** Records older than this stop being waited for and go to the failure destination. @default 1 day */
  maxRecordAgeSeconds?: number;
  /** Where checkpoints are kept across restarts; omit to start from the stream's beginning each time. */
  checkpointDirectory?: string;
}

const CHECKPOINT_EVERY_MS = 1000;

type Outcome = { ok: true } | { ok: false; failedFrom?: number; failedCount?: number; error: string };

export class EventSourceMapping {
  private position = '';
  private running = false;
  private rerun = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private unsubscribe?: () => void;
  private invocations = 0;
  private checkpointTimer?: NodeJS.Timeout;
  private readonly wakers = new Set<() => void>();
  readonly options: Required<Omit<EventSourceMappingOptions, 'checkpointDirectory' | 'itemTypes'>> & {
    checkpointDirectory?: string;
    itemTypes?: readonly string[];
  };

  constructor(
    private readonly stream: ChangeStream,
    private readonly failures: FailureDestination,
    options: EventSourceMappingOptions,
  ) {
    this.options = {
      batchSize: 100,
      retryAttempts: 3,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: true,
      retryDelayMs: 100,
      maxBackoffMs: 30_000,
      maxRecordAgeSeconds: 24 * 3600,
      ...options,
    };
    this.position = this.readCheckpoint();
  }

  /** Starts after `sequenceNumber` instead of the checkpoint (for a consumer whose state was rebuilt). */
  skipTo(sequenceNumber: string) {
    this.position = sequenceNumber;
    this.writeCheckpoint();
  }

  start() {
    this.stopped = false;
    this.unsubscribe = this.stream.onAppend(() => this.kick());
    this.kick();
  }

  async stop() {
    this.stopped = true;
    this.unsubscribe?.();
    for (const wake of [...this.wakers]) wake();
    await this.idle();
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.writeCheckpoint();
  }

  /** Resolves when every record appended so far has been handled or sent to the failure destination. */
  idle(): Promise<void> {
    if (!this.running && (this.stopped || this.position >= this.stream.latestSequenceNumber))
      return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get state() {
    return {
      name: this.options.name,
      checkpoint: this.position,
      behind: this.stream.countAfter(this.position),
      invocations: this.invocations,
    };
  }

  private kick() {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.pump().finally(() => {
      this.running = false;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.kick();
        return;
      }
      const waiters = this.idleWaiters.splice(0);
      for (const resolve of waiters) resolve();
    });
  }

  private async pump() {
    while (!this.stopped) {
      this.rerun = false;
      const read = this.stream.readAfter(this.position, this.options.batchSize);
      if (read.length === 0) return;
      const batch = this.wanted(read);
      if (batch.length) await this.deliver(batch, 0, true);
      if (this.stopped) return;
      // Past the filtered-out records too, once everything delivered before them is done.
      if (batch.at(-1) !== read.at(-1)) this.advance(read.at(-1)!);
    }
  }

  private wanted(records: StreamRecord[]) {
    const { itemTypes } = this.options;
    return itemTypes ? records.filter((record) => recordHasItemType(record, itemTypes)) : records;
  }

  /**
   * Delivers one batch until it succeeds, per the options. A batch in which every record failed
   * (two or more, all reported by the handler, and its first and last record each failing alone too)
   * means something they all need is down: it is retried
   * whole after pauses that double (up to maxBackoffMs) until it succeeds or its oldest record is
   * older than maxRecordAgeSeconds — not bisected, and not counted against retryAttempts. A thrown
   * error bisects; a partial failure retries from the first failed record. A top-level batch that
   * fails while smaller than batchSize first takes in the records written since, so a lone record
   * that fails during an outage is judged with the others (all failing: an outage; alone: a bad one).
   */
  private async deliver(initial: StreamRecord[], retriesSoFar: number, topLevel = false): Promise<void> {
    let records = initial;
    let retries = retriesSoFar;
    let outageRounds = 0;
    for (;;) {
      if (this.stopped) return; // not advanced: the next start delivers these again
      const outcome = await this.invoke(records);
      if (outcome.ok) {
        this.advance(records.at(-1)!);
        return;
      }
      const everyRecord = outcome.failedFrom === 0 && outcome.failedCount === records.length;
      if (everyRecord && records.length > 1) {
        // An outage, or one record spoiling the batch (its one bulk request)? Try the first and the
        // last record alone: both failing, something they all need is down.
        const outage = !(await this.invoke([records[0]])).ok && !(await this.invoke([records.at(-1)!])).ok;
        if (!outage) {
          await this.bisect(records, retries);
          return;
        }
        const age = Math.floor(Date.now() / 1000) - (records[0].dynamodb.ApproximateCreationDateTime ?? 0);
        if (age <= this.options.maxRecordAgeSeconds) {
          outageRounds++;
          await this.pause(
            Math.min(this.options.maxBackoffMs, this.options.retryDelayMs * 2 ** Math.min(outageRounds, 16)),
          );
          continue;
        }
        retries = this.options.retryAttempts; // too old to keep waiting for: set aside below
      }
      if (outcome.failedFrom !== undefined) {
        // Partial failure: everything before the first failed record is done.
        if (outcome.failedFrom > 0) this.advance(records[outcome.failedFrom - 1]);
        records = records.slice(outcome.failedFrom);
      } else if (this.options.bisectBatchOnFunctionError && records.length > 1) {
        await this.bisect(records, retries);
        return;
      }
      if (topLevel && records.length < this.options.batchSize) {
        const more = this.wanted(
          this.stream.readAfter(
            records.at(-1)!.dynamodb.SequenceNumber,
            this.options.batchSize - records.length,
          ),
        );
        if (more.length) {
          records = records.concat(more);
          await this.pause(this.options.retryDelayMs);
          continue;
        }
      }
      retries++;
      if (retries > this.options.retryAttempts) {
        this.failures.add({
          consumer: this.options.name,
          records,
          error: outcome.error,
          attempts: retries,
          streamArn: this.stream.arn,
        });
        this.advance(records.at(-1)!);
        return;
      }
      await this.pause(this.options.retryDelayMs * retries);
    }
  }

  private async bisect(records: StreamRecord[], retries: number) {
    const middle = Math.ceil(records.length / 2);
    await this.deliver(records.slice(0, middle), retries);
    await this.deliver(records.slice(middle), retries);
  }

  /** A pause that stop() cuts short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  /** Calls the handler the way Lambda does and classifies the answer. */
  async invoke(records: StreamRecord[]): Promise<Outcome> {
    this.invocations++;
    try {
      const response = await this.options.handler({ Records: records }, lambdaContext(this.options.name));
      const failed = response && 'batchItemFailures' in response ? response.batchItemFailures : [];
      if (!this.options.reportBatchItemFailures || failed.length === 0) return { ok: true };
      const ids = failed.map((f) => f.itemIdentifier);
      const index = records.findIndex((r) => ids.includes(r.dynamodb.SequenceNumber));
      // An identifier that names no record in the batch fails the whole batch, as in Lambda.
      const whole = index === -1 || ids.some((id) => !id);
      return {
        ok: false,
        failedFrom: whole ? 0 : index,
        failedCount: whole
          ? records.length
          : records.filter((r) => ids.includes(r.dynamodb.SequenceNumber)).length,
        error: 'batchItemFailures reported',
      };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  private advance(record: StreamRecord) {
    // Never backwards: a batch that grew while retried may already have moved past the pump's read.
    if (record.dynamodb.SequenceNumber <= this.position) return;
    this.position = record.dynamodb.SequenceNumber;
    // Saved at most once a second (and on stop), not per batch: under load a file write per batch
    // costs more than the batch. A crash re-delivers at most that second's batches; handlers are
    // idempotent, as they must be for Lambda's at-least-once delivery.
    this.checkpointTimer ??= setTimeout(() => {
      this.checkpointTimer = undefined;
      this.writeCheckpoint();
    }, CHECKPOINT_EVERY_MS);
    this.checkpointTimer.unref?.();
  }

  private checkpointFile() {
    const dir = this.options.checkpointDirectory;
    return dir ? path.join(dir, `${this.stream.tableName}.${this.options.name}.checkpoint`) : undefined;
  }

  private readCheckpoint(): string {
    const file = this.checkpointFile();
    if (!file || !fs.existsSync(file)) return '';
    const text = fs.readFileSync(file, 'utf8').trim();
    // A torn or empty checkpoint would silently replay (or skip) the stream: name it instead.
    if (!/^\d{21}$/.test(text))
      throw new DataFolderError(
        `${file} (the ${this.options.name} consumer's stream checkpoint) is damaged: ${text ? 'it is not a sequence number' : 'it is empty'}. Delete it to replay the retained stream through that consumer (its writes are idempotent), or restore the data folder from a backup (\`npm run restore -- <file>\`).`,
      );
    return text;
  }

  private writeCheckpoint() {
    const file = this.checkpointFile();
    // No position yet is no file (the same meaning: from the start), never an empty one.
    if (file && this.position) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Atomic: a crash mid-write leaves the old checkpoint, not a 0-byte file.
      writeFileAtomic(file, this.position);
    }
  }
}

function lambdaContext(functionName: string): Context {
  const requestId = `local-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
