/**
 * The one shape of every table-stream consumer (the indexer and the notification fan-out; the
 * bookmark enricher later). A consumer says which item types it reads, what one record means, and
 * optionally how to apply the effects of a whole batch at once:
 *
 * - `itemTypes` becomes the Lambda event filter in AWS (lib/constructs/streams.ts) and the same
 *   predicate in the local event source mapping, so a consumer is never invoked for other items;
 * - `handleRecord` runs per record under Powertools' BatchProcessor: throwing fails that record only,
 *   which is reported in `batchItemFailures`, retried, bisected and finally kept in the failure
 *   destination by the event source mapping;
 * - `applyBatch` gets the effects of every record that succeeded, in stream order, once per batch
 *   (the indexer's single bulk request); if it throws, exactly those records are reported failed.
 *
 * When every record of a batch fails for one reason (a dependency is down), the whole batch is
 * retried after growing pauses instead of record by record (outage-retry.ts).
 *
 * Every log line about a record carries the consumer, the record's sequence number, event name and
 * item type. Handlers must be idempotent: a retried batch runs again (see each consumer for how).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../platform/logger';
import { recordItemType } from './item-type-filter';
import {
  failureReason,
  type OutageRetryOptions,
  retryWholeBatchWhileDown,
  sharedReason,
} from './outage-retry';

export interface StreamConsumer<Effect = never> {
  /** Names the consumer in logs, metrics and the failure destination. */
  name: string;
  /** The `type` attributes of the items whose changes it reads. */
  itemTypes: readonly string[];
  /** What one record means; may act itself, or return effects for `applyBatch`. */
  handleRecord(record: DynamoDBRecord): Promise<Effect[] | undefined | void>;
  /** Applies the effects of all records that succeeded, once per batch. */
  applyBatch?(effects: Effect[]): Promise<void>;
}

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

export function createStreamHandler<Effect>(
  consumer: StreamConsumer<Effect>,
  outageRetry: OutageRetryOptions = {},
): StreamHandler {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return (event, context) =>
    retryWholeBatchWhileDown(
      consumer.name,
      context,
      async () => {
        const reasons = new Map<string, string>();
        const answer = await handleBatch(consumer, processor, event, context, reasons);
        const failed = answer.batchItemFailures.map((failure) => reasons.get(failure.itemIdentifier) ?? '?');
        return { answer, outage: sharedReason(event.Records.length, failed) };
      },
      outageRetry,
    );
}

/** One attempt at a batch; `reasons` gets each failed record's failure reason by sequence number. */
async function handleBatch<Effect>(
  consumer: StreamConsumer<Effect>,
  processor: BatchProcessor,
  event: DynamoDBStreamEvent,
  context: Context,
  reasons: Map<string, string>,
): Promise<DynamoDBBatchResponse> {
  const effects = new Map<string, Effect[]>();
  const response = await processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      try {
        const produced = await consumer.handleRecord(record);
        if (produced?.length) effects.set(sequenceNumber(record), produced);
      } catch (error) {
        reasons.set(sequenceNumber(record), failureReason(error));
        logger.warn('stream record failed', { ...recordKeys(consumer, record), error });
        throw error;
      }
    },
    processor,
    // A batch in which every record failed is answered like any other: all of them are reported.
    { context, throwOnFullBatchFailure: false },
  );
  if (!consumer.applyBatch || effects.size === 0) return response;

  const inOrder = event.Records.map(sequenceNumber).filter((id) => effects.has(id));
  try {
    await consumer.applyBatch(inOrder.flatMap((id) => effects.get(id)!));
    return response;
  } catch (error) {
    for (const id of inOrder) reasons.set(id, failureReason(error));
    logger.warn('applying a batch failed', { consumer: consumer.name, records: inOrder, error });
    return {
      batchItemFailures: [
        ...response.batchItemFailures,
        ...inOrder.map((itemIdentifier) => ({ itemIdentifier })),
      ],
    };
  }
}

const sequenceNumber = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

function recordKeys(consumer: StreamConsumer<unknown>, record: DynamoDBRecord) {
  return {
    consumer: consumer.name,
    sequenceNumber: sequenceNumber(record),
    eventName: record.eventName,
    itemType: recordItemType(record),
  };
}
