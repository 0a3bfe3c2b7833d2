/**
 * The OpenAPI 3.1 document of every module's routes, built from the same route definitions that
 * validate requests, so the two cannot drift apart. Built once per process, on the first request for
 * it: a module Lambda loads the other modules' route definitions only then, never at cold start.
 */
import { mountModules } from './module-app';
import { ALL_MODULES } from './modules/all-modules';
import { createRouter } from './router';

let built: unknown;

export function openApiDocument() {
  built ??= buildDocument();
  return built;
}

function buildDocument() {
  const app = mountModules(createRouter(), ALL_MODULES);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Commonplace API',
      version: '0.1.0',
      description: 'Blogs, wiki, spaces, people and search of Commonplace. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
  });
}
