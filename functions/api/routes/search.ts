/** GET /api/search and /api/search/suggest: one security-trimmed search over everything. */
import { createRoute, z } from '@hono/zod-openapi';
import { SEARCH_TYPES } from '../../domain/search/search-document';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { Json } from '../schemas/common';

const tags = ['search'];
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/, 'an ISO date, e.g. 2026-01-31')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not a real date');

const SearchQuery = z.object({
  q: z.string().max(200).default(''),
  type: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',') : undefined))
    .pipe(z.array(z.enum(SEARCH_TYPES as [string, ...string[]])).optional()),
  space: z
    .string()
    .regex(/^[A-Za-z0-9~._-]{1,64}$/)
    .optional(),
  tag: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,49}$/)
    .optional(),
  author: z
    .string()
    .regex(/^[A-Za-z0-9~._-]{1,64}$/)
    .optional(),
  from: date.optional(),
  to: date.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(100).optional(),
});

const SuggestQuery = z.object({ q: z.string().min(1).max(100) });

export function searchRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/search',
      tags,
      ...secured,
      summary: 'Search everything you can read: hits with highlights, facets and people who know about it',
      request: { query: SearchQuery },
      responses: { 200: ok(Json), ...standardErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(
        (await c.var.services.search.search(c.var.principal, {
          ...query,
          type: query.type as never,
        })) as never,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/search/suggest',
      tags,
      ...secured,
      summary: 'Type-ahead: titles and people matching a prefix',
      request: { query: SuggestQuery },
      responses: { 200: ok(Json), ...standardErrors },
    }),
    async (c) =>
      c.json((await c.var.services.search.suggest(c.var.principal, c.req.valid('query').q)) as never, 200),
  );

  return app;
}
