/**
 * The shape of a queue consumer (the fan-out page writer), the SQS sibling of stream-consumer.ts: a
 * consumer says what one message means; `createQueueHandler` runs it per message under Powertools'
 * BatchProcessor, so a message that throws fails alone and is reported in `batchItemFailures`; SQS
 * (or the local queue) makes it visible again after the visibility timeout, and after the queue's
 * maxReceiveCount moves it to the dead-letter queue, where an operator inspects and redrives it.
 * When every message of a batch fails for one reason, the whole batch is retried after growing pauses
 * first (outage-retry.ts). Handlers must be idempotent: SQS delivers at least once.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../platform/logger';
import {
  failureReason,
  type OutageRetryOptions,
  retryWholeBatchWhileDown,
  sharedReason,
} from './outage-retry';

export interface QueueConsumer<Message> {
  /** Names the consumer in logs. */
  name: string;
  /** What one message (its parsed JSON body) means. */
  handleMessage(message: Message): Promise<void>;
}

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function createQueueHandler<Message>(
  consumer: QueueConsumer<Message>,
  outageRetry: OutageRetryOptions = {},
): QueueHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return (event, context) =>
    retryWholeBatchWhileDown(
      consumer.name,
      context,
      async () => {
        const reasons = new Map<string, string>();
        const answer = await processPartialResponse(
          event,
          async (record: SQSRecord) => {
            try {
              await consumer.handleMessage(JSON.parse(record.body) as Message);
            } catch (error) {
              reasons.set(record.messageId, failureReason(error));
              logger.warn('queue message failed', {
                consumer: consumer.name,
                messageId: record.messageId,
                receiveCount: record.attributes?.ApproximateReceiveCount,
                error,
              });
              throw error;
            }
          },
          processor,
          { context, throwOnFullBatchFailure: false },
        );
        const failed = answer.batchItemFailures.map((failure) => reasons.get(failure.itemIdentifier) ?? '?');
        return { answer, outage: sharedReason(event.Records.length, failed) };
      },
      outageRetry,
    );
}
