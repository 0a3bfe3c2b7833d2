/**
 * Lambda entry of the bookmark import worker (issue 12): one SQS message per job (or per part of a long
 * job) → chunks of the job's links written from its recorded position (domain/bookmarks/import-job.ts),
 * in the shared queue consumer shape: partial batch failures, the queue's redrive policy parks a job
 * that keeps failing in the dead-letter queue (a redrive resumes it from its position). Its role reaches
 * the table, this queue and the upload objects (`uploads/*`) only.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { s3BlobStoreFromEnv } from '../blobs/s3-from-env';
import {
  BOOKMARK_IMPORT_QUEUE_URL_ENV,
  createImportWorker,
  type ImportJobMessage,
} from '../domain/bookmarks/import-job';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { SqsQueue } from '../platform/sqs-queue';
import { createQueueHandler } from './queue-consumer';

const queueUrl = process.env[BOOKMARK_IMPORT_QUEUE_URL_ENV];
if (!queueUrl) throw new Error(`Environment variable ${BOOKMARK_IMPORT_QUEUE_URL_ENV} is not set`);
const { table, clock } = awsCoreDependencies();
const worker = createImportWorker({
  table,
  clock,
  blobs: s3BlobStoreFromEnv(),
  queue: new SqsQueue<ImportJobMessage>(queueUrl, {
    region: process.env.AWS_REGION ?? '',
    credentials: defaultProvider(),
  }),
  // The function's timeout is 120 s: a part of a job ends well before it, then a new message goes on.
  budgetMs: 80_000,
});

export const handler = middy<SQSEvent>().handler(createQueueHandler<ImportJobMessage>(worker));
