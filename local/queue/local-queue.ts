/**
 * SQS and its Lambda event source mapping, run locally for one queue: `send` enqueues JSON messages;
 * the queue invokes an SQS handler with `{ Records }` batches of up to `batchSize` (several batches at
 * once, as Lambda scales out on a queue); a message reported in `batchItemFailures` (or every message
 * of a batch whose handler throws) becomes visible again after a back-off, and once it was received
 * `maxReceiveCount` times it moves to the dead-letter list, as a redrive policy does. Messages, with
 * their receive counts, and the dead letters are kept in a file under the data folder, so a restart
 * loses nothing; `redrive` sends dead letters back, as the console's "start DLQ redrive" does.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { writeFileAtomic } from '../atomic-file';
import { readJsonState } from '../state-file';

export type QueueHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined> | SQSBatchResponse | undefined;

export interface LocalQueueOptions {
  name: string;
  handler: QueueHandler;
  /** @default 10 */
  batchSize?: number;
  /** Batches handled at once. @default 4 */
  concurrency?: number;
  /** @default 3 */
  maxReceiveCount?: number;
  /** Back-off before a failed message is visible again (times its receive count). @default 200 ms */
  retryDelayMs?: number;
  /** Where messages and dead letters are kept across restarts; omit to keep them in memory. */
  directory?: string;
}

export interface QueuedMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
  lastError?: string;
}

export class LocalQueue<Message = unknown> {
  handler: QueueHandler;
  private messages: QueuedMessage[] = [];
  private dead: QueuedMessage[] = [];
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly options: Required<Omit<LocalQueueOptions, 'directory' | 'handler'>>;
  private readonly file?: string;
  invocations = 0;

  constructor(options: LocalQueueOptions) {
    this.handler = options.handler;
    this.options = { batchSize: 10, concurrency: 4, maxReceiveCount: 3, retryDelayMs: 200, ...options };
    if (options.directory) {
      fs.mkdirSync(options.directory, { recursive: true });
      this.file = path.join(options.directory, `queue.${options.name}.json`);
      const saved = readJsonState<{ messages?: QueuedMessage[]; dead?: QueuedMessage[] }>(
        this.file,
        `the ${options.name} queue`,
        'Restore it from a backup (`npm run restore -- <file>`), or delete it to drop the messages it held.',
      );
      this.messages = saved?.messages ?? [];
      this.dead = saved?.dead ?? [];
    }
  }

  get name() {
    return this.options.name;
  }

  async send(messages: Message[]): Promise<void> {
    const now = Date.now();
    for (const message of messages)
      this.messages.push({
        messageId: randomUUID(),
        body: JSON.stringify(message),
        sentAt: now,
        receiveCount: 0,
        visibleAt: now,
      });
    this.save();
    this.kick();
  }

  start() {
    this.stopped = false;
    this.kick();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.inFlight) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when every message sent so far was handled or moved to the dead letters. */
  idle(): Promise<void> {
    if (this.stopped || (this.messages.length === 0 && this.inFlight === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get state() {
    const now = Date.now();
    return {
      name: this.options.name,
      visible: this.messages.filter((m) => m.visibleAt <= now).length,
      delayed: this.messages.filter((m) => m.visibleAt > now).length,
      inFlight: this.inFlight,
      deadLetters: this.dead.length,
      oldestMessageAgeMs: this.messages.length ? now - Math.min(...this.messages.map((m) => m.sentAt)) : 0,
      invocations: this.invocations,
    };
  }

  deadLetters(): readonly QueuedMessage[] {
    return this.dead;
  }

  /** Sends every dead letter back to the queue with a fresh receive count. */
  redrive(): number {
    const count = this.dead.length;
    const now = Date.now();
    for (const message of this.dead.splice(0))
      this.messages.push({ ...message, receiveCount: 0, visibleAt: now, lastError: undefined });
    this.save();
    this.kick();
    return count;
  }

  private kick() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    while (this.inFlight < this.options.concurrency) {
      const batch = this.take(now);
      if (batch.length === 0) break;
      this.inFlight++;
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.save();
        this.kick();
      });
    }
    if (this.messages.length && !this.timer) {
      const next = Math.min(...this.messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt));
      if (Number.isFinite(next)) this.timer = setTimeout(() => this.kick(), Math.max(1, next - now));
    }
    if (this.inFlight === 0 && this.messages.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Receives up to a batch of visible messages (invisible until handled or failed). */
  private take(now: number): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    for (const message of this.messages) {
      if (batch.length >= this.options.batchSize) break;
      if (message.visibleAt <= now) batch.push(message);
    }
    for (const message of batch) {
      message.receiveCount++;
      message.visibleAt = Number.POSITIVE_INFINITY; // in flight
    }
    return batch;
  }

  private async deliver(batch: QueuedMessage[]) {
    this.invocations++;
    let failed: Set<string>;
    let error = 'batchItemFailures reported';
    try {
      const response = await this.handler(
        { Records: batch.map(sqsRecord(this.options.name)) },
        lambdaContext(this.options.name),
      );
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (thrown) {
      failed = new Set(batch.map((m) => m.messageId));
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    }
    const now = Date.now();
    for (const message of batch) {
      if (!failed.has(message.messageId)) {
        this.messages.splice(this.messages.indexOf(message), 1);
        continue;
      }
      message.lastError = error;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.splice(this.messages.indexOf(message), 1);
        this.dead.push(message);
      } else {
        message.visibleAt = now + this.options.retryDelayMs * message.receiveCount;
      }
    }
  }

  private save() {
    if (!this.file) return;
    const persisted = this.messages.map((m) =>
      m.visibleAt === Number.POSITIVE_INFINITY ? { ...m, visibleAt: 0 } : m,
    );
    writeFileAtomic(this.file, JSON.stringify({ messages: persisted, dead: this.dead }));
  }
}

const sqsRecord =
  (queue: string) =>
  (message: QueuedMessage): SQSRecord => ({
    messageId: message.messageId,
    receiptHandle: `${message.messageId}#${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queue}`,
    awsRegion: 'local',
  });

function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `local-${randomUUID()}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
