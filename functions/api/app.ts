/**
 * The HTTP API: one hono app with every route, used unchanged by the api Lambda and the local runtime.
 * Middleware order: request id and access log → body size limit → authentication (everything but
 * health and the OpenAPI document) → routes. Errors are mapped to problem+json in one place.
 */
import { bodyLimit } from 'hono/body-limit';
import { createServices } from '../domain/services';
import type { Dependencies } from '../platform/dependencies';
import { logger } from '../platform/logger';
import { authenticate } from './middleware/authenticate';
import { requestContext } from './middleware/request-context';
import { handleError, problemResponse } from './problem';
import { createRouter } from './router';
import { healthRoutes } from './routes/health';
import { orgRoutes } from './routes/orgs';
import { pageRoutes } from './routes/pages';
import { peopleRoutes } from './routes/people';
import { postRoutes } from './routes/posts';
import { searchRoutes } from './routes/search';
import { spaceRoutes } from './routes/spaces';

export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: Dependencies) {
  const services = createServices({ table: deps.table, clock: deps.clock, ids: deps.ids }, deps.search);
  const app = createRouter();

  app.use('*', requestContext(services));
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

  app.route('/api', healthRoutes(deps));
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Commonplace API',
      version: '0.1.0',
      description: 'Blogs, spaces and people of Commonplace. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  app.use('/api/*', authenticate(deps.verifyToken, services));
  app.route('/api', spaceRoutes());
  app.route('/api', postRoutes());
  app.route('/api', pageRoutes());
  app.route('/api', peopleRoutes());
  app.route('/api', orgRoutes());
  app.route('/api', searchRoutes());

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
  logger.debug('api app created');
  return app;
}

export type App = ReturnType<typeof createApp>;

/** For a path, the methods some route answers it with (HEAD comes with GET); none when no route matches. */
function routeMethods(routes: { path: string; method: string }[]): (path: string) => string[] {
  const patterns = routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => ({
      method: route.method,
      matches: new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:[^/]+/g, '[^/]+')}/?$`),
    }));
  return (path) => {
    const methods = new Set(patterns.filter((p) => p.matches.test(path)).map((p) => p.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };
}
