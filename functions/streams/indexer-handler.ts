/**
 * The indexer's stream handler, shared by the Lambda entry and the local runtime: Powertools'
 * BatchProcessor runs the record indexer for each record and reports the ones that failed as
 * `batchItemFailures`, so only those are retried. Records may run in parallel because the indexer
 * re-reads current state (see search/indexer.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../platform/logger';
import { createRecordIndexer, type IndexerDependencies } from '../search/indexer';

export function createIndexerHandler(deps: IndexerDependencies) {
  const indexRecord = createRecordIndexer(deps);
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event: DynamoDBStreamEvent, context: Context) => {
    const response = await processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        try {
          await indexRecord(record);
        } catch (error) {
          logger.warn('indexing a record failed', {
            sequenceNumber: record.dynamodb?.SequenceNumber,
            eventName: record.eventName,
            error,
          });
          throw error;
        }
      },
      processor,
      { context },
    );
    return response;
  };
}
