/** Partner organisations (admins register them; spaces are shared with them). */
import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { OrganisationBody, OrganisationList, OrganisationView } from '../schemas/spaces';

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
      responses: { 200: ok(OrganisationList), ...standardErrors },
    }),
    async (c) => c.json({ items: await c.var.services.orgs.list(c.var.principal) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/orgs',
      tags,
      ...secured,
      summary: 'Register a partner organisation (admins)',
      request: jsonBody(OrganisationBody),
      responses: { 201: ok(OrganisationView, 'Created'), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.orgs.create(c.var.principal, c.req.valid('json')), 201),
  );

  return app;
}
