/**
 * Partner organisations: everyone lists them (a partner only their own); admins add, change, suspend,
 * extend and remove them, and see their people and the spaces shared with them (PartnerOrganisations).
 */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import {
  AccessEndBody,
  AdminOrganisationView,
  OrganisationDetailView,
  OrganisationStatusBody,
  OrgIdParam,
  OrgPersonParams,
  PersonAccessView,
  UpdateOrganisationBody,
} from '../schemas/partners';
import { OrganisationBody, OrganisationList } from '../schemas/spaces';

const tags = ['organisations'];

export function orgRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orgs',
      tags,
      ...secured,
      summary: 'Partner organisations (partners see only their own; admins see domains, provider, status)',
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
      summary:
        'Add a partner organisation with its e-mail domains and identity provider (admins). A domain or provider name another organisation holds is a 409; a SAML metadata URL is fetched through the safe fetcher (private or unreachable: 422)',
      request: jsonBody(OrganisationBody),
      responses: {
        201: ok(AdminOrganisationView, 'Created'),
        422: standardErrors[400],
        ...standardErrors,
      },
    }),
    async (c) => c.json(await c.var.services.partners.create(c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orgs/{orgId}',
      tags,
      ...secured,
      summary: 'An organisation with its people and the spaces shared with it (admins)',
      request: { params: OrgIdParam },
      responses: { 200: ok(OrganisationDetailView), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.partners.detail(c.var.principal, c.req.valid('param').orgId), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/orgs/{orgId}',
      tags,
      ...secured,
      summary: 'Change the name, e-mail domains or identity provider (admins; null provider removes it)',
      request: { params: OrgIdParam, ...jsonBody(UpdateOrganisationBody) },
      responses: { 200: ok(AdminOrganisationView), 422: standardErrors[400], ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.partners.update(
          c.var.principal,
          c.req.valid('param').orgId,
          c.req.valid('json'),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/orgs/{orgId}',
      tags,
      ...secured,
      summary: 'Remove an organisation and its provider (admins; unshare its spaces first)',
      request: { params: OrgIdParam },
      responses: { 204: { description: 'Removed' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.partners.remove(c.var.principal, c.req.valid('param').orgId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/orgs/{orgId}/status',
      tags,
      ...secured,
      summary: "Suspend or reactivate (admins): its people's next request is refused, whatever their token",
      request: { params: OrgIdParam, ...jsonBody(OrganisationStatusBody) },
      responses: { 200: ok(AdminOrganisationView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.partners.setStatus(
          c.var.principal,
          c.req.valid('param').orgId,
          c.req.valid('json').status,
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/orgs/{orgId}/access',
      tags,
      ...secured,
      summary: "Set, extend or clear the organisation's end date (admins)",
      request: { params: OrgIdParam, ...jsonBody(AccessEndBody) },
      responses: { 200: ok(AdminOrganisationView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.partners.setAccessEnd(
          c.var.principal,
          c.req.valid('param').orgId,
          c.req.valid('json').accessEndsAt,
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/orgs/{orgId}/people/{userId}/access',
      tags,
      ...secured,
      summary: "Set, extend or clear one partner user's own end date (admins)",
      request: { params: OrgPersonParams, ...jsonBody(AccessEndBody) },
      responses: { 200: ok(PersonAccessView), ...standardErrors },
    }),
    async (c) => {
      const { orgId, userId } = c.req.valid('param');
      return c.json(
        await c.var.services.partners.setPersonAccessEnd(
          c.var.principal,
          orgId,
          userId,
          c.req.valid('json').accessEndsAt,
        ),
        200,
      );
    },
  );

  return app;
}
