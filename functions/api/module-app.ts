/**
 * The HTTP app of one or more API modules: each module's routes inside the same shared middleware.
 * Middleware order: request id, dependencies and access log → body size limit → authentication
 * (everything but health and the OpenAPI document) → well-formed Unicode in JSON bodies → routes.
 * Errors become problem+json in one place.
 * A Lambda serves one module (lambdas/); the local runtime serves them all (app.ts).
 */
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createCoreServices, type ServiceContext, type Services } from '../domain/services';
import type { ApiDependencies } from './dependencies';
import { authenticate } from './middleware/authenticate';
import { requestContext } from './middleware/request-context';
import { wellFormedText } from './middleware/well-formed-text';
import type { ApiModule } from './modules/api-module';
import { handleError, problemResponse } from './problem';
import { createRouter } from './router';

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
  const app = createRouter();

  app.use('*', requestContext(services, deps));
  // The shared limit, or a module's own for a route that takes a whole file (bookmark import).
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
  mountModules(app, modules);

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

/** Mounts each module's route groups under /api. */
export function mountModules(app: ReturnType<typeof createRouter>, modules: readonly ApiModule[]) {
  for (const module of modules) for (const routes of module.routes) app.route('/api', routes());
  return app;
}

/** A module's routes as method and path (hono form, `/api/spaces/:spaceId`), without building the app. */
export function moduleRoutes(module: ApiModule): { method: string; path: string }[] {
  return mountModules(createRouter(), [module]).routes.map(({ method, path }) => ({ method, path }));
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
