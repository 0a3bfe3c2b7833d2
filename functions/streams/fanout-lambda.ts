/** Lambda entry of the notification fan-out: table stream → inbox items (and immediate e-mail), in the shared consumer shape. */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createMailDelivery } from '../domain/mail/mail-delivery';
import { awsMailSettings } from '../mail/aws-mail';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { createFanout } from './fanout';
import { createStreamHandler } from './stream-consumer';

const { table } = awsCoreDependencies();
const mail = awsMailSettings();
const handle = createStreamHandler(
  createFanout({ table, ...(mail ? { mail: createMailDelivery(table, mail) } : {}) }),
);

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
