/**
 * Lambda entry of the fan-out page writer: one SQS message per page of a large audience (fanout.ts,
 * `FanoutPage`) → that page's inbox items, with the same deterministic conditional writes, so a
 * redelivered message adds nothing, and the same immediate e-mail as the fan-out's first page (a
 * claim and an emailed marker: a redelivered page sends nothing twice). Partial batch failures are
 * reported; the queue's redrive policy parks a message that keeps failing in the dead-letter queue.
 * Each inbox item written is published on its recipient's live channel (AppSync Events), best effort.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { createMailDelivery } from '../domain/mail/mail-delivery';
import { awsMailSettings } from '../mail/aws-mail';
import { liveChannelFromEnvironment } from '../platform/appsync-events';
import { awsConsumerTable } from '../platform/aws-consumer-table';
import { createFanout, type FanoutPage } from './fanout';
import { createQueueHandler } from './queue-consumer';

const table = awsConsumerTable();
const mail = awsMailSettings();
const live = liveChannelFromEnvironment(defaultProvider());
const fanout = createFanout({ table, live, ...(mail ? { mail: createMailDelivery(table, mail) } : {}) });
const handle = createQueueHandler<FanoutPage>({
  name: 'fanout-pages',
  handleMessage: (page) => fanout.deliverPage(page),
});

export const handler = middy<SQSEvent>().handler(handle);
