/**
 * The shape of a queue consumer (the fan-out page writer), the SQS sibling of stream-consumer.ts: a
 * consumer says what one message means; `createQueueHandler` runs it per message under Powertools'
 * BatchProcessor, so a message that throws fails alone and is reported in `batchItemFailures`; SQS
 * (or the local queue) makes it visible again after the visibility timeout, and after the queue's
 * maxReceiveCount moves it to the dead-letter queue, where an operator inspects and redrives it.
 * Handlers must be idempotent: SQS delivers at least once.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../platform/logger';

export interface QueueConsumer<Message> {
  /** Names the consumer in logs. */
  name: string;
  /** What one message (its parsed JSON body) means. */
  handleMessage(message: Message): Promise<void>;
}

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function createQueueHandler<Message>(consumer: QueueConsumer<Message>): QueueHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return (event, context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        try {
          await consumer.handleMessage(JSON.parse(record.body) as Message);
        } catch (error) {
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
}
