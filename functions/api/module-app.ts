/**
 * The HTTP app of one or more API modules: each module's routes inside the same shared middleware.
 * Middleware order: request id, dependencies and access log → body size limit → authentication
 * (everything but health and the OpenAPI document) → well-formed Unicode in JSON bodies → routes.
 * Errors become problem+json in one place.
 * A Lambda serves one module (lambdas/); the local runtime serves them all (app.ts).
 *
 * The routes themselves are built on first use: the app registers each route of the modules' route
 * manifests (method and path, no schema) with a handler that loads its group with `import()`, builds
 * it once and runs the group's own handlers for that route on the same request context. So a cold
 * start builds no zod schema, validator or route handler (and loads no zod), while routing, 404/405,
 * body limits and authentication answer exactly as if the groups were built.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createCoreServices, type ServiceContext, type Services } from '../domain/services';
import type { ApiDependencies } from './dependencies';
import type { AppEnv, Router } from './env';
import { authenticate } from './middleware/authenticate';
import { requestContext } from './middleware/request-context';
import { wellFormedText } from './middleware/well-formed-text';
import type { ApiModule, ManifestEntry, RouteGroup } from './modules/api-module';
import { handleError, problemResponse } from './problem';

export const MAX_BODY_BYTES = 256 * 1024;

export function createModuleApp(deps: ApiDependencies, modules: readonly ApiModule[]) {
  const services = servicesOf(modules, {
    table: deps.table,
    clock: deps.clock,
    ids: deps.ids,
    search: deps.search,
    unsubscribeKey: deps.unsubscribeKey,
    signInAccounts: deps.signInAccounts,
    blobs: deps.blobs,
    attachmentLimits: deps.attachmentLimits,
    bookmarkImportQueue: deps.bookmarkImportQueue,
    identityProviders: deps.identityProviders,
    samlMetadataCheck: deps.samlMetadataCheck,
  });
  // A plain hono app: the route groups (zod-openapi's routers) are built on first use.
  const app = new Hono<AppEnv>();

  app.use('*', requestContext(services, deps));
  // The shared limit, or a module's own for a route that takes a whole file (the HR import).
  const limits = Object.assign({}, ...modules.map((module) => module.bodyLimits ?? {})) as Record<
    string,
    number
  >;
  const limiters = new Map<number, ReturnType<typeof bodyLimitOf>>();
  const limiterFor = (bytes: number) => {
    if (!limiters.has(bytes)) limiters.set(bytes, bodyLimitOf(bytes));
    return limiters.get(bytes)!;
  };
  app.use('/api/*', (c, next) =>
    limiterFor(limits[c.req.path.replace(/^\/api/, '')] ?? MAX_BODY_BYTES)(c, next),
  );
  app.use('/api/*', authenticate(deps.authenticator, services));
  app.use('/api/*', wellFormedText());
  // A path some route names literally belongs to that route alone: `PATCH /me/bookmarks/export` is a
  // 405 (the path answers GET), not a call of `PATCH /me/bookmarks/{bookmarkId}` with the id "export".
  let literalPaths = new Map<string, string[]>();
  app.use('/api/*', async (c, next) => {
    const allowed = literalPaths.get(c.req.path.replace(/\/$/, ''));
    if (allowed && !allowed.includes(c.req.method)) return methodNotAllowed(c, allowed);
    return next();
  });
  for (const module of modules) mountLazily(app, module);

  literalPaths = literalPathMethods(app.routes);
  const allowedMethods = routeMethods(app.routes);
  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length) return methodNotAllowed(c, allowed);
    return problemResponse(c, {
      type: 'not-found',
      title: 'Not found',
      status: 404,
      detail: `No route for ${c.req.method} ${c.req.path}`,
      instance: c.req.path,
    });
  });
  app.onError(handleError);
  return app;
}

function methodNotAllowed(c: Context, allowed: string[]) {
  c.header('Allow', allowed.join(', '));
  return problemResponse(c, {
    type: 'method-not-allowed',
    title: 'Method not allowed',
    status: 405,
    detail: `${c.req.path} answers ${allowed.join(', ')}, not ${c.req.method}`,
    instance: c.req.path,
  });
}

function bodyLimitOf(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      problemResponse(c, {
        type: 'payload-too-large',
        title: 'Payload too large',
        status: 413,
        detail: `Request bodies are limited to ${maxSize} bytes`,
        instance: c.req.path,
      }),
  });
}

/**
 * The core services plus those of the given modules. Each module's routes use the core and their own
 * module's services only; test/integration/module-apps.test.ts calls every route through its own
 * module's app to hold that.
 */
export function servicesOf(modules: readonly ApiModule[], ctx: ServiceContext): Services {
  const core = createCoreServices(ctx);
  return Object.assign(core, ...modules.map((module) => module.services?.(core, ctx) ?? {}));
}

/**
 * Registers every route of the module's manifest under /api, in the groups' order, each handler of a
 * route as its own entry (as `app.route()` would): the router matches, ranks and answers 404/405 as
 * if the groups were built. Each entry, when run, builds its group on first use and calls the group's
 * handler at the same position with the same context (principal, services, request id, the body that
 * middleware may have read already: hono's request caches it). The app's router is complete at start:
 * nothing is added to it after its first match.
 */
function mountLazily(app: Hono<AppEnv>, module: ApiModule) {
  for (const group of module.routes) {
    const entries = module.manifest[group.name];
    if (!entries)
      throw new Error(
        `The route manifest has no group "${group.name}" of the ${module.name} module: ${REGENERATE}`,
      );
    const handlers = lazyHandlers(module, group, entries);
    let index = 0;
    for (const [method, path, count] of entries)
      for (let n = 0; n < count; n++) {
        const position = index++;
        const handler: MiddlewareHandler<AppEnv> = (c, next) => {
          const built = handlers.built;
          return built
            ? built[position](c, next)
            : handlers.load().then((loaded) => loaded[position](c, next));
        };
        app.on(method, `/api${path === '/' ? '' : path}`, handler);
      }
  }
}

export const REGENERATE =
  'run `npm run routes:manifest` and commit functions/api/modules/route-manifest.generated.ts';

type GroupHandler = MiddlewareHandler<AppEnv>;

/** A group's handlers in its own order, built once (concurrent first requests share the build). */
function lazyHandlers(module: ApiModule, group: RouteGroup, entries: readonly ManifestEntry[]) {
  let loading: Promise<GroupHandler[]> | undefined;
  const handlers: { built?: GroupHandler[]; load: () => Promise<GroupHandler[]> } = {
    load: () => {
      loading ??= oneAtATime(group.load)
        .then((routes) => {
          const router = routes();
          const stale = staleness(manifestEntries(router), entries);
          if (stale)
            throw new Error(`The ${module.name} module's ${group.name} routes ${stale}: ${REGENERATE}`);
          handlers.built = router.routes.map((route) => route.handler as GroupHandler);
          return handlers.built;
        })
        .catch((error) => {
          loading = undefined; // a failed import is tried again by the next request
          throw error;
        });
      return loading;
    },
  };
  return handlers;
}

/**
 * Group imports run one after another in a process. A Lambda serves one request at a time anyway; the
 * local runtime may get concurrent first requests for several groups, and jest's ES module loader
 * fails an import of a module that another import is still linking ("not in cache").
 */
let imports: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(load: () => Promise<T>): Promise<T> {
  const next = imports.then(load, load);
  imports = next.catch(() => undefined);
  return next;
}

/** A built group's routes as manifest entries: consecutive handlers of one method and path counted. */
export function manifestEntries(router: Router): ManifestEntry[] {
  const entries: [string, string, number][] = [];
  for (const { method, path } of router.routes) {
    const last = entries.at(-1);
    if (last && last[0] === method && last[1] === path) last[2]++;
    else entries.push([method, path, 1]);
  }
  return entries;
}

/** How a group's built routes differ from its manifest entries, or undefined when they do not. */
function staleness(built: ManifestEntry[], manifest: readonly ManifestEntry[]): string | undefined {
  const key = (entry: ManifestEntry) => entry.join(' ');
  for (let i = 0; i < Math.max(built.length, manifest.length); i++)
    if (built[i]?.join(' ') !== manifest[i]?.join(' '))
      return `differ from the route manifest at entry ${i} (built: ${built[i] ? key(built[i]) : 'none'}, manifest: ${manifest[i] ? key(manifest[i]) : 'none'})`;
  return undefined;
}

/**
 * Every group of the modules built and mounted under /api, in order, as one zod-openapi router: what
 * the OpenAPI document is written from (openapi-document.ts).
 */
export async function buildModules(modules: readonly ApiModule[]): Promise<Router> {
  const { createRouter } = await import('./router');
  const app = createRouter();
  for (const module of modules)
    for (const group of module.routes) app.route('/api', (await oneAtATime(group.load))());
  return app;
}

/** A module's routes as method and path (hono form, `/api/spaces/:spaceId`), from its manifest. */
export function moduleRoutes(module: ApiModule): { method: string; path: string }[] {
  return module.routes.flatMap((group) =>
    (module.manifest[group.name] ?? []).flatMap(([method, path, count]) =>
      Array.from({ length: count }, () => ({ method, path: `/api${path === '/' ? '' : path}` })),
    ),
  );
}

/**
 * For a path, the methods the routes that match it most literally answer (HEAD comes with GET); none
 * when no route matches. Of `/me/bookmarks/export` and `/me/bookmarks/:bookmarkId`, the first decides.
 * The patterns are built on the first unmatched request: a cold start never needs them.
 */
function routeMethods(routes: { path: string; method: string }[]): (path: string) => string[] {
  const candidates = routes
    .filter((route) => route.method !== 'ALL')
    .map(({ method, path }) => ({ method, path }));
  let patterns: { method: string; literals: number; matches: RegExp }[] | undefined;
  return (path) => {
    patterns ??= candidates.map((route) => ({
      method: route.method,
      literals: route.path.split('/').filter((part) => part && !part.startsWith(':')).length,
      matches: new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:[^/]+/g, '[^/]+')}/?$`),
    }));
    const matching = patterns.filter((p) => p.matches.test(path));
    const most = Math.max(...matching.map((p) => p.literals));
    const methods = new Set(matching.filter((p) => p.literals === most).map((p) => p.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };
}

/** The methods of each route path without parameters (`/api/me/bookmarks/export`): a Map lookup. */
function literalPathMethods(routes: { path: string; method: string }[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const { path, method } of routes) {
    if (method === 'ALL' || path.includes(':') || path.includes('*')) continue;
    // A route can be listed twice (its validator and its handler): each method once.
    const methods = byPath.get(path) ?? [];
    if (!methods.includes(method)) methods.push(method);
    byPath.set(path, methods);
  }
  for (const methods of byPath.values()) if (methods.includes('GET')) methods.push('HEAD');
  return byPath;
}
