/** Lists of posts across spaces: the home feed, your drafts and a person's posts. */
import { createRoute } from '@hono/zod-openapi';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, UserIdParam } from '../schemas/common';
import { PostPage } from '../schemas/posts';

const tags = ['posts'];

export function feedRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/feed',
      tags,
      ...secured,
      summary: 'Home feed: newest posts from your spaces',
      request: { query: PageQuery },
      responses: { 200: ok(PostPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.posts.feed(c.var.principal, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/drafts',
      tags,
      ...secured,
      summary: 'Your drafts',
      request: { query: PageQuery },
      responses: { 200: ok(PostPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.posts.listByAuthor(c.var.principal, c.var.principal.userId, {
          drafts: true,
          limit,
          cursor,
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/posts',
      tags,
      ...secured,
      summary: "A person's published posts in spaces you can read",
      request: { params: UserIdParam, query: PageQuery },
      responses: { 200: ok(PostPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.posts.listByAuthor(c.var.principal, c.req.valid('param').userId, {
          limit,
          cursor,
        }),
        200,
      );
    },
  );

  return app;
}
