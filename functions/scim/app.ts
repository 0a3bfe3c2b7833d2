/**
 * The SCIM 2.0 endpoint (`/api/scim/v2/Users` and discovery: `/ServiceProviderConfig`, `/ResourceTypes`,
 * `/Schemas`) for a provisioning client. Its own small hono app, not
 * an API module: the caller is a system with a bearer token (scim-token.ts), not a person with a JWT,
 * so in AWS it is its own Lambda on routes without the JWT authorizer. Every error is in SCIM's
 * format (RFC 7644 §3.12); a request without the right token is a 401 and reaches nothing else.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Table } from '../data/table';
import { ReportingService } from '../domain/people/reporting-service';
import { SCIM_ERROR, ScimError, ScimService } from '../domain/people/scim-service';
import type { SignInAccounts } from '../domain/people/sign-in-accounts';
import type { Clock, IdGenerator } from '../platform/clock';
import { listOf, MAX_RESULTS, schemas, serviceProviderConfig, userResourceType } from './discovery';
import { type ScimTokenSource, scimTokenMatches } from './scim-token';

export const SCIM_BASE = '/api/scim/v2';
const CONTENT_TYPE = 'application/scim+json';

export interface ScimDependencies {
  table: Table;
  clock: Clock;
  ids: IdGenerator;
  token: ScimTokenSource;
  signInAccounts?: SignInAccounts;
  /** The public origin the resources' `meta.location` names (default: the request's). */
  publicUrl?: string;
}

export function createScimApp(deps: ScimDependencies) {
  const ctx = { table: deps.table, clock: deps.clock, ids: deps.ids };
  const scim = new ScimService(ctx, new ReportingService(ctx), deps.signInAccounts);
  const app = new Hono().basePath(SCIM_BASE);
  const send = (
    c: { body: (data: string, status: number, headers: Record<string, string>) => Response },
    status: number,
    body: unknown,
  ) => {
    // A resource's version is its ETag too (RFC 7644 §3.14), for If-Match on the next change.
    const version = (body as { meta?: { version?: unknown } } | undefined)?.meta?.version;
    return c.body(JSON.stringify(body), status, {
      'content-type': CONTENT_TYPE,
      ...(typeof version === 'string' ? { etag: version } : {}),
    });
  };
  const baseUrl = (url: string) => `${deps.publicUrl ?? new URL(url).origin}${SCIM_BASE}`;
  const json = async (req: { json: () => Promise<unknown> }) => {
    try {
      return await req.json();
    } catch {
      throw new ScimError(400, 'The body is not JSON', 'invalidSyntax');
    }
  };

  app.use(
    '*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => send(c, 413, scimError(413, 'The body is larger than 64 KiB')),
    }),
  );
  app.use('*', async (c, next) => {
    if (!(await scimTokenMatches(c.req.header('authorization'), deps.token))) {
      c.header('WWW-Authenticate', 'Bearer realm="scim"');
      return send(c, 401, scimError(401, 'A valid bearer token for the provisioning client is required'));
    }
    await next();
  });
  // Discovery (RFC 7644 §4): what Entra ID and Okta read first; behind the token like the rest.
  app.get('/ServiceProviderConfig', (c) => send(c, 200, serviceProviderConfig(baseUrl(c.req.url))));
  app.get('/ResourceTypes', (c) => send(c, 200, listOf([userResourceType(baseUrl(c.req.url))])));
  app.get('/ResourceTypes/:id', (c) => {
    if (c.req.param('id') !== 'User') throw new ScimError(404, `No resource type ${c.req.param('id')}`);
    return send(c, 200, userResourceType(baseUrl(c.req.url)));
  });
  app.get('/Schemas', (c) => send(c, 200, listOf(schemas(baseUrl(c.req.url)))));
  app.get('/Schemas/:id', (c) => {
    const found = schemas(baseUrl(c.req.url)).find((schema) => schema.id === c.req.param('id'));
    if (!found) throw new ScimError(404, `No schema ${c.req.param('id')}`);
    return send(c, 200, found);
  });
  app.get('/Users', async (c) => {
    const startIndex = positive(c.req.query('startIndex'), 1, 'startIndex');
    const count = Math.min(MAX_RESULTS, positive(c.req.query('count'), 100, 'count', 0));
    return send(c, 200, await scim.list(c.req.query('filter'), startIndex, count, baseUrl(c.req.url)));
  });
  app.post('/Users', async (c) => {
    const created = await scim.create(await json(c.req), baseUrl(c.req.url));
    c.header('Location', created.meta.location);
    return send(c, 201, created);
  });
  app.get('/Users/:id', async (c) => send(c, 200, await scim.get(id(c.req.param('id')), baseUrl(c.req.url))));
  app.put('/Users/:id', async (c) =>
    send(
      c,
      200,
      await scim.replace(id(c.req.param('id')), await json(c.req), baseUrl(c.req.url), ifMatch(c.req)),
    ),
  );
  app.patch('/Users/:id', async (c) =>
    send(
      c,
      200,
      await scim.patch(id(c.req.param('id')), await json(c.req), baseUrl(c.req.url), ifMatch(c.req)),
    ),
  );
  app.delete('/Users/:id', async (c) => {
    await scim.deactivate(id(c.req.param('id')), ifMatch(c.req));
    return c.body(null, 204);
  });
  app.notFound((c) => send(c, 404, scimError(404, `No SCIM resource at ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ScimError)
      return send(c, error.status, scimError(error.status, error.message, error.scimType));
    if (
      error &&
      typeof error === 'object' &&
      'status' in error &&
      typeof error.status === 'number' &&
      error.status < 500
    )
      return send(
        c,
        error.status,
        // A conflict with another person (their address or externalId) is SCIM's `uniqueness`.
        scimError(error.status, (error as Error).message, error.status === 409 ? 'uniqueness' : undefined),
      );
    console.error('scim: unexpected error', error);
    return send(c, 500, scimError(500, 'Unexpected error'));
  });
  return app;
}

function scimError(status: number, detail: string, scimType?: string) {
  return { schemas: [SCIM_ERROR], status: String(status), detail, ...(scimType ? { scimType } : {}) };
}

function ifMatch(req: { header: (name: string) => string | undefined }): string | undefined {
  const value = req.header('if-match');
  if (value !== undefined && value.length > 512)
    throw new ScimError(400, 'If-Match is longer than 512 characters', 'invalidValue');
  return value;
}

function id(value: string): string {
  if (!/^[A-Za-z0-9~._-]{1,64}$/.test(value))
    throw new ScimError(404, `User ${value.slice(0, 64)} not found`);
  return value;
}

function positive(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 100_000)
    throw new ScimError(400, `${name} must be a whole number ≥ ${min}`, 'invalidValue');
  return n;
}
