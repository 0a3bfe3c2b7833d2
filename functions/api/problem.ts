/**
 * Errors become RFC 9457 problem+json here and only here. Domain errors carry their status; request
 * validation failures name each field; anything unexpected is a 500 that reveals nothing internal.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { InvalidCursor, ItemTooLarge } from '../data/errors';
import { DomainError, type FieldIssue, Unauthenticated } from '../domain/errors';
import { logger } from '../platform/logger';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://commonplace.dev/problems/';

export function problemResponse(c: Context, problem: Problem) {
  return c.newResponse(
    JSON.stringify({ ...problem, type: `${PROBLEM_BASE}${problem.type}` }),
    problem.status as ContentfulStatusCode,
    {
      'content-type': 'application/problem+json',
    },
  );
}

export function fieldIssues(error: ZodError, location: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: `${location}.${path ? `${path}.` : ''}${key}`,
        message: 'unknown field',
      }));
    }
    return [{ field: path ? `${location}.${path}` : location, message: issue.message }];
  });
}

export function validationProblem(c: Context, error: ZodError, location: string) {
  const errors = fieldIssues(error, location);
  return problemResponse(c, {
    type: 'validation',
    title: 'Invalid request',
    status: 400,
    detail: `The request ${location} is invalid: ${errors.map((e) => `${e.field} (${e.message})`).join('; ')}`,
    errors,
    instance: c.req.path,
  });
}

export function handleError(error: Error, c: Context) {
  // RFC 6750: a 401 names the scheme the caller should use.
  if (error instanceof Unauthenticated) c.header('www-authenticate', 'Bearer');
  if (error instanceof InvalidCursor)
    return problemResponse(c, {
      type: 'validation',
      title: 'Invalid request',
      status: 400,
      detail: error.message,
      errors: [{ field: 'cursor', message: 'invalid cursor' }],
      instance: c.req.path,
    });
  if (error instanceof ItemTooLarge)
    return problemResponse(c, {
      type: 'payload-too-large',
      title: 'Payload too large',
      status: 413,
      detail: error.message,
      instance: c.req.path,
    });
  if (error instanceof DomainError) {
    return problemResponse(c, {
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.message,
      instance: c.req.path,
      ...error.extra,
    });
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const type =
      status === 413
        ? 'payload-too-large'
        : status === 401
          ? 'unauthenticated'
          : status === 400
            ? 'malformed-request'
            : 'http-error';
    return problemResponse(c, {
      type,
      title: error.message || 'Request failed',
      status,
      detail: error.message || 'The request could not be processed',
      instance: c.req.path,
    });
  }
  logger.error('unhandled error', { error, path: c.req.path, method: c.req.method });
  return problemResponse(c, {
    type: 'internal',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side; nothing was changed if the request failed.',
    instance: c.req.path,
  });
}
