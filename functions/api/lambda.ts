/**
 * Lambda entry for the HTTP API: the same hono app the local runtime serves, wrapped by
 * hono/aws-lambda and middy. Dependencies are built once per container, outside the handler.
 */
import middy from '@middy/core';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { awsDependencies } from '../platform/aws-dependencies';
import { createApp } from './app';

const app = createApp(awsDependencies());

export const handler = middy<LambdaEvent>().handler(handle(app));
