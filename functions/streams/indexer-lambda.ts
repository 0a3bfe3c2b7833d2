/** Lambda entry of the search indexer: table stream → OpenSearch, in the shared consumer shape. */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { awsConsumerTable } from '../platform/aws-consumer-table';
import { openSearchFromEnv } from '../search/opensearch/opensearch-from-env';
import { createIndexer } from './indexer';
import { createStreamHandler } from './stream-consumer';

const handle = createStreamHandler(createIndexer({ table: awsConsumerTable(), index: openSearchFromEnv() }));

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
