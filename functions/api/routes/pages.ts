/** Wiki pages of a space: the tree, pages, their history, restore and backlinks. */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, SpaceIdParam } from '../schemas/common';
import {
  BacklinkPage,
  CreatePageBody,
  PageNodes,
  PageNodesQuery,
  PageParams,
  PageTreeLevel,
  PageTreeQuery,
  PageVersionPage,
  PageVersionParams,
  PageVersionView,
  PageView,
  RestorePageBody,
  UpdatePageBody,
  WikiPageListQuery,
  WikiPagePage,
} from '../schemas/wiki';

const tags = ['wiki'];

export function pageRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/pages',
      tags,
      ...secured,
      summary:
        "A space's wiki pages by title, each with its parentId, optionally only titles starting with `title` (a flat list; the tree is read by level at /page-tree)",
      request: { params: SpaceIdParam, query: WikiPageListQuery },
      responses: { 200: ok(WikiPagePage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor, title } = c.req.valid('query');
      const { spaceId } = c.req.valid('param');
      return c.json(await c.var.services.pages.list(c.var.principal, spaceId, limit, cursor, title), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/page-tree/nodes',
      tags,
      ...secured,
      summary:
        'Tree nodes of the named pages (title, parent, children), leaving out those that do not exist: which [[links]] lead to pages not written yet, a parent’s title (one BatchGetItem)',
      request: { params: SpaceIdParam, query: PageNodesQuery },
      responses: { 200: ok(PageNodes), ...standardErrors },
    }),
    async (c) => {
      const { ids } = c.req.valid('query');
      const { spaceId } = c.req.valid('param');
      return c.json({ items: await c.var.services.pages.nodes(c.var.principal, spaceId, ids) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/page-tree',
      tags,
      ...secured,
      summary:
        'One level of the page tree: the top level, or the pages right below `parent`, by title, without bodies, each with hasChildren (one Query)',
      request: { params: SpaceIdParam, query: PageTreeQuery },
      responses: { 200: ok(PageTreeLevel), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor, parent } = c.req.valid('query');
      const { spaceId } = c.req.valid('param');
      return c.json(
        await c.var.services.pages.children(c.var.principal, spaceId, parent, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/pages',
      tags,
      ...secured,
      summary: 'Create a wiki page (editors, owners); its id is the slug of its title',
      request: { params: SpaceIdParam, ...jsonBody(CreatePageBody) },
      responses: { 201: ok(PageView, 'Created'), ...standardErrors },
    }),
    async (c) => {
      const page = await c.var.services.pages.create(
        c.var.principal,
        c.req.valid('param').spaceId,
        c.req.valid('json'),
      );
      return c.json(page, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/pages/{pageId}',
      tags,
      ...secured,
      summary: 'One page with its rendered HTML',
      request: { params: PageParams },
      responses: { 200: ok(PageView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId } = c.req.valid('param');
      const page = await c.var.services.pages.get(c.var.principal, spaceId, pageId);
      c.header('etag', `"${page.version}"`);
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/spaces/{spaceId}/pages/{pageId}',
      tags,
      ...secured,
      summary: 'Edit a page (editors, owners); a stale version gets 409 and nothing is overwritten',
      request: { params: PageParams, ...jsonBody(UpdatePageBody) },
      responses: { 200: ok(PageView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId } = c.req.valid('param');
      const page = await c.var.services.pages.update(c.var.principal, spaceId, pageId, c.req.valid('json'));
      c.header('etag', `"${page.version}"`);
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/spaces/{spaceId}/pages/{pageId}',
      tags,
      ...secured,
      summary: 'Delete a page and its history (owners, admins); pages below it must move first',
      request: { params: PageParams },
      responses: { 204: { description: 'Deleted' }, ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId } = c.req.valid('param');
      await c.var.services.pages.delete(c.var.principal, spaceId, pageId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/pages/{pageId}/versions',
      tags,
      ...secured,
      summary: "A page's versions, newest first",
      request: { params: PageParams, query: PageQuery },
      responses: { 200: ok(PageVersionPage), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.pages.history(c.var.principal, spaceId, pageId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/pages/{pageId}/versions/{n}',
      tags,
      ...secured,
      summary: 'One version of a page, with its Markdown and rendered HTML',
      request: { params: PageVersionParams },
      responses: { 200: ok(PageVersionView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId, n } = c.req.valid('param');
      return c.json(await c.var.services.pages.getVersion(c.var.principal, spaceId, pageId, n), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/spaces/{spaceId}/pages/{pageId}/restore',
      tags,
      ...secured,
      summary: 'Bring an old version back as the newest one (editors, owners); a stale version gets 409',
      request: { params: PageParams, ...jsonBody(RestorePageBody) },
      responses: { 200: ok(PageView), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId } = c.req.valid('param');
      const page = await c.var.services.pages.restore(c.var.principal, spaceId, pageId, c.req.valid('json'));
      c.header('etag', `"${page.version}"`);
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/pages/{pageId}/backlinks',
      tags,
      ...secured,
      summary: 'The pages that link here with [[title]]',
      request: { params: PageParams, query: PageQuery },
      responses: { 200: ok(BacklinkPage), ...standardErrors },
    }),
    async (c) => {
      const { spaceId, pageId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.pages.backlinks(c.var.principal, spaceId, pageId, limit, cursor),
        200,
      );
    },
  );

  return app;
}
