/** Lambda entry of the search indexer: DynamoDB stream → OpenSearch. */
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient, Table } from '../data/table';
import { OpenSearchIndex } from '../search/opensearch/opensearch-index';
import { createIndexerHandler } from './indexer-handler';

const handle = createIndexerHandler({
  table: new Table(createDocumentClient(), process.env.TABLE_NAME ?? ''),
  index: OpenSearchIndex.create({
    node: process.env.SEARCH_ENDPOINT ?? '',
    alias: process.env.SEARCH_ALIAS ?? 'commonplace',
    sigv4: true,
  }),
});

export const handler = middy<DynamoDBStreamEvent>().handler((event: DynamoDBStreamEvent, context: Context) =>
  handle(event, context),
);
