/** Invitations into a space shared with partner organisations (owners and admins). */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, SpaceIdParam } from '../schemas/common';
import { InvitationBody, InvitationPage, InvitationParams, InvitationView } from '../schemas/partners';

const tags = ['spaces'];

export function invitationRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/invitations',
      tags,
      ...secured,
      summary:
        "Invite a partner's person by e-mail (owners, admins): accepted at their first sign-in. The domain must belong to an organisation the space is shared with (409 otherwise)",
      request: { params: SpaceIdParam, ...jsonBody(InvitationBody) },
      responses: { 201: ok(InvitationView, 'Invited'), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.invitations.invite(
          c.var.principal,
          c.req.valid('param').spaceId,
          c.req.valid('json'),
        ),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/invitations',
      tags,
      ...secured,
      summary: 'Open invitations of a space (owners, admins)',
      request: { params: SpaceIdParam, query: PageQuery },
      responses: { 200: ok(InvitationPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.invitations.list(c.var.principal, c.req.valid('param').spaceId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/spaces/{spaceId}/invitations/{email}',
      tags,
      ...secured,
      summary: 'Revoke an invitation (owners, admins)',
      request: { params: InvitationParams },
      responses: { 204: { description: 'Revoked' }, ...standardErrors },
    }),
    async (c) => {
      const { spaceId, email } = c.req.valid('param');
      await c.var.services.invitations.revoke(c.var.principal, spaceId, email);
      return c.body(null, 204);
    },
  );

  return app;
}
