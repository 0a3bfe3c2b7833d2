/** GET /api/search and /api/search/suggest: one security-trimmed search over everything. */
import { createRoute, z } from '@hono/zod-openapi';
import { SEARCH_TYPES, type SearchType } from '../../domain/search/search-document';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { cursor, tag, timestamp } from '../schemas/common';

const tags = ['search'];
// A real calendar date (29 February in leap years only), optionally with a UTC time: the pattern says
// it all, so the document states exactly what is accepted (test/unit/api/search-dates.test.ts).
const DAY =
  '\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))' +
  '|(?:\\d\\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29';
const TIME = 'T(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,3})?)?Z';
export const SEARCH_DATE = new RegExp(`^(?:${DAY})(?:${TIME})?$`);
const oneType = `(?:${SEARCH_TYPES.join('|')})`;
const SEARCH_TYPE_LIST = new RegExp(`^(?:${oneType}(?:,${oneType})*)?$`);
const date = z.string().regex(SEARCH_DATE, 'a real date, e.g. 2026-01-31 or 2026-01-31T09:00Z');

const SearchQuery = z.object({
  q: z.string().max(200).default(''),
  type: z
    .string()
    .regex(SEARCH_TYPE_LIST, `a comma-separated list of ${SEARCH_TYPES.join(', ')}`)
    .optional()
    .openapi({ description: `Comma-separated: ${SEARCH_TYPES.join(', ')}` })
    .transform((value) => (value ? value.split(',') : undefined))
    .pipe(z.array(z.enum(SEARCH_TYPES as [SearchType, ...SearchType[]])).optional()),
  space: z
    .string()
    .regex(/^[A-Za-z0-9~._-]{1,64}$/)
    .optional(),
  tag: tag.optional(),
  author: z
    .string()
    .regex(/^[A-Za-z0-9~._-]{1,64}$/)
    .optional(),
  from: date.optional(),
  to: date.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: cursor(100),
});

const SuggestQuery = z.object({ q: z.string().min(1).max(100) });

const searchType = z.enum(SEARCH_TYPES as [SearchType, ...SearchType[]]);
const facet = z.object({ value: z.string(), count: z.number().int() });
export const SearchResponse = z
  .object({
    total: z.number().int().openapi({ description: 'Every match you may read, not only this page' }),
    items: z.array(
      z.object({
        type: searchType,
        id: z.string(),
        spaceId: z.string().optional(),
        spaceName: z.string().optional(),
        postId: z.string().optional(),
        title: z.string(),
        titleHighlight: z.string().openapi({ description: 'Escaped title, matches in <mark>' }),
        snippet: z.string().openapi({ description: 'Escaped text around the match, matches in <mark>' }),
        url: z.string(),
        tags: z.array(z.string()),
        authorId: z.string().optional(),
        authorName: z.string().optional(),
        authorOrg: z.string().optional(),
        updatedAt: timestamp,
        likeCount: z.number().int(),
        score: z.number(),
      }),
    ),
    facets: z.object({
      type: z.array(facet),
      space: z.array(facet.extend({ label: z.string() })),
      tag: z.array(facet),
    }),
    people: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        org: z.string().optional(),
        title: z.string().optional(),
        score: z.number(),
        evidence: z.array(z.object({ kind: z.string(), title: z.string(), url: z.string() })),
      }),
    ),
    cursor: z.string().optional(),
  })
  .openapi('SearchResult');
export const SuggestResponse = z
  .object({ items: z.array(z.object({ type: searchType, title: z.string(), url: z.string() })) })
  .openapi('Suggestions');

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
      responses: { 200: ok(SearchResponse), ...standardErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await c.var.services.search.search(c.var.principal, query), 200);
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
      responses: { 200: ok(SuggestResponse), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.search.suggest(c.var.principal, c.req.valid('query').q), 200),
  );

  return app;
}
