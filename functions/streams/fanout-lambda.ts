/**
 * Lambda entry of the notification fan-out: table stream → inbox items (and immediate e-mail), in the
 * shared consumer shape. The pages of an audience beyond one page go to the fan-out page queue (SQS,
 * fanout-pages-lambda.ts); each inbox item written is published on its recipient's live channel
 * (AppSync Events, platform/appsync-events.ts).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createMailDelivery } from '../domain/mail/mail-delivery';
import { awsMailSettings } from '../mail/aws-mail';
import { liveChannelFromEnvironment } from '../platform/appsync-events';
import { awsConsumerTable } from '../platform/aws-consumer-table';
import { SqsQueue } from '../platform/sqs-queue';
import { createFanout, FANOUT_PAGES_QUEUE_URL_ENV, type FanoutPage } from './fanout';
import { createStreamHandler } from './stream-consumer';

const queueUrl = process.env[FANOUT_PAGES_QUEUE_URL_ENV];
if (!queueUrl) throw new Error(`Environment variable ${FANOUT_PAGES_QUEUE_URL_ENV} is not set`);
const credentials = defaultProvider();
const pages = new SqsQueue<FanoutPage>(queueUrl, { region: process.env.AWS_REGION ?? '', credentials });
const table = awsConsumerTable();
const mail = awsMailSettings();
// Live updates: AppSync Events, where the stack has an Event API (best effort, see live-announce.ts).
const live = liveChannelFromEnvironment(credentials);
const handle = createStreamHandler(
  createFanout({ table, pages, live, ...(mail ? { mail: createMailDelivery(table, mail) } : {}) }),
);

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
