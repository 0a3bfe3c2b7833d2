/**
 * The OpenAPI 3.1 document of every module's routes, built from the same route definitions that
 * validate requests, so the two cannot drift apart. Built once per process, on the first request for
 * it: a module Lambda loads the other modules' route definitions only then, never at cold start, and
 * the document generators too (functions/platform/lambda-zod-to-openapi.ts).
 */
import * as zodToOpenApi from '@asteasolutions/zod-to-openapi';
import type { Router } from './env';
import { buildModules } from './module-app';
import { ALL_MODULES } from './modules/all-modules';

let built: Promise<unknown> | undefined;

export function openApiDocument(): Promise<unknown> {
  built ??= loadGenerators().then(buildDocument);
  return built;
}

/**
 * In a Lambda bundle the library's document generators are loaded on first use; elsewhere the library
 * is imported whole and has nothing to load.
 */
async function loadGenerators() {
  await (zodToOpenApi as { loadGenerators?: () => Promise<void> }).loadGenerators?.();
}

/** Every module's route groups built (the serving app builds each on first use), in their order. */
async function buildDocument() {
  const app = await buildModules(ALL_MODULES);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Commonplace API',
      version: '0.1.0',
      description: 'Blogs, wiki, spaces, people and search of Commonplace. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
  });
  markOptionalBodies(app.openAPIRegistry.definitions, document);
  return document;
}

/**
 * A route's body is `required` so that the router always validates it, a missing one as `{}` with its
 * defaults; the document says truthfully that a body whose fields are all optional may be left out.
 */
function markOptionalBodies(
  definitions: Router['openAPIRegistry']['definitions'],
  document: { paths?: object },
) {
  const paths = document.paths as Record<string, Record<string, { requestBody?: unknown }>> | undefined;
  for (const definition of definitions) {
    if (definition.type !== 'route') continue;
    const schema = definition.route.request?.body?.content?.['application/json']?.schema;
    if (!schema || !('safeParse' in schema) || !schema.safeParse({}).success) continue;
    const body = paths?.[definition.route.path]?.[definition.route.method]?.requestBody;
    if (body && typeof body === 'object') (body as { required?: boolean }).required = false;
  }
  // A body offered in two media types (the bookmark import: JSON or the file as text/html) cannot be
  // required through the router, which would then ask every request for JSON; its handler refuses a
  // missing one, so the document says it is required.
  for (const definition of definitions) {
    if (definition.type !== 'route') continue;
    const content = definition.route.request?.body?.content ?? {};
    const json = content['application/json']?.schema;
    if (Object.keys(content).length < 2 || !json || !('safeParse' in json) || json.safeParse({}).success)
      continue;
    const body = paths?.[definition.route.path]?.[definition.route.method]?.requestBody;
    if (body && typeof body === 'object') (body as { required?: boolean }).required = true;
  }
}
