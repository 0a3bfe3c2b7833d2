/** Following people; watching and muting spaces, tags, posts and pages; the lists of both. */
import { createRoute, type z } from '@hono/zod-openapi';
import type { WatchTarget } from '../../domain/subscriptions/subscription';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, SpaceIdParam, UserIdParam } from '../schemas/common';
import {
  FollowBody,
  FollowPage,
  FollowView,
  WatchBody,
  WatchPage,
  WatchPageParams,
  WatchPostParams,
  WatchSettingsBody,
  WatchSettingsView,
  WatchTagParam,
  WatchView,
} from '../schemas/notifications';

const tags = ['subscriptions'];

/** The watchable things: their path under /me/watches, their parameters and how they name a target. */
const WATCHABLE = [
  {
    what: 'a space',
    path: '/me/watches/spaces/{spaceId}',
    params: SpaceIdParam,
    target: (p: { spaceId: string }): WatchTarget => ({ kind: 'space', spaceId: p.spaceId }),
  },
  {
    what: 'a tag (posts with it in every space you can read)',
    path: '/me/watches/tags/{tag}',
    params: WatchTagParam,
    target: (p: { tag: string }): WatchTarget => ({ kind: 'tag', tag: p.tag }),
  },
  {
    what: 'a post (its comments)',
    path: '/me/watches/spaces/{spaceId}/posts/{postId}',
    params: WatchPostParams,
    target: (p: { spaceId: string; postId: string }): WatchTarget => ({
      kind: 'post',
      spaceId: p.spaceId,
      postId: p.postId,
    }),
  },
  {
    what: 'a wiki page (its edits)',
    path: '/me/watches/spaces/{spaceId}/pages/{pageId}',
    params: WatchPageParams,
    target: (p: { spaceId: string; pageId: string }): WatchTarget => ({
      kind: 'page',
      spaceId: p.spaceId,
      pageId: p.pageId,
    }),
  },
] as const;

export function subscriptionRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/follows/{userId}',
      tags,
      ...secured,
      summary: 'Follow a person (be told of their new posts), or mute them; 404 if you cannot see them',
      request: { params: UserIdParam, ...jsonBody(FollowBody) },
      responses: { 200: ok(FollowView), ...standardErrors },
    }),
    async (c) => {
      const { userId } = c.req.valid('param');
      const { level } = c.req.valid('json');
      return c.json(await c.var.services.subscriptions.follow(c.var.principal, userId, level), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/follows/{userId}',
      tags,
      ...secured,
      summary: 'Stop following (or muting) a person',
      request: { params: UserIdParam },
      responses: { 204: { description: 'Removed, or was not there' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.subscriptions.unfollow(c.var.principal, c.req.valid('param').userId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/follows',
      tags,
      ...secured,
      summary: 'The people you follow or muted',
      request: { query: PageQuery },
      responses: { 200: ok(FollowPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.subscriptions.follows(c.var.principal, limit, cursor), 200);
    },
  );

  for (const watchable of WATCHABLE) {
    const params = watchable.params as z.ZodObject<z.ZodRawShape>;
    const target = watchable.target as (p: unknown) => WatchTarget;
    app.openapi(
      createRoute({
        method: 'put',
        path: watchable.path,
        tags,
        ...secured,
        summary: `Watch or mute ${watchable.what}; 404 if you cannot read it`,
        request: { params, ...jsonBody(WatchBody) },
        responses: { 200: ok(WatchView), ...standardErrors },
      }),
      async (c) => {
        const { level } = c.req.valid('json');
        return c.json(
          await c.var.services.subscriptions.watch(c.var.principal, target(c.req.valid('param')), level),
          200,
        );
      },
    );
    app.openapi(
      createRoute({
        method: 'delete',
        path: watchable.path,
        tags,
        ...secured,
        summary: `Stop watching (or muting) ${watchable.what}`,
        request: { params },
        responses: { 204: { description: 'Removed, or was not there' }, ...standardErrors },
      }),
      async (c) => {
        await c.var.services.subscriptions.unwatch(c.var.principal, target(c.req.valid('param')));
        return c.body(null, 204);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/watches',
      tags,
      ...secured,
      summary: 'The spaces, tags, posts and pages you watch or muted',
      request: { query: PageQuery },
      responses: { 200: ok(WatchPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.subscriptions.watches(c.var.principal, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/subscription-settings',
      tags,
      ...secured,
      summary: 'Whether creating, commenting and editing make you watch the thing (all on by default)',
      responses: { 200: ok(WatchSettingsView), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.subscriptions.settings(c.var.principal), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/subscription-settings',
      tags,
      ...secured,
      summary: 'Turn watching what you create, comment on or edit on or off (fields left out stay)',
      request: jsonBody(WatchSettingsBody),
      responses: { 200: ok(WatchSettingsView), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.subscriptions.setSettings(c.var.principal, c.req.valid('json')), 200),
  );

  return app;
}
