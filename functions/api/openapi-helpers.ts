/** Small helpers so each route definition states only what is particular to it. */
import type { RouteConfig, z } from '@hono/zod-openapi';
import { ProblemSchema } from './schemas/common';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const standardErrors = {
  400: problem('Invalid request: the problem names each field'),
  401: problem('Missing, expired or invalid bearer token'),
  403: problem('Not allowed'),
  404: problem('Not found, or not visible to you'),
  409: problem('Conflict, e.g. an edit based on a stale version'),
  413: problem('Request body larger than 256 KiB, or text too large to store with its rendering (400 KB)'),
  431: problem('Request line and headers larger than 16 KiB (a very long query string)'),
  500: problem('Unexpected error; the request id in x-request-id finds it in the logs'),
};

export function ok<T extends z.ZodType>(schema: T, description = 'OK') {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * A JSON request body. The router validates it even when it is missing, read as `{}` (so defaults
 * apply); where `{}` is valid the document says the body may be left out (openapi-document.ts).
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

export const secured: Pick<RouteConfig, 'security'> = { security: [{ bearer: [] }] };
