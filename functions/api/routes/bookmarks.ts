/**
 * Bookmarks: save, edit, favourite and delete my links; who else saved a URL; the lists; tag clouds,
 * rename/merge; bundles; Netscape import and export. Static paths are registered before
 * `/me/bookmarks/{bookmarkId}` so that `export` is never taken for an id.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { MAX_IMPORT_BYTES } from '../../domain/bookmarks/netscape';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { validationProblem } from '../problem';
import { createRouter } from '../router';
import {
  BookmarkIdParam,
  BookmarkPage,
  BookmarkPageQuery,
  BookmarkView,
  BundleBody,
  BundleIdParam,
  BundleList,
  BundleUpdateBody,
  BundleView,
  bookmarkFile,
  EditBookmarkBody,
  FavouriteBody,
  ImportJsonBody,
  ImportQuery,
  ImportReportView,
  LookupQuery,
  LookupView,
  MyBookmarksQuery,
  PersonParam,
  PopularPage,
  RenameResult,
  RenameTagBody,
  SaveBookmarkBody,
  TagCloud,
  TagCloudQuery,
} from '../schemas/bookmarks';
import { SpaceIdParam } from '../schemas/common';
import { IMPORT_PATH } from './import-limits';

const tags = ['bookmarks'];

export function bookmarkRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/bookmarks',
      tags,
      ...secured,
      summary: 'Save a link (normalised; 409 already-saved if it is among yours)',
      request: jsonBody(SaveBookmarkBody),
      responses: { 201: ok(BookmarkView, 'Saved'), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.bookmarks.save(c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmarks',
      tags,
      ...secured,
      summary:
        'My links, newest first; with `tag`, those with the tag; with `favourites=true`, my favourites',
      request: { query: MyBookmarksQuery },
      responses: { 200: ok(BookmarkPage), ...standardErrors },
    }),
    async (c) => {
      const { tag, favourites, limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.bookmarks.mine(c.var.principal, { tag, favourites }, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmarks/export',
      tags,
      ...secured,
      summary: 'My links as a Netscape bookmark file',
      responses: {
        200: { description: 'The file', content: { 'text/html': { schema: z.string() } } },
        ...standardErrors,
      },
    }),
    async (c) => {
      const file = await c.var.services.bookmarkTransfer.export(c.var.principal);
      return c.body(file, 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-disposition': 'attachment; filename="bookmarks.html"',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: IMPORT_PATH,
      tags,
      ...secured,
      summary: `Import a Netscape bookmark file (≤ ${MAX_IMPORT_BYTES / 1024 / 1024} MB, 10,000 links) as text/html, or as JSON { file }; importing twice adds nothing`,
      request: {
        query: ImportQuery,
        body: {
          content: {
            'application/json': { schema: ImportJsonBody },
            'text/html': { schema: bookmarkFile },
          },
        },
      },
      responses: { 200: ok(ImportReportView), ...standardErrors, 422: standardErrors[400] },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const json = /^application\/json/i.test(c.req.header('content-type') ?? '');
      let file: string;
      let visibility = query.visibility;
      if (json) {
        const body = ImportJsonBody.safeParse(await c.req.json().catch(() => undefined));
        if (!body.success) return validationProblem(c, body.error, 'json') as never;
        file = body.data.file;
        visibility = body.data.visibility ?? visibility;
      } else file = await c.req.text();
      return c.json(await c.var.services.bookmarkTransfer.import(c.var.principal, file, visibility), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmarks/{bookmarkId}',
      tags,
      ...secured,
      summary: 'One of my links',
      request: { params: BookmarkIdParam },
      responses: { 200: ok(BookmarkView), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.bookmarks.get(c.var.principal, c.req.valid('param').bookmarkId), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/me/bookmarks/{bookmarkId}',
      tags,
      ...secured,
      summary: 'Edit title, description, tags, visibility or favourite; a stale version gets 409',
      request: { params: BookmarkIdParam, ...jsonBody(EditBookmarkBody) },
      responses: { 200: ok(BookmarkView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.bookmarks.edit(
          c.var.principal,
          c.req.valid('param').bookmarkId,
          c.req.valid('json'),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/bookmarks/{bookmarkId}/favourite',
      tags,
      ...secured,
      summary: 'Mark or unmark one of my links as a favourite',
      request: { params: BookmarkIdParam, ...jsonBody(FavouriteBody) },
      responses: { 200: ok(BookmarkView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.bookmarks.setFavourite(
          c.var.principal,
          c.req.valid('param').bookmarkId,
          c.req.valid('json').favourite,
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/bookmarks/{bookmarkId}',
      tags,
      ...secured,
      summary: 'Delete one of my links',
      request: { params: BookmarkIdParam },
      responses: { 204: { description: 'Deleted' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.bookmarks.remove(c.var.principal, c.req.valid('param').bookmarkId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/bookmarks/lookup',
      tags,
      ...secured,
      summary: 'A URL as normalised, whether I saved it, and who else did (as far as I may see)',
      request: { query: LookupQuery },
      responses: { 200: ok(LookupView), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.bookmarks.lookup(c.var.principal, c.req.valid('query').url), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/bookmarks/recent',
      tags,
      ...secured,
      summary: 'Everyone’s newest links that every employee may see (employees only)',
      request: { query: BookmarkPageQuery },
      responses: { 200: ok(BookmarkPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.bookmarks.recent(c.var.principal, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/bookmarks/popular',
      tags,
      ...secured,
      summary: 'The links saved most in the last 30 days (employees only)',
      request: { query: BookmarkPageQuery },
      responses: { 200: ok(PopularPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await c.var.services.bookmarks.popular(c.var.principal, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/bookmarks',
      tags,
      ...secured,
      summary: 'A person’s links that every employee may see',
      request: { params: PersonParam, query: BookmarkPageQuery },
      responses: { 200: ok(BookmarkPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.bookmarks.byPerson(c.var.principal, c.req.valid('param').userId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/bookmarks',
      tags,
      ...secured,
      summary: 'Links saved into a space, newest first (its readers)',
      request: { params: SpaceIdParam, query: BookmarkPageQuery },
      responses: { 200: ok(BookmarkPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.bookmarks.bySpace(c.var.principal, c.req.valid('param').spaceId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmark-tags',
      tags,
      ...secured,
      summary: 'My tag cloud: each tag I use and on how many of my links',
      responses: { 200: ok(TagCloud), ...standardErrors },
    }),
    async (c) => c.json({ items: await c.var.services.bookmarks.myTags(c.var.principal) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/bookmark-tags/rename',
      tags,
      ...secured,
      summary: 'Rename one of my tags on all my links; onto a tag I use already, the two merge',
      request: jsonBody(RenameTagBody),
      responses: { 200: ok(RenameResult), ...standardErrors },
    }),
    async (c) => {
      const { from, to } = c.req.valid('json');
      return c.json(await c.var.services.bookmarks.renameTag(c.var.principal, from, to), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/bookmark-tags',
      tags,
      ...secured,
      summary: 'The company’s tag cloud (links every employee may see), most used first (employees only)',
      request: { query: TagCloudQuery },
      responses: { 200: ok(TagCloud), ...standardErrors },
    }),
    async (c) =>
      c.json(
        { items: await c.var.services.bookmarks.companyTags(c.var.principal, c.req.valid('query').limit) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmark-bundles',
      tags,
      ...secured,
      summary: 'My bundles (saved tag filters), by name',
      responses: { 200: ok(BundleList), ...standardErrors },
    }),
    async (c) => c.json({ items: await c.var.services.bookmarks.bundles(c.var.principal) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/bookmark-bundles',
      tags,
      ...secured,
      summary: 'Create a bundle: links with any of, all of and none of some tags',
      request: jsonBody(BundleBody),
      responses: { 201: ok(BundleView, 'Created'), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.bookmarks.createBundle(c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmark-bundles/{bundleId}',
      tags,
      ...secured,
      summary: 'One of my bundles',
      request: { params: BundleIdParam },
      responses: { 200: ok(BundleView), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.bookmarks.bundle(c.var.principal, c.req.valid('param').bundleId), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/bookmark-bundles/{bundleId}',
      tags,
      ...secured,
      summary: 'Change a bundle; a stale version gets 409',
      request: { params: BundleIdParam, ...jsonBody(BundleUpdateBody) },
      responses: { 200: ok(BundleView), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.bookmarks.updateBundle(
          c.var.principal,
          c.req.valid('param').bundleId,
          c.req.valid('json'),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/bookmark-bundles/{bundleId}',
      tags,
      ...secured,
      summary: 'Delete one of my bundles (the links stay)',
      request: { params: BundleIdParam },
      responses: { 204: { description: 'Deleted' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.bookmarks.deleteBundle(c.var.principal, c.req.valid('param').bundleId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/bookmark-bundles/{bundleId}/bookmarks',
      tags,
      ...secured,
      summary: 'My links in a bundle, newest first (a page may hold fewer than `limit` and still go on)',
      request: { params: BundleIdParam, query: BookmarkPageQuery },
      responses: { 200: ok(BookmarkPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.bookmarks.bundleBookmarks(
          c.var.principal,
          c.req.valid('param').bundleId,
          limit,
          cursor,
        ),
        200,
      );
    },
  );

  return app;
}
