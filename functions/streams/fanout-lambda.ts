/** Lambda entry of the notification fan-out: table stream → inbox items, in the shared consumer shape. */
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { createFanout } from './fanout';
import { createStreamHandler } from './stream-consumer';

const handle = createStreamHandler(createFanout({ table: awsCoreDependencies().table }));

export const handler = middy<DynamoDBStreamEvent>().handler(handle);
