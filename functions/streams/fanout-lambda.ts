/**
 * Lambda entry of the notification fan-out: table stream → inbox items, in the shared consumer shape.
 * The pages of an audience beyond one page go to the fan-out page queue (SQS, fanout-pages-lambda.ts).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { SqsQueue } from '../platform/sqs-queue';
import { createFanout, FANOUT_PAGES_QUEUE_URL_ENV, type FanoutPage } from './fanout';
import { createStreamHandler } from './stream-consumer';

const queueUrl = process.env[FANOUT_PAGES_QUEUE_URL_ENV];
if (!queueUrl) throw new Error(`Environment variable ${FANOUT_PAGES_QUEUE_URL_ENV} is not set`);
const pages = new SqsQueue<FanoutPage>(queueUrl, {
  region: process.env.AWS_REGION ?? '',
  credentials: defaultProvider(),
});
const handle = createStreamHandler(createFanout({ table: awsCoreDependencies().table, pages }));

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
