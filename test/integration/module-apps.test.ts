/**
 * Each module's own app, as its Lambda builds it (module-app.ts): the shared middleware at start, the
 * route groups built on the first request that needs them. What must hold: a cold app has built no
 * group; a request builds its own group only; routing, 404/405 with Allow, literal paths before
 * parameters, HEAD with GET, per-route body limits and validation problems answer as before, from the
 * route manifest, without building a group; a lazily built group sees the request's context (principal,
 * services, request id) and the body the middleware already read. The local runtime's table, the
 * verified claims the HTTP API's authorizer hands a Lambda.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { httpApiClaimsAuthenticator } from '../../functions/api/middleware/authenticate';
import { createModuleApp } from '../../functions/api/module-app';
import { ALL_MODULES } from '../../functions/api/modules/all-modules';
import type { ApiModule } from '../../functions/api/modules/api-module';
import { openApiDocument } from '../../functions/api/openapi-document';
import { systemClock, ulidGenerator } from '../../functions/platform/clock';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let alice: Record<string, unknown>;

beforeAll(async () => {
  rt = await startTestRuntime();
  const claims = decodeJwt(await rt.tokenFor('alice'));
  // As API Gateway hands them over: lists as `[a b]`, numbers as strings.
  alice = Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'number' ? String(value) : value,
    ]),
  );
  await rt.api('alice', 'GET', '/me');
}, 60_000);
afterAll(() => rt?.close());

const moduleNamed = (name: string) => ALL_MODULES.find((module) => module.name === name)!;

/** A module's own app (as its Lambda has it) and the names of the groups it has built so far. */
function moduleApp(module: ApiModule) {
  const built: string[] = [];
  const counted: ApiModule = {
    ...module,
    routes: module.routes.map((group) => ({
      name: group.name,
      load: () => {
        built.push(group.name);
        return group.load();
      },
    })),
  };
  const app = createModuleApp(
    {
      table: rt.table,
      clock: systemClock,
      ids: ulidGenerator,
      authenticator: httpApiClaimsAuthenticator,
      search: rt.search,
      blobs: rt.blobs,
    },
    [counted],
  );
  const request = (
    method: string,
    path: string,
    {
      body,
      headers = {},
      signedIn = true,
    }: { body?: string; headers?: Record<string, string>; signedIn?: boolean } = {},
  ) =>
    app.request(
      path,
      {
        method,
        body,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      },
      { event: { requestContext: signedIn ? { authorizer: { jwt: { claims: alice } } } : {} } },
    );
  return { app, built, request };
}

describe('a module app built on first use', () => {
  it('builds no route group at start, then only the group a request needs, once', async () => {
    const { built, request } = moduleApp(moduleNamed('spaces'));
    expect(built).toEqual([]);
    const [first, second] = await Promise.all([request('GET', '/api/spaces'), request('GET', '/api/spaces')]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(built).toEqual(['spaces']);
    expect((await request('GET', '/api/health')).status).toBe(200);
    expect(built).toEqual(['spaces', 'platform']);
  });

  it('answers 404 and 405 with Allow from the manifest, building nothing', async () => {
    const { built, request } = moduleApp(moduleNamed('bookmarks'));
    const missing = await request('GET', '/api/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    // A literal path belongs to its own route: not PATCH /me/bookmarks/{bookmarkId} with id "export".
    const literal = await request('PATCH', '/api/me/bookmarks/export', { body: '{}' });
    expect(literal.status).toBe(405);
    expect(literal.headers.get('allow')).toBe('GET, HEAD');
    const wrongMethod = await request('PUT', '/api/me/bookmarks');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    // Another module's path is not this app's.
    expect((await request('GET', '/api/spaces')).status).toBe(404);
    expect(built).toEqual([]);
  });

  it('a literal path beats a parameter path; HEAD is answered as GET', async () => {
    const { request } = moduleApp(moduleNamed('bookmarks'));
    const exported = await request('GET', '/api/me/bookmarks/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/html');
    const head = await request('HEAD', '/api/me/bookmarks');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('keeps the per-route body limit and the shared one before the group is built', async () => {
    const { built, request } = moduleApp(moduleNamed('profiles'));
    const big = JSON.stringify({ file: 'x'.repeat(300 * 1024) });
    expect((await request('PATCH', '/api/me', { body: big })).status).toBe(413);
    expect(built).toEqual([]);
    // The HR import takes a whole file: past the shared limit, its own route validates it.
    const imported = await request('POST', '/api/people/import', { body: big });
    expect(imported.status).not.toBe(413);
    expect(built).toEqual(['directory']);
  });

  it('authenticates before building: no claims is a 401 and builds nothing', async () => {
    const { built, request } = moduleApp(moduleNamed('posts'));
    expect((await request('GET', '/api/feed', { signedIn: false })).status).toBe(401);
    expect(built).toEqual([]);
  });

  it('a lazily built group sees the principal, services, request id and the body middleware read', async () => {
    const { request } = moduleApp(moduleNamed('spaces'));
    // The well-formed-text middleware reads a JSON body before the route's own validator does.
    const created = await request('POST', '/api/spaces', {
      body: JSON.stringify({ id: 'lazy-groups', name: 'Built on first use' }),
      headers: { 'x-request-id': 'lazy-group-1' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('lazy-group-1');
    const space = (await created.json()) as { id: string; name: string };
    expect(space).toMatchObject({ id: 'lazy-groups', name: 'Built on first use' });
    const members = await rt.api('alice', 'GET', '/spaces/lazy-groups/members');
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual(['alice']);
    const me = await moduleApp(moduleNamed('profiles')).request('GET', '/api/me');
    expect(((await me.json()) as { userId: string }).userId).toBe('alice');
  });

  it('answers a validation failure as problem+json naming the field, and a lone surrogate before building', async () => {
    const { built, request } = moduleApp(moduleNamed('spaces'));
    const surrogate = await request('POST', '/api/spaces', { body: '{"name":"\\ud83d"}' });
    expect(surrogate.status).toBe(400);
    expect(built).toEqual([]);
    const invalid = await request('POST', '/api/spaces', { body: JSON.stringify({ name: '', colour: 1 }) });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await invalid.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['json.name']));
  });

  it('refuses to serve a group whose routes differ from the manifest (500, not a wrong route)', async () => {
    const spaces = moduleNamed('spaces');
    const stale: ApiModule = {
      ...spaces,
      manifest: { ...spaces.manifest, spaces: spaces.manifest.spaces.slice(0, -1) },
    };
    const { request } = moduleApp(stale);
    expect((await request('GET', '/api/spaces')).status).toBe(500);
  });

  it('serves the OpenAPI document of every module, each group built for it', async () => {
    const { request } = moduleApp(moduleNamed('spaces'));
    const served = await request('GET', '/api/openapi.json', { signedIn: false });
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(JSON.stringify(await openApiDocument()));
  });
});

describe('every route of every module', () => {
  // Each route is served by its own module's app: the group it belongs to builds and answers it
  // (a 4xx from its validator or handler, never the app's own 404/405 or a 500).
  it.each(ALL_MODULES.map((module) => [module.name, module] as const))(
    '%s',
    async (_name, module) => {
      const { request } = moduleApp(module);
      for (const group of module.routes)
        for (const [method, path] of module.manifest[group.name]) {
          const concrete = `/api${path.replace(/:[^/]+/g, 'nothing-here')}`;
          const response = await request(method, concrete, method === 'GET' ? {} : { body: '{}' });
          expect({ route: `${method} ${path}`, status: response.status < 500 }).toEqual({
            route: `${method} ${path}`,
            status: true,
          });
          // The app's own 404 says "No route for …"; a route's 404 (no such space) says what is missing.
          const detail =
            response.status === 404 || response.status === 405
              ? ((await response.json()) as { detail: string }).detail
              : '';
          expect({ route: `${method} ${path}`, status: response.status, detail }).not.toEqual({
            route: `${method} ${path}`,
            status: expect.any(Number),
            detail: expect.stringMatching(/^No route for|answers .*, not /),
          });
        }
    },
    120_000,
  );
});
