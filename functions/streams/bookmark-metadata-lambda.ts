/**
 * Lambda entry of the bookmark metadata consumer: table stream → page title, description and icon on
 * the shared URL item, in the shared consumer shape. It runs outside any VPC and its role reaches only
 * the table (UpdateItem) and the stream; the safe fetcher is configured from the environment alone
 * (the operator's allow-list, SAFE_FETCH_ALLOWED_PORTS / SAFE_FETCH_ALLOWED_HOSTS).
 */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { metadataFetcherFromEnvironment } from '../safe-fetch/page-metadata-fetcher';
import { createBookmarkMetadata } from './bookmark-metadata';
import { createStreamHandler } from './stream-consumer';

const { table, clock } = awsCoreDependencies();
const handle = createStreamHandler(
  createBookmarkMetadata({ table, clock, fetcher: metadataFetcherFromEnvironment() }),
);

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
