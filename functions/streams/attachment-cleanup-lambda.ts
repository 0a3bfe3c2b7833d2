/**
 * Lambda entry of the attachment cleanup consumer: table stream → attachments of deleted pages and
 * posts removed, and the bytes of removed attachments, expired uploads and replaced photos deleted from
 * the files bucket. Its role may delete objects in that bucket, and read and write the table.
 */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { s3BlobStoreFromEnv } from '../blobs/s3-from-env';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { createAttachmentCleanup } from './attachment-cleanup';
import { createStreamHandler } from './stream-consumer';

const { table } = awsCoreDependencies();
const handle = createStreamHandler(createAttachmentCleanup({ table, blobs: s3BlobStoreFromEnv() }));

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
