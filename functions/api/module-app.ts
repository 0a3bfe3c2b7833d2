/**
 * The HTTP app of one or more API modules: each module's routes inside the same shared middleware.
 * Middleware order: request id, dependencies and access log → body size limit → authentication
 * (everything but health and the OpenAPI document) → routes. Errors become problem+json in one place.
 * A Lambda serves one module (lambdas/); the local runtime serves them all (app.ts).
 */
import { bodyLimit } from 'hono/body-limit';
import { createCoreServices, type ServiceContext, type Services } from '../domain/services';
import type { ApiDependencies } from './dependencies';
import { authenticate } from './middleware/authenticate';
import { requestContext } from './middleware/request-context';
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
  });
  const app = createRouter();

  app.use('*', requestContext(services, deps));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        problemResponse(c, {
          type: 'payload-too-large',
          title: 'Payload too large',
          status: 413,
          detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes`,
          instance: c.req.path,
        }),
    }),
  );
  app.use('/api/*', authenticate(deps.authenticator, services));
  mountModules(app, modules);

  const allowedMethods = routeMethods(app.routes);
  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length) {
      c.header('Allow', allowed.join(', '));
      return problemResponse(c, {
        type: 'method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${c.req.path} answers ${allowed.join(', ')}, not ${c.req.method}`,
        instance: c.req.path,
      });
    }
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
 * For a path, the methods some route answers it with (HEAD comes with GET); none when no route matches.
 * The patterns are built on the first unmatched request: a cold start, and every request that matches a
 * route, never need them.
 */
function routeMethods(routes: { path: string; method: string }[]): (path: string) => string[] {
  const candidates = routes
    .filter((route) => route.method !== 'ALL')
    .map(({ method, path }) => ({ method, path }));
  let patterns: { method: string; matches: RegExp }[] | undefined;
  return (path) => {
    patterns ??= candidates.map((route) => ({
      method: route.method,
      matches: new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:[^/]+/g, '[^/]+')}/?$`),
    }));
    const methods = new Set(patterns.filter((p) => p.matches.test(path)).map((p) => p.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };
}
