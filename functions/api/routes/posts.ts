/** Blog posts, likes and comments within a space. */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, SpaceIdParam } from '../schemas/common';
import {
  CommentBody,
  CommentPage,
  CommentParams,
  CommentUpdateBody,
  CommentView,
  LikeBody,
  LikeResult,
  PostBody,
  PostPage,
  PostParams,
  PostUpdateBody,
  PostView,
  TagParam,
} from '../schemas/posts';

const tags = ['posts'];

export function postRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/posts',
      tags,
      ...secured,
      summary: "A space's published posts, newest first",
      request: { params: SpaceIdParam, query: PageQuery },
      responses: { 200: ok(PostPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.posts.listBySpace(c.var.principal, c.req.valid('param').spaceId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/posts',
      tags,
      ...secured,
      summary: 'Write a post (editors, owners)',
      request: { params: SpaceIdParam, ...jsonBody(PostBody) },
      responses: { 201: ok(PostView, 'Created'), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.posts.create(c.var.principal, c.req.valid('param').spaceId, c.req.valid('json')),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/posts/{postId}',
      tags,
      ...secured,
      summary: 'One post with its rendered HTML',
      request: { params: PostParams },
      responses: { 200: ok(PostView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId } = c.req.valid('param');
      const post = await c.var.services.posts.get(c.var.principal, spaceId, postId);
      c.header('etag', `"${post.version}"`);
      return c.json(post, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/spaces/{spaceId}/posts/{postId}',
      tags,
      ...secured,
      summary: 'Edit a post; a stale version gets 409',
      request: { params: PostParams, ...jsonBody(PostUpdateBody) },
      responses: { 200: ok(PostView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId } = c.req.valid('param');
      const post = await c.var.services.posts.update(c.var.principal, spaceId, postId, c.req.valid('json'));
      c.header('etag', `"${post.version}"`);
      return c.json(post, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/spaces/{spaceId}/posts/{postId}',
      tags,
      ...secured,
      summary: 'Delete a post (author, owners, admins)',
      request: { params: PostParams },
      responses: { 204: { description: 'Deleted' }, ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId } = c.req.valid('param');
      await c.var.services.posts.delete(c.var.principal, spaceId, postId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/spaces/{spaceId}/posts/{postId}/like',
      tags,
      ...secured,
      summary: 'Like or unlike a post',
      request: { params: PostParams, ...jsonBody(LikeBody) },
      responses: { 200: ok(LikeResult), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId } = c.req.valid('param');
      return c.json(
        await c.var.services.posts.like(c.var.principal, spaceId, postId, c.req.valid('json').liked),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/posts/{postId}/comments',
      tags,
      ...secured,
      summary: 'Comments and replies, oldest first',
      request: { params: PostParams, query: PageQuery },
      responses: { 200: ok(CommentPage), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.comments.list(c.var.principal, spaceId, postId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/posts/{postId}/comments',
      tags,
      ...secured,
      summary: 'Comment, or reply to a top-level comment',
      request: { params: PostParams, ...jsonBody(CommentBody) },
      responses: { 201: ok(CommentView, 'Created'), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId } = c.req.valid('param');
      return c.json(
        await c.var.services.comments.add(c.var.principal, spaceId, postId, c.req.valid('json')),
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/spaces/{spaceId}/posts/{postId}/comments/{commentId}',
      tags,
      ...secured,
      summary: 'Edit your comment',
      request: { params: CommentParams, ...jsonBody(CommentUpdateBody) },
      responses: { 200: ok(CommentView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId, commentId } = c.req.valid('param');
      return c.json(
        await c.var.services.comments.edit(c.var.principal, spaceId, postId, commentId, c.req.valid('json')),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/spaces/{spaceId}/posts/{postId}/comments/{commentId}',
      tags,
      ...secured,
      summary: 'Delete a comment (author, owners, admins)',
      request: { params: CommentParams },
      responses: { 204: { description: 'Deleted' }, ...standardErrors },
    }),
    async (c) => {
      const { spaceId, postId, commentId } = c.req.valid('param');
      await c.var.services.comments.delete(c.var.principal, spaceId, postId, commentId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tags/{tag}/posts',
      tags,
      ...secured,
      summary: 'Published posts with a tag, across the spaces you can read',
      request: { params: TagParam, query: PageQuery },
      responses: { 200: ok(PostPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.posts.listByTag(c.var.principal, c.req.valid('param').tag, limit, cursor),
        200,
      );
    },
  );

  return app;
}
