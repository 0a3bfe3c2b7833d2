/** The inbox: newest first, the unread count, mark one or all read. */
import { createRoute } from '@hono/zod-openapi';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery } from '../schemas/common';
import { MarkedAll, NotificationPage, NotificationParam, UnreadCount } from '../schemas/notifications';

const tags = ['notifications'];

export function notificationRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/notifications',
      tags,
      ...secured,
      summary: 'Your inbox, newest first (items expire after 90 days)',
      request: { query: PageQuery },
      responses: { 200: ok(NotificationPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.notifications.inbox(c.var.principal, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/notifications/unread-count',
      tags,
      ...secured,
      summary: 'How many of your inbox items are unread (counted up to 100)',
      responses: { 200: ok(UnreadCount), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.notifications.unreadCount(c.var.principal), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/notifications/{notificationId}/read',
      tags,
      ...secured,
      summary: 'Mark one inbox item read (again is fine); 404 if it is not yours',
      request: { params: NotificationParam },
      responses: { 204: { description: 'Read' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.notifications.markRead(c.var.principal, c.req.valid('param').notificationId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/notifications/read-all',
      tags,
      ...secured,
      summary: 'Mark every inbox item read (up to 500 a call; `more` says ask again)',
      responses: { 200: ok(MarkedAll), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.notifications.markAllRead(c.var.principal), 200),
  );

  return app;
}
