/**
 * Text in a request body must be well-formed Unicode. JSON lets a body spell a lone UTF-16 surrogate
 * (`"\ud83d"`); stored locally it comes back as it went in, but DynamoDB in AWS may refuse such a
 * string, which would be a 500 there. Checked once here for every route, before any schema: a body
 * holding one anywhere (a value or a property name, at any depth) is a 400 naming the field.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { problemResponse } from '../problem';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
// With the u flag a surrogate pair is one code point, so this matches only a surrogate standing alone.
const LONE_SURROGATE = /\p{Surrogate}/u;

export function wellFormedText(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (
      c.req.method === 'GET' ||
      c.req.method === 'HEAD' ||
      !JSON_TYPE.test(c.req.header('content-type') ?? '')
    )
      return next();
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return next(); // not JSON: the route's validator says so
    }
    const field = illFormedField(body, 'json');
    if (!field) return next();
    const detail = `The ${field.slice(5) || 'body'} holds a lone UTF-16 surrogate (half of a character); send whole characters.`;
    return problemResponse(c, {
      type: 'validation',
      title: 'Invalid request',
      status: 400,
      detail: `The request json is invalid: ${field}: ${detail}`,
      errors: [{ field, message: 'not well-formed Unicode', detail }],
      instance: c.req.path,
    });
  };
}

/** The path of the first string (or property name) that is not well-formed, e.g. `json.tags.1`. */
export function illFormedField(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? at : undefined;
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      const found = illFormedField(entry, `${at}.${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return `${at}.${key}`;
      const found = illFormedField(entry, `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
