/** Partner organisations (admins register them; spaces are shared with them). */
import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { Json } from '../schemas/common';
import { OrganisationBody } from '../schemas/spaces';

const tags = ['organisations'];

export function orgRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orgs',
      tags,
      ...secured,
      summary: 'Partner organisations (partners see only their own)',
      responses: { 200: ok(z.object({ items: z.array(Json) })), ...standardErrors },
    }),
    async (c) => c.json({ items: await c.var.services.orgs.list(c.var.principal) } as never, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/orgs',
      tags,
      ...secured,
      summary: 'Register a partner organisation (admins)',
      request: jsonBody(OrganisationBody),
      responses: { 201: ok(Json, 'Created'), ...standardErrors },
    }),
    async (c) =>
      c.json((await c.var.services.orgs.create(c.var.principal, c.req.valid('json'))) as never, 201),
  );

  return app;
}
