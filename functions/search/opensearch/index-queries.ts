/**
 * Queries: search (relevance, filters, facets, authors), suggest, get and count, and the building of
 * the query bodies they send. The access filter is part of every query (a `filter` clause), so no
 * hit, total, facet, snippet or author ever comes from a document the caller cannot read. Reads go to
 * the alias only; before anything has been indexed (no alias yet) they answer as an empty index.
 */
import {
  type AccessFilter,
  type FacetCount,
  RESULT_LIMITS,
  type SearchDocument,
  type SearchQuery,
  type SearchResult,
  type Suggestion,
} from '../../domain/search/search-document';
import type { OpenSearchHttp } from './opensearch-http';
import { errorType, explained, type Json } from './plumbing';
import { HIGHLIGHT, type Highlight, hitSnippets, queryTerms } from './snippets';

/** from + size may not pass this (OpenSearch's index.max_result_window). */
const MAX_RESULT_WINDOW = 10_000;
const TAG_FACET_SIZE = RESULT_LIMITS.tagFacet;
const SPACE_FACET_SIZE = 200;
const AUTHOR_LIMIT = RESULT_LIMITS.authors;
const AUTHOR_DOCUMENTS = RESULT_LIMITS.authorDocuments;

/** Field boosts: title over tags (and a person's skills) over body. */
const TEXT_FIELDS = ['title^3', 'tags.text^2', 'skills^2', 'body', 'authorName'];
/** Typos on longer words only: one edit from 4 characters, two from 8 (as the embedded engine). */
const FUZZINESS = 'AUTO:4,8';

const IS_PROFILE = { term: { type: 'profile' } };
const MATCH_NONE = { match_none: {} };

export class IndexReader {
  /** @param now clock for the freshness boost */
  constructor(
    private readonly client: OpenSearchHttp,
    private readonly alias: string,
    private readonly now: () => number,
  ) {}

  async search(query: SearchQuery, access: AccessFilter): Promise<SearchResult> {
    return explained('search', async () => {
      const text = query.text.trim();
      const terms = queryTerms(text);
      const from = Math.min(Math.max(0, query.offset), MAX_RESULT_WINDOW);
      const size = Math.max(0, Math.min(query.limit, MAX_RESULT_WINDOW - from));
      const byScore = [
        { _score: { order: 'desc' } },
        { updatedAt: { order: 'desc' } },
        { id: { order: 'asc' } },
      ];
      const body = {
        from,
        size,
        track_total_hits: true,
        query: this.freshness({
          bool: {
            must: [text ? textQuery(text, access) : { match_all: {} }],
            filter: [accessQuery(access), ...queryFilters(query)],
          },
        }),
        sort: byScore,
        ...(text ? { highlight: HIGHLIGHT } : {}),
        // Facets count exactly what the query matched: the access filter and every filter included.
        aggs: {
          type: { terms: { field: 'type', size: 10, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
          space: {
            terms: { field: 'spaceId', size: SPACE_FACET_SIZE, order: [{ _count: 'desc' }, { _key: 'asc' }] },
          },
          tag: {
            terms: { field: 'tags', size: TAG_FACET_SIZE, order: [{ _count: 'desc' }, { _key: 'asc' }] },
          },
          authors: {
            filter: { bool: { must_not: [IS_PROFILE] } },
            aggs: {
              byAuthor: {
                terms: { field: 'authorId', size: AUTHOR_LIMIT, order: [{ score: 'desc' }, { _key: 'asc' }] },
                aggs: {
                  score: { sum: { script: { lang: 'painless', source: '_score' } } },
                  top: { top_hits: { size: AUTHOR_DOCUMENTS, sort: byScore.slice(0, 2) } },
                },
              },
            },
          },
        },
      };
      const response = await this.read(() => this.client.search({ index: this.alias, body: body as never }));
      if (!response) return emptyResult();
      const raw = response.body as unknown as RawSearchResponse;
      return {
        total: raw.hits.total.value,
        hits: raw.hits.hits.map((hit) => ({
          document: hit._source,
          score: hit._score ?? 0,
          ...hitSnippets(hit._source, hit.highlight, terms),
        })),
        facets: {
          type: facet(raw.aggregations.type),
          space: facet(raw.aggregations.space),
          tag: facet(raw.aggregations.tag),
        },
        authors: raw.aggregations.authors.byAuthor.buckets.map((bucket) => {
          const documents = bucket.top.hits.hits.map((hit) => hit._source);
          const first = documents[0];
          return {
            authorId: bucket.key,
            authorName: first?.authorName ?? bucket.key,
            ...(first?.authorOrg ? { authorOrg: first.authorOrg } : {}),
            score: bucket.score.value,
            documents,
          };
        }),
      };
    });
  }

  async suggest(prefix: string, access: AccessFilter, limit: number): Promise<Suggestion[]> {
    return explained('suggest', async () => {
      const text = prefix.trim();
      if (!text || limit <= 0) return [];
      const body = {
        size: Math.min(limit, MAX_RESULT_WINDOW),
        _source: ['type', 'title', 'url'],
        query: {
          bool: {
            // Every word typed so far is the start of a word in the title or the author's name.
            must: [
              {
                multi_match: {
                  query: text,
                  type: 'cross_fields',
                  operator: 'and',
                  fields: access.partnerOrg ? ['title.prefix^3'] : ['title.prefix^3', 'authorName.prefix'],
                },
              },
            ],
            filter: [accessQuery(access)],
            must_not: [{ term: { type: 'comment' } }],
          },
        },
        sort: [{ _score: { order: 'desc' } }, { updatedAt: { order: 'desc' } }, { id: { order: 'asc' } }],
      };
      const response = await this.read(() => this.client.search({ index: this.alias, body: body as never }));
      if (!response) return [];
      const hits = (
        response.body as unknown as {
          hits: { hits: { _source: Pick<SearchDocument, 'type' | 'title' | 'url'> }[] };
        }
      ).hits.hits;
      return hits.map(({ _source }) => ({ type: _source.type, title: _source.title, url: _source.url }));
    });
  }

  async get(id: string): Promise<SearchDocument | undefined> {
    return explained('get', async () => {
      const response = await this.client.get({ index: this.alias, id }, { ignore: [404] });
      const body = response.body as { found?: boolean; _source?: SearchDocument };
      return body.found ? body._source : undefined;
    });
  }

  async count(): Promise<number> {
    return explained('count', async () => {
      const response = await this.read(() => this.client.count({ index: this.alias }));
      return response ? response.body.count : 0;
    });
  }

  async refresh(): Promise<void> {
    return explained('refresh', async () => {
      await this.read(() => this.client.indices.refresh({ index: this.alias }));
    });
  }

  /** A read against the alias; undefined when nothing has been indexed yet (no alias, no index). */
  private async read<T>(request: () => Promise<T>): Promise<T | undefined> {
    try {
      return await request();
    } catch (error) {
      if (errorType(error) === 'index_not_found_exception') return undefined;
      throw error;
    }
  }

  /** score × (1 + 0.5·e^(−age/30 days)): freshnessBoost from search-document.ts, as a function_score. */
  private freshness(query: Json): Json {
    return {
      function_score: {
        query,
        functions: [
          { weight: 1 },
          {
            exp: {
              updatedAt: { origin: new Date(this.now()).toISOString(), scale: '30d', decay: Math.exp(-1) },
            },
            weight: 0.5,
          },
        ],
        score_mode: 'sum',
        boost_mode: 'multiply',
      },
    };
  }
}

// ---------------------------------------------------------------- query parts

/**
 * canSeeDocument (functions/domain/search/access.ts) as a query. Each clause is added only when it
 * can match something: an empty `terms` would match nothing anyway, but a `bool` with no clauses left
 * matches everything, so "nothing visible" is an explicit match_none.
 */
export function accessQuery(access: AccessFilter): Json {
  const content: Json[] = [];
  // Private bookmarks: the saver's own, and no rule below may match them (not even an admin's).
  if (access.userId)
    content.push({
      bool: { filter: [{ term: { audience: 'private' } }, { term: { authorId: access.userId } }] },
    });
  if (access.allContent) content.push({ bool: { must_not: [{ term: { audience: 'private' } }] } });
  else {
    if (access.employeeContent) content.push({ term: { audience: 'employees' } });
    if (!access.partnerOrg && access.memberSpaces.length)
      content.push({ terms: { spaceId: access.memberSpaces } });
    if (access.partnerOrg && access.sharedSpaces.length) {
      content.push({
        bool: {
          filter: [
            { term: { audience: 'partners' } },
            { term: { partnerOrgs: access.partnerOrg } },
            { terms: { spaceId: access.sharedSpaces } },
          ],
          // Another organisation's person's bookmark, even in a space both may read (access.ts).
          must_not: [
            {
              bool: {
                filter: [{ term: { type: 'bookmark' } }, { exists: { field: 'authorOrg' } }],
                must_not: [{ term: { authorOrg: access.partnerOrg } }],
              },
            },
          ],
        },
      });
    }
  }
  const people: Json[] = [];
  if (access.people.allOrgs) people.push({ match_all: {} });
  else if (access.people.org) {
    // Employees (no organisation) and the caller's own organisation.
    people.push({ bool: { must_not: [{ exists: { field: 'org' } }] } }, { term: { org: access.people.org } });
  }
  const visible: Json[] = [];
  if (content.length) visible.push({ bool: { must_not: [IS_PROFILE], filter: [anyOf(content)] } });
  if (people.length) visible.push({ bool: { filter: [IS_PROFILE, anyOf(people)] } });
  return visible.length ? anyOf(visible) : MATCH_NONE;
}

function anyOf(queries: Json[]): Json {
  return queries.length === 1 ? queries[0] : { bool: { should: queries, minimum_should_match: 1 } };
}

/** The query's own filters, with the embedded engine's meaning. */
export function queryFilters(query: SearchQuery): Json[] {
  const filters: Json[] = [];
  if (query.types?.length) filters.push({ terms: { type: query.types } });
  if (query.spaceId) filters.push({ term: { spaceId: query.spaceId } });
  if (query.tag) filters.push({ term: { tags: query.tag } });
  if (query.authorId) {
    // What they wrote, and their own profile.
    filters.push(
      anyOf([{ term: { authorId: query.authorId } }, { term: { id: `profile:-:${query.authorId}` } }]),
    );
  }
  if (query.from || query.to) {
    filters.push({
      range: {
        updatedAt: {
          ...(query.from ? { gte: query.from } : {}),
          ...(query.to ? { lte: inclusiveEnd(query.to) } : {}),
        },
      },
    });
  }
  return filters;
}

/** `to` includes all of the period it names: 2026-01-31 is the whole day, 2026-01 the whole month. */
function inclusiveEnd(to: string): string {
  const unit = ({ 4: 'y', 7: 'M', 10: 'd', 13: 'h', 16: 'm', 19: 's' } as Record<number, string>)[to.length];
  return unit ? `${to}||/${unit}` : to;
}

/**
 * A partner cannot search by author name: content in a space shared with several organisations would
 * otherwise answer "is there someone called X at the other organisation?" (as the embedded engine).
 */
function searchableFields(access: AccessFilter): string[] {
  return access.partnerOrg ? TEXT_FIELDS.filter((field) => !field.startsWith('authorName')) : TEXT_FIELDS;
}

/**
 * Relevance: field boosts and typo tolerance (best_fields), plus the last word as a prefix as you type
 * (bool_prefix) so "terraf" finds Terraform while it is being typed.
 */
export function textQuery(text: string, access: AccessFilter): Json {
  const fields = searchableFields(access);
  return {
    bool: {
      should: [
        {
          multi_match: {
            query: text,
            fields,
            type: 'best_fields',
            tie_breaker: 0.3,
            fuzziness: FUZZINESS,
          },
        },
        {
          multi_match: {
            query: text,
            fields,
            type: 'bool_prefix',
            fuzziness: FUZZINESS,
            boost: 0.5,
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
}

// ---------------------------------------------------------------- results

function facet(aggregation: { buckets: { key: string; doc_count: number }[] }): FacetCount[] {
  return aggregation.buckets.map((bucket) => ({ value: bucket.key, count: bucket.doc_count }));
}

function emptyResult(): SearchResult {
  return { total: 0, hits: [], facets: { type: [], space: [], tag: [] }, authors: [] };
}

interface RawHit {
  _id: string;
  _score: number | null;
  _source: SearchDocument;
  highlight?: Highlight;
}

interface RawSearchResponse {
  hits: { total: { value: number }; hits: RawHit[] };
  aggregations: {
    type: { buckets: { key: string; doc_count: number }[] };
    space: { buckets: { key: string; doc_count: number }[] };
    tag: { buckets: { key: string; doc_count: number }[] };
    authors: {
      byAuthor: {
        buckets: {
          key: string;
          doc_count: number;
          score: { value: number };
          top: { hits: { hits: RawHit[] } };
        }[];
      };
    };
  };
}
