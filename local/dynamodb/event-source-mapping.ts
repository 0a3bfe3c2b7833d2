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
  /** Pause between retries of a failing batch. */
  retryDelayMs?: number;
  /** Where checkpoints are kept across restarts; omit to start from the stream's beginning each time. */
  checkpointDirectory?: string;
}

type Outcome = { ok: true } | { ok: false; failedFrom?: number; error: string };

export class EventSourceMapping {
  private position = '';
  private running = false;
  private rerun = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private unsubscribe?: () => void;
  private invocations = 0;
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
    await this.idle();
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
      behind: this.stream.readAfter(this.position, Number.MAX_SAFE_INTEGER).length,
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
      const { itemTypes } = this.options;
      const batch = itemTypes ? read.filter((record) => recordHasItemType(record, itemTypes)) : read;
      if (batch.length) await this.deliver(batch, 0);
      // Past the filtered-out records too, once everything delivered before them is done.
      if (batch.at(-1) !== read.at(-1)) this.advance(read.at(-1)!);
    }
  }

  /** Delivers one batch until it succeeds, bisecting and retrying per the options. */
  private async deliver(initial: StreamRecord[], retriesSoFar: number): Promise<void> {
    let records = initial;
    let retries = retriesSoFar;
    for (;;) {
      const outcome = await this.invoke(records);
      if (outcome.ok) {
        this.advance(records.at(-1)!);
        return;
      }
      if (outcome.failedFrom !== undefined) {
        // Partial failure: everything before the first failed record is done.
        if (outcome.failedFrom > 0) this.advance(records[outcome.failedFrom - 1]);
        records = records.slice(outcome.failedFrom);
      } else if (this.options.bisectBatchOnFunctionError && records.length > 1) {
        const middle = Math.ceil(records.length / 2);
        await this.deliver(records.slice(0, middle), retries);
        await this.deliver(records.slice(middle), retries);
        return;
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
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * retries));
    }
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
      return {
        ok: false,
        failedFrom: index === -1 || ids.some((id) => !id) ? 0 : index,
        error: 'batchItemFailures reported',
      };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  private advance(record: StreamRecord) {
    this.position = record.dynamodb.SequenceNumber;
    this.writeCheckpoint();
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
    if (file) {
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
