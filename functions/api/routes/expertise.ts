/**
 * Expertise from real work (search module: these read the search index): who knows about a topic,
 * what a person knows about, and a person's recent activity — each trimmed to what the caller may read.
 */
import { createRoute } from '@hono/zod-openapi';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { UserIdParam } from '../schemas/common';
import {
  ActivityPageResponse,
  ActivityQuery,
  ExpertiseQuery,
  ExpertiseResponse,
  KnowsAboutResponse,
} from '../schemas/expertise';

const tags = ['people'];

export function expertiseRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/expertise',
      tags,
      ...secured,
      summary:
        'Who knows about a topic: people ranked by what they wrote, edited, commented and saved about it (kind × recency), with the evidence you may read',
      request: { query: ExpertiseQuery },
      responses: { 200: ok(ExpertiseResponse), ...standardErrors },
    }),
    async (c) => {
      const { topic, limit } = c.req.valid('query');
      return c.json(await c.var.services.expertise.experts(c.var.principal, topic, limit), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/topics',
      tags,
      ...secured,
      summary: 'What a person knows about: their pinned topics, then topics derived from their visible work',
      request: { params: UserIdParam },
      responses: { 200: ok(KnowsAboutResponse), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.expertise.knowsAbout(c.var.principal, c.req.valid('param').userId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/activity',
      tags,
      ...secured,
      summary: "A person's recent posts, page edits, comments and bookmarks that you may read, newest first",
      request: { params: UserIdParam, query: ActivityQuery },
      responses: { 200: ok(ActivityPageResponse), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.expertise.activity(c.var.principal, c.req.valid('param').userId, limit, cursor),
        200,
      );
    },
  );

  return app;
}
