/**
 * Lambda entry of the fan-out page writer: one SQS message per page of a large audience (fanout.ts,
 * `FanoutPage`) → that page's inbox items, with the same deterministic conditional writes, so a
 * redelivered message adds nothing. Partial batch failures are reported; the queue's redrive policy
 * parks a message that keeps failing in the dead-letter queue.
 */
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { createFanout, type FanoutPage } from './fanout';
import { createQueueHandler } from './queue-consumer';

const fanout = createFanout({ table: awsCoreDependencies().table });
const handle = createQueueHandler<FanoutPage>({
  name: 'fanout-pages',
  handleMessage: (page) => fanout.deliverPage(page),
});

export const handler = middy<SQSEvent>().handler(handle);
