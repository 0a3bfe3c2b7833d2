/**
 * The redrive of the failure queues in AWS (`npm run redrive`), over ports so it can be tested without
 * AWS (test/unit/local/redrive.test.ts fakes them; local/redrive.ts wires the real calls):
 * - a stream consumer's failure queue holds *descriptions* of failed batches (shard and sequence
 *   range, as Lambda's on-failure destination writes them): each batch is read back from the table's
 *   stream and sent through the consumer's function again; the message is deleted only when the
 *   function reports no failure, so a run can be repeated (consumers are idempotent) and a second run
 *   finds nothing left. Batches already past the stream's 24 h retention are counted, not deleted: the
 *   indexer's are covered by `npm run reindex -- --aws`.
 * - a dead-letter queue of an SQS queue (the fan-out pages) is moved back to its source queue with
 *   SQS's own message move task; asking again while one runs is reported, not an error.
 */
import type { DynamoDBRecord } from 'aws-lambda';

export interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  streamArn: string;
}

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
}

export interface RedrivePorts {
  /** Up to 10 visible messages (none left: empty). */
  receive(queueUrl: string): Promise<QueueMessage[]>;
  remove(queueUrl: string, receiptHandle: string): Promise<void>;
  /** The records of one shard from `start` to `end` inclusive; throws StreamTrimmed when past retention. */
  readStream(batch: StreamBatchInfo): Promise<DynamoDBRecord[]>;
  /** Invokes a function synchronously with an event and returns its answer (throws on a function error). */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Starts SQS's move of a dead-letter queue's messages back to their source queue. */
  startMove(deadLetterQueueArn: string): Promise<'started' | 'already running'>;
}

export class StreamTrimmed extends Error {
  override name = 'StreamTrimmed';
}

export interface StreamRedriveOutcome {
  replayed: number;
  stillFailing: number;
  expired: number;
  unreadable: number;
}

/** Replays every failed-batch description in a stream consumer's failure queue through its function. */
export async function redriveStreamFailures(
  ports: RedrivePorts,
  queueUrl: string,
  functionName: string,
  log: (line: string) => void = () => undefined,
): Promise<StreamRedriveOutcome> {
  const outcome: StreamRedriveOutcome = { replayed: 0, stillFailing: 0, expired: 0, unreadable: 0 };
  const seen = new Set<string>();
  for (;;) {
    // A message that stays (still failing) is invisible for the queue's visibility timeout; one seen
    // again in this run means only those are left.
    const messages = (await ports.receive(queueUrl)).filter((message) => !seen.has(message.messageId));
    if (messages.length === 0) return outcome;
    for (const message of messages) {
      seen.add(message.messageId);
      const batch = batchInfo(message.body);
      if (!batch) {
        outcome.unreadable++;
        log(`message ${message.messageId}: not a stream batch description; left in the queue`);
        continue;
      }
      let records: DynamoDBRecord[];
      try {
        records = await ports.readStream(batch);
      } catch (error) {
        if (!(error instanceof StreamTrimmed)) throw error;
        outcome.expired++;
        log(`batch ${batch.startSequenceNumber}–${batch.endSequenceNumber}: past the stream's retention`);
        continue;
      }
      const answer = (await ports
        .invoke(functionName, { Records: records.map((r) => ({ ...r, eventSourceARN: batch.streamArn })) })
        .catch((error: Error) => ({ error: error.message }))) as {
        batchItemFailures?: unknown[];
        error?: string;
      } | null;
      if (answer?.error || answer?.batchItemFailures?.length) {
        outcome.stillFailing++;
        log(
          `batch ${batch.startSequenceNumber}–${batch.endSequenceNumber}: still failing; left in the queue`,
        );
        continue;
      }
      await ports.remove(queueUrl, message.receiptHandle);
      outcome.replayed++;
      log(
        `batch ${batch.startSequenceNumber}–${batch.endSequenceNumber}: ${records.length} records replayed`,
      );
    }
  }
}

/** The batch description in a Lambda on-failure message for a DynamoDB stream, if that is what it is. */
export function batchInfo(body: string): StreamBatchInfo | undefined {
  try {
    const info = JSON.parse(body)?.DDBStreamBatchInfo;
    if (info?.shardId && info.startSequenceNumber && info.endSequenceNumber && info.streamArn) return info;
  } catch {
    // not JSON
  }
  return undefined;
}
