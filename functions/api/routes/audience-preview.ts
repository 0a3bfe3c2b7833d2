/**
 * "Who will be notified": what the fan-out would do with a draft (domain/subscriptions/audience-preview.ts).
 * A read with a body (the draft), so a POST; only those who may write there may ask.
 */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { SpaceIdParam } from '../schemas/common';
import { AudiencePreviewView, PageAudienceBody, PostAudienceBody } from '../schemas/notifications';

export function postAudienceRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/posts/preview-audience',
      tags: ['posts'],
      ...secured,
      summary:
        'Who would be told if this draft were published or saved (the post’s author; writers for a new post). Writes nothing',
      request: { params: SpaceIdParam, ...jsonBody(PostAudienceBody) },
      responses: { 200: ok(AudiencePreviewView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.audience.forPost(
          c.var.principal,
          c.req.valid('param').spaceId,
          c.req.valid('json'),
        ),
        200,
      ),
  );
  return app;
}

export function pageAudienceRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/pages/preview-audience',
      tags: ['wiki'],
      ...secured,
      summary: 'Who would be told if this page (new or edited) were saved (editors, owners). Writes nothing',
      request: { params: SpaceIdParam, ...jsonBody(PageAudienceBody) },
      responses: { 200: ok(AudiencePreviewView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.audience.forPage(
          c.var.principal,
          c.req.valid('param').spaceId,
          c.req.valid('json'),
        ),
        200,
      ),
  );
  return app;
}
