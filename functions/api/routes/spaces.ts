/** Spaces, members and sharing. Handlers only translate: the SpaceService decides. */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, SpaceIdParam } from '../schemas/common';
import {
  CreateSpaceBody,
  MemberBody,
  MemberPage,
  MemberParams,
  MemberView,
  SharingBody,
  SpaceListQuery,
  SpacePage,
  SpaceView,
  UpdateSpaceBody,
} from '../schemas/spaces';

const tags = ['spaces'];

export function spaceRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces',
      tags,
      ...secured,
      summary: 'Spaces: mine, the directory, or all (admins)',
      request: { query: SpaceListQuery },
      responses: { 200: ok(SpacePage), ...standardErrors },
    }),
    async (c) => {
      const { scope, limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.spaces.list(c.var.principal, scope, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces',
      tags,
      ...secured,
      summary: 'Create a space (employees)',
      request: jsonBody(CreateSpaceBody),
      responses: { 201: ok(SpaceView, 'Created'), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.spaces.create(c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}',
      tags,
      ...secured,
      summary: 'One space',
      request: { params: SpaceIdParam },
      responses: { 200: ok(SpaceView), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.spaces.get(c.var.principal, c.req.valid('param').spaceId), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/spaces/{spaceId}',
      tags,
      ...secured,
      summary: 'Change name, description or audience (owners, admins)',
      request: { params: SpaceIdParam, ...jsonBody(UpdateSpaceBody) },
      responses: { 200: ok(SpaceView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.spaces.update(
          c.var.principal,
          c.req.valid('param').spaceId,
          c.req.valid('json'),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/spaces/{spaceId}/sharing',
      tags,
      ...secured,
      summary: 'Share with exactly these partner organisations (empty list unshares)',
      request: { params: SpaceIdParam, ...jsonBody(SharingBody) },
      responses: { 200: ok(SpaceView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.spaces.setSharing(
          c.var.principal,
          c.req.valid('param').spaceId,
          c.req.valid('json'),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/members',
      tags,
      ...secured,
      summary: 'Members of a space',
      request: { params: SpaceIdParam, query: PageQuery },
      responses: { 200: ok(MemberPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.spaces.members(c.var.principal, c.req.valid('param').spaceId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/spaces/{spaceId}/members/{userId}',
      tags,
      ...secured,
      summary: 'Add a member or change their role (owners, admins)',
      request: { params: MemberParams, ...jsonBody(MemberBody) },
      responses: { 200: ok(MemberView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, userId } = c.req.valid('param');
      return c.json(
        await c.var.services.spaces.setMember(c.var.principal, spaceId, userId, c.req.valid('json').role),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/spaces/{spaceId}/members/{userId}',
      tags,
      ...secured,
      summary: 'Remove a member (owners, admins, or yourself)',
      request: { params: MemberParams },
      responses: { 204: { description: 'Removed' }, ...standardErrors },
    }),
    async (c) => {
      const { spaceId, userId } = c.req.valid('param');
      await c.var.services.spaces.removeMemberById(c.var.principal, spaceId, userId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/join',
      tags,
      ...secured,
      summary: 'Join a space open to you',
      request: { params: SpaceIdParam },
      responses: { 200: ok(SpaceView), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.spaces.join(c.var.principal, c.req.valid('param').spaceId), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/leave',
      tags,
      ...secured,
      summary: 'Leave a space',
      request: { params: SpaceIdParam },
      responses: { 204: { description: 'Left' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.spaces.leave(c.var.principal, c.req.valid('param').spaceId);
      return c.body(null, 204);
    },
  );

  return app;
}
