/**
 * Errors become RFC 9457 problem+json here and only here. Domain errors carry their status; request
 * validation failures name each field; anything unexpected is a 500 that reveals nothing internal.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError, ZodIssue } from 'zod';
import { InvalidCursor, ItemTooLarge } from '../data/errors';
import { DomainError, type FieldIssue, InvalidInput, Unauthenticated } from '../domain/errors';
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
        detail: `“${key}” is not something this request accepts.`,
      }));
    }
    return [
      { field: path ? `${location}.${path}` : location, message: issue.message, detail: inPlainWords(issue) },
    ];
  });
}

// Names people know the fields by, where the property name is not already one.
const FIELD_NAMES: Record<string, string> = {
  parentId: 'place in the tree',
  partnerOrgs: 'partner organisations',
  fromVersion: 'version to restore',
};

/** The field an issue is about, as a person would name it: `parentId` → "place in the tree". */
function fieldName(path: (string | number)[]): string {
  const last = [...path].reverse().find((part): part is string => typeof part === 'string');
  if (!last) return 'request';
  return FIELD_NAMES[last] ?? last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const count = (n: number | bigint, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`;

const a = (type: string) =>
  type === 'array' ? 'a list' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;

/** One sentence a person can act on, for the validator's own message (which stays in `message`). */
function inPlainWords(issue: ZodIssue): string {
  const name = fieldName(issue.path);
  const index = issue.path.at(-1);
  const The = typeof index === 'number' ? `Entry ${index + 1} of the ${name}` : `The ${name}`;
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' || issue.received === 'null'
        ? `${The} is required.`
        : `${The} should be ${a(issue.expected)}, not ${a(issue.received)}.`;
    case 'too_small':
      if (issue.type === 'string')
        return Number(issue.minimum) <= 1
          ? `${The} cannot be empty.`
          : `${The} needs at least ${count(issue.minimum, 'character')}.`;
      if (issue.type === 'array') return `${The} needs at least ${issue.minimum}.`;
      return `${The} must be at least ${issue.minimum}.`;
    case 'too_big':
      if (issue.type === 'string') return `${The} is too long: at most ${count(issue.maximum, 'character')}.`;
      if (issue.type === 'array') return `${The} has too many entries: at most ${issue.maximum}.`;
      return `${The} must be at most ${issue.maximum}.`;
    case 'invalid_enum_value':
      return `${The} must be one of: ${issue.options.join(', ')}.`;
    case 'invalid_string':
      // someText (schemas/common.ts): the pattern that asks for more than white space.
      if (issue.message === 'cannot be empty') return `${The} cannot be empty.`;
      // A list entry's pattern message already says what is expected ("tags start with a letter…").
      if (typeof index === 'number' && issue.message !== 'Invalid') return `${The}: ${issue.message}.`;
      return `${The} is not in the expected form: ${issue.message}.`;
    case 'custom': {
      // A refinement's message is already written for people (schemas.ts).
      const text = issue.message;
      return typeof index === 'number'
        ? `${The}: ${text}.`
        : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    }
    default:
      return `${The} is not valid: ${issue.message}.`;
  }
}

export function validationProblem(c: Context, error: ZodError, location: string) {
  const errors = fieldIssues(error, location);
  return problemResponse(c, {
    type: 'validation',
    title: 'Invalid request',
    status: 400,
    detail: `The request ${location} is invalid: ${errors.map((e) => `${e.field}: ${e.detail ?? e.message}`).join(' ')}`,
    errors,
    instance: c.req.path,
  });
}

/** The table adapter's own errors, in the domain's terms, so they take the one path below. */
function asDomainError(error: Error): Error {
  if (error instanceof InvalidCursor)
    return new InvalidInput(error.message, [
      {
        field: 'cursor',
        message: 'invalid cursor',
        detail: 'This list position is not valid here; start again from the first page.',
      },
    ]);
  if (error instanceof ItemTooLarge)
    return new DomainError(413, 'payload-too-large', 'Payload too large', error.message);
  return error;
}

export function handleError(error: Error, c: Context) {
  // RFC 6750: a 401 names the scheme the caller should use.
  if (error instanceof Unauthenticated) c.header('www-authenticate', 'Bearer');
  error = asDomainError(error);
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
    // hono's JSON validator says "Malformed JSON" of an empty body too; say what is missing instead.
    const emptyBody = status === 400 && c.req.header('content-length') === '0';
    return problemResponse(c, {
      type,
      title: emptyBody ? 'Empty request body' : error.message || 'Request failed',
      status,
      detail: emptyBody
        ? 'The request body is empty; a JSON object is expected.'
        : error.message || 'The request could not be processed',
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
