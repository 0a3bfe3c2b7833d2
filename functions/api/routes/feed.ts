/** Lists across spaces: the home feed (an activity stream), your drafts and a person's posts. */
import { createRoute } from '@hono/zod-openapi';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, UserIdParam } from '../schemas/common';
import { FeedPage, PostPage } from '../schemas/posts';

const tags = ['posts'];

export function feedRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/feed',
      tags,
      ...secured,
      summary: 'Home feed: what is new that you may read (posts, page edits, comments for you), newest first',
      description:
        'An activity stream derived from the table stream: a constant number of DynamoDB requests per page, whatever the number of spaces. A page may hold fewer than `limit` items (those you can no longer read are left out) and still have a cursor.',
      request: { query: PageQuery },
      responses: { 200: ok(FeedPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.feed.feed(c.var.principal, limit, cursor), 200);
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
