/**
 * The SearchIndex port over OpenSearch (the official client; SigV4-signed in AWS, plain HTTP against
 * the test node). Searches read one alias; the alias points at a versioned index (`${alias}-v<n>`),
 * so a reindex builds `v<n+1>` beside it and swaps the alias in one atomic call — searches never see
 * an empty or half-built index.
 *
 * The access filter is part of every query (a `filter` clause), so no hit, total, facet, snippet or
 * author ever comes from a document the caller cannot read. It is the same rule as `canSeeDocument`
 * in ../access.ts, which the embedded engine applies; the contract suite checks they agree.
 *
 * While a reindex is running, live writes (the indexer) go to both the live index and the new one, and
 * the reindex writer never overwrites what a live write put there (see ReindexWriter).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { escapeHtml } from '../../domain/content/escape-html';
import {
  type AccessFilter,
  excerptAround,
  type FacetCount,
  type IndexWrite,
  RESULT_LIMITS,
  type SearchDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SpaceChange,
  type Suggestion,
} from '../../domain/search/search-document';
import {
  indexDefinition,
  indexVersion,
  REFRESH_INTERVAL,
  reindexAliasName,
  versionedIndexName,
} from './index-definition';
import { OpenSearchHttp } from './opensearch-http';

export const DEFAULT_ALIAS = 'commonplace';

export interface OpenSearchIndexOptions {
  client: OpenSearchHttp;
  /** The alias searches read; indices are `${alias}-v<n>`. */
  alias: string;
  /** Clock for the freshness boost. */
  now?: () => number;
  /**
   * How long a writer trusts what it last read about the alias (and a reindex in progress) before it
   * reads it again; beginReindex waits this long before returning, so every writer has seen it.
   */
  aliasCacheMs?: number;
  /** Documents per _bulk request. */
  bulkSize?: number;
}

export interface CreateOpenSearchIndexOptions {
  /** e.g. https://search-….eu-west-1.es.amazonaws.com, or http://127.0.0.1:9200 */
  node: string;
  alias?: string;
  /** AWS region for SigV4. @default process.env.AWS_REGION */
  region?: string;
  /** Sign requests with the Lambda's credentials. @default true for an https node when a region is known */
  sigv4?: boolean;
  now?: () => number;
}

/** A reindex in progress: documents written here become searchable when finishReindex swaps the alias. */
export interface ReindexWriter {
  /** The new index. */
  readonly index: string;
  /**
   * Writes documents read from the table. A document that a live write (the indexer) has already put
   * into — or deleted from — the new index is left alone: the live write is at least as recent as the
   * table read that produced this one. Returns how many were written and how many were left alone.
   */
  upsert(documents: SearchDocument[]): Promise<{ written: number; skipped: number }>;
  /** Applies a space's current access fields in the new index (run for every space after the scan). */
  updateSpace(spaceId: string, change: SpaceChange): Promise<number>;
}

export interface ReindexOutcome {
  index: string;
  /** Indices that were behind the alias before, now deleted. */
  previous: string[];
  documents: number;
}

type Json = Record<string, unknown>;

/** from + size may not pass this (OpenSearch's index.max_result_window). */
const MAX_RESULT_WINDOW = 10_000;
const TAG_FACET_SIZE = RESULT_LIMITS.tagFacet;
const SPACE_FACET_SIZE = 200;
const AUTHOR_LIMIT = RESULT_LIMITS.authors;
const AUTHOR_DOCUMENTS = RESULT_LIMITS.authorDocuments;
const SNIPPET_SIZE = 200;
const BULK_ATTEMPTS = 4;

/** Field boosts: title over tags (and a person's skills) over body. */
const TEXT_FIELDS = ['title^3', 'tags.text^2', 'skills^2', 'body', 'authorName'];
/** Typos on longer words only: one edit from 4 characters, two from 8 (as the embedded engine). */
const FUZZINESS = 'AUTO:4,8';

const IS_PROFILE = { term: { type: 'profile' } };
const MATCH_NONE = { match_none: {} };

export class OpenSearchIndex implements SearchIndex {
  readonly client: OpenSearchHttp;
  readonly alias: string;
  private readonly now: () => number;
  private readonly aliasCacheMs: number;
  private readonly bulkSize: number;
  private ensuring?: Promise<string>;
  private targets?: { live: string[]; indices: string[]; until: number };

  constructor(options: OpenSearchIndexOptions) {
    this.client = options.client;
    this.alias = options.alias;
    this.now = options.now ?? Date.now;
    this.aliasCacheMs = options.aliasCacheMs ?? 1_000;
    this.bulkSize = options.bulkSize ?? 500;
  }

  /** A client for the domain: SigV4-signed with the Lambda's role in AWS, plain HTTP locally and in tests. */
  static create(options: CreateOpenSearchIndexOptions): OpenSearchIndex {
    const region = options.region ?? process.env.AWS_REGION;
    const sigv4 = options.sigv4 ?? (options.node.startsWith('https://') && !!region);
    let client: OpenSearchHttp;
    if (sigv4) {
      if (!region)
        throw new Error(
          'OpenSearchIndex.create: SigV4 signing needs a region (options.region or AWS_REGION)',
        );
      client = new OpenSearchHttp(options.node, { sigv4: { region, credentials: defaultProvider() } });
    } else {
      client = new OpenSearchHttp(options.node);
    }
    return new OpenSearchIndex({ client, alias: options.alias ?? DEFAULT_ALIAS, now: options.now });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  // ---------------------------------------------------------------- indices and the alias

  /**
   * Makes sure the alias points at an index, creating `${alias}-v1` with the alias when there is none.
   * Safe to call concurrently from many processes: the first index has a fixed name, so only one
   * create can win. Returns the live index. Writers call it on first use; readers never need it.
   */
  async ensureIndex(): Promise<string> {
    this.ensuring ??= explained('ensureIndex', () => this.createFirstIndex()).catch((error) => {
      this.ensuring = undefined;
      throw error;
    });
    return this.ensuring;
  }

  private async createFirstIndex(): Promise<string> {
    const existing = (await this.aliasState()).live;
    if (existing.length) return existing[0];
    const index = versionedIndexName(this.alias, 1);
    try {
      await this.client.indices.create({ index, body: indexDefinition({ aliases: [this.alias] }) as never });
      return index;
    } catch (error) {
      if (errorType(error) !== 'resource_already_exists_exception') throw error;
      const live = (await this.aliasState()).live;
      if (live.length) return live[0];
      throw new Error(
        `${index} exists but the alias ${this.alias} does not point at it; point the alias at an index or reindex`,
      );
    }
  }

  /** The versioned indices of this alias: which are live (behind the alias) and which a reindex is building. */
  async aliasState(): Promise<{ live: string[]; reindexing: string[]; all: string[] }> {
    const response = await this.client.indices.getAlias({ index: `${this.alias}-v*` });
    const body = response.body as Record<string, { aliases?: Record<string, unknown> }>;
    const building = reindexAliasName(this.alias);
    const all = Object.keys(body).filter((index) => indexVersion(this.alias, index) !== undefined);
    const byVersion = (a: string, b: string) => indexVersion(this.alias, a)! - indexVersion(this.alias, b)!;
    return {
      live: all.filter((index) => this.alias in (body[index].aliases ?? {})).sort(byVersion),
      reindexing: all.filter((index) => building in (body[index].aliases ?? {})).sort(byVersion),
      all: all.sort(byVersion),
    };
  }

  /** Where live writes go: the live index and, during a reindex, the index being built as well. */
  private async writeTargets(fresh = false): Promise<{ live: string[]; indices: string[] }> {
    if (!fresh && this.targets && this.targets.until > Date.now()) return this.targets;
    let state = await this.aliasState();
    if (!state.live.length) {
      this.ensuring = undefined;
      await this.ensureIndex();
      state = await this.aliasState();
    }
    this.targets = {
      live: state.live,
      indices: [...new Set([...state.live, ...state.reindexing])],
      until: Date.now() + this.aliasCacheMs,
    };
    return this.targets;
  }

  /**
   * Starts a reindex: creates the next versioned index (refresh off while it fills) and marks it with
   * the reindex alias, so live writes from every process go there as well from now on.
   */
  async beginReindex(): Promise<ReindexWriter> {
    return explained('beginReindex', async () => {
      const state = await this.aliasState();
      if (state.reindexing.length) {
        throw new Error(
          `A reindex into ${state.reindexing.join(', ')} is in progress; finish it or abortReindex() first`,
        );
      }
      let version = Math.max(0, ...state.all.map((index) => indexVersion(this.alias, index)!)) + 1;
      let index: string;
      for (;;) {
        index = versionedIndexName(this.alias, version);
        try {
          await this.client.indices.create({
            index,
            body: indexDefinition({
              refreshInterval: '-1',
              aliases: [reindexAliasName(this.alias)],
            }) as never,
          });
          break;
        } catch (error) {
          if (errorType(error) !== 'resource_already_exists_exception') throw error;
          version++;
        }
      }
      this.targets = undefined;
      // Writers elsewhere may trust their cached targets this long; after it they all write here too.
      await sleep(this.aliasCacheMs);
      return {
        index,
        upsert: (documents) =>
          explained('reindex upsert', () => this.bulk(documents.map(indexOperation), { index })),
        updateSpace: (spaceId, change) =>
          explained(
            'reindex updateSpace',
            async () => (await this.updateSpaceIn([index], spaceId, change))[0],
          ),
      };
    });
  }

  /** Points the alias at the new index in one atomic call, then deletes the indices it pointed at. */
  async finishReindex(writer: ReindexWriter): Promise<ReindexOutcome> {
    return explained('finishReindex', async () => {
      const index = writer.index;
      await this.client.indices.putSettings({
        index,
        body: { index: { refresh_interval: REFRESH_INTERVAL } } as never,
      });
      await this.client.indices.refresh({ index });
      const previous = (await this.aliasState()).live.filter((name) => name !== index);
      await this.client.indices.updateAliases({
        body: {
          actions: [
            ...previous.map((name) => ({ remove: { index: name, alias: this.alias } })),
            { add: { index, alias: this.alias } },
            { remove: { index, alias: reindexAliasName(this.alias) } },
          ],
        },
      });
      this.targets = undefined;
      this.ensuring = undefined;
      const documents = (await this.client.count({ index })).body.count;
      // Writers that still have the old targets cached retry against the new ones (see bulk()).
      await sleep(this.aliasCacheMs);
      if (previous.length) await this.client.indices.delete({ index: previous });
      return { index, previous, documents };
    });
  }

  /** Drops an unfinished reindex; the live index is untouched. */
  async abortReindex(): Promise<string[]> {
    return explained('abortReindex', async () => {
      const { reindexing } = await this.aliasState();
      if (reindexing.length) await this.client.indices.delete({ index: reindexing });
      this.targets = undefined;
      return reindexing;
    });
  }

  // ---------------------------------------------------------------- writes

  async upsert(documents: SearchDocument[]): Promise<void> {
    return explained('upsert', async () => {
      await this.bulk(documents.map(indexOperation));
    });
  }

  async remove(ids: string[]): Promise<void> {
    return explained('remove', async () => {
      await this.bulk(ids.map((id) => ({ id, action: { delete: { _id: id } } })));
    });
  }

  async write(changes: IndexWrite): Promise<void> {
    return explained('write', async () => {
      await this.bulk([
        ...changes.upsert.map(indexOperation),
        ...changes.remove.map((id) => ({ id, action: { delete: { _id: id } } })),
      ]);
    });
  }

  async updateSpace(spaceId: string, change: SpaceChange): Promise<number> {
    return explained('updateSpace', async () => {
      // Fresh: a permission change must reach a reindex that has just started.
      const { live, indices } = await this.writeTargets(true);
      const counts = await this.updateSpaceIn(indices, spaceId, change);
      return counts.filter((_, i) => live.includes(indices[i])).reduce((sum, n) => sum + n, 0);
    });
  }

  private async updateSpaceIn(indices: string[], spaceId: string, change: SpaceChange): Promise<number[]> {
    const script = {
      lang: 'painless',
      source:
        "if (params.audience == null) { ctx._source.remove('audience') } else { ctx._source.audience = params.audience }" +
        ' ctx._source.partnerOrgs = params.partnerOrgs; ctx._source.spaceName = params.spaceName;',
      params: {
        audience: change.audience ?? null,
        partnerOrgs: change.partnerOrgs,
        spaceName: change.spaceName,
      },
    };
    // _update_by_query sees what the last refresh made searchable: without this, a document written
    // within the last second would keep the space's old audience and partners.
    await this.client.indices.refresh({ index: indices });
    const counts: number[] = [];
    for (const index of indices) {
      let updated = 0;
      // A conflict means a live write touched the document meanwhile; that write may have carried the
      // old access fields, so go round again (the update is idempotent).
      for (let attempt = 1; ; attempt++) {
        const response = await this.client.updateByQuery({
          index,
          conflicts: 'proceed',
          refresh: true,
          body: { query: { term: { spaceId } }, script } as never,
        });
        const body = response.body as { updated?: number; version_conflicts?: number };
        updated = Math.max(updated, body.updated ?? 0);
        if (!body.version_conflicts) break;
        if (attempt >= 3)
          throw new Error(
            `updateSpace(${spaceId}) on ${index}: ${body.version_conflicts} documents kept changing`,
          );
      }
      counts.push(updated);
    }
    return counts;
  }

  async removeSpace(spaceId: string): Promise<number> {
    return explained('removeSpace', async () => {
      const { live, indices } = await this.writeTargets(true);
      await this.client.indices.refresh({ index: indices }); // as in updateSpace: include recent writes
      let removed = 0;
      for (const index of indices) {
        const response = await this.client.deleteByQuery({
          index,
          conflicts: 'proceed',
          refresh: true,
          body: { query: { term: { spaceId } } },
        });
        if (live.includes(index)) removed += (response.body as { deleted?: number }).deleted ?? 0;
      }
      return removed;
    });
  }

  /**
   * Sends index/delete operations with _bulk, in chunks, to every write target (or to the reindex
   * target with external version 1: "only if nobody has written or deleted this id there yet").
   * Items refused for back-pressure (429) or because an index just went away (an alias swap) are
   * retried; anything else fails the call with every reason.
   */
  private async bulk(
    operations: BulkOperation[],
    reindex?: { index: string },
  ): Promise<{ written: number; skipped: number }> {
    let written = 0;
    let skipped = 0;
    for (let start = 0; start < operations.length; start += this.bulkSize) {
      let pending = operations.slice(start, start + this.bulkSize);
      for (let attempt = 1; pending.length; attempt++) {
        const targets = reindex ? [reindex.index] : (await this.writeTargets(attempt > 1)).indices;
        const lines: string[] = [];
        const sent: BulkOperation[] = [];
        for (const op of pending) {
          for (const index of targets) {
            const [action, meta] = Object.entries(op.action)[0];
            lines.push(
              JSON.stringify({
                [action]: {
                  ...meta,
                  _index: index,
                  ...(reindex ? { version: 1, version_type: 'external' } : {}),
                },
              }),
            );
            if (op.source) lines.push(op.source);
            sent.push(op);
          }
        }
        const response = await this.client.bulk({ body: lines as never });
        const items = (response.body as { items: BulkItem[] }).items;
        const retry = new Set<BulkOperation>();
        const failures: string[] = [];
        items.forEach((item, i) => {
          const result = Object.values(item)[0];
          const error = result.error;
          if (!error) {
            if (result.result !== 'not_found') written++;
            return;
          }
          if (reindex && error.type === 'version_conflict_engine_exception') skipped++;
          else if (result.status === 429 || error.type === 'index_not_found_exception') retry.add(sent[i]);
          else failures.push(`${sent[i].id} in ${result._index}: ${error.type}: ${error.reason}`);
        });
        if (failures.length)
          throw new Error(
            `OpenSearch bulk write failed for ${failures.length} item(s): ${failures.slice(0, 10).join('; ')}`,
          );
        pending = [...retry];
        if (pending.length && attempt >= BULK_ATTEMPTS) {
          throw new Error(
            `OpenSearch bulk write: ${pending.length} item(s) still refused after ${attempt} attempts`,
          );
        }
        if (pending.length) await sleep(100 * 2 ** attempt);
      }
    }
    return { written, skipped };
  }

  // ---------------------------------------------------------------- reads

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
        ...(text
          ? {
              highlight: {
                pre_tags: ['<mark>'],
                post_tags: ['</mark>'],
                encoder: 'html',
                fields: {
                  title: { number_of_fragments: 0 },
                  body: { fragment_size: SNIPPET_SIZE, number_of_fragments: 1 },
                },
              },
            }
          : {}),
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
        hits: raw.hits.hits.map((hit) => {
          const document = hit._source;
          const body = hit.highlight?.body?.[0];
          return {
            document,
            score: hit._score ?? 0,
            snippet: body
              ? withEllipses(toSnippet(body), body, document.body)
              : escapeHtml(excerptAround(document.body, terms, SNIPPET_SIZE)),
            titleHighlight: hit.highlight?.title?.[0]
              ? toSnippet(hit.highlight.title[0])
              : escapeHtml(document.title),
          };
        }),
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
 * canSeeDocument (../access.ts) as a query. Each clause is added only when it can match something:
 * an empty `terms` would match nothing anyway, but a `bool` with no clauses left matches everything,
 * so "nothing visible" is an explicit match_none.
 */
export function accessQuery(access: AccessFilter): Json {
  const content: Json[] = [];
  if (access.allContent) content.push({ match_all: {} });
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
function textQuery(text: string, access: AccessFilter): Json {
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

/** The words of the query, for the excerpt when the highlighter found nothing in the body. */
function queryTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// ---------------------------------------------------------------- results

/**
 * A highlighter fragment in exactly the form highlight() produces: text escaped by escapeHtml, matches
 * in <mark>. The fragment is already HTML-encoded by OpenSearch (encoder: html), but with its own
 * entities; decoding and re-escaping each piece between the marks makes the result the same whatever
 * the encoder did, and never lets markup from a document through.
 */
export function toSnippet(fragment: string): string {
  return fragment
    .split(/(<\/?mark>)/)
    .map((part) => (part === '<mark>' || part === '</mark>' ? part : escapeHtml(decodeEntities(part))))
    .join('');
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** Marks a fragment that starts or ends inside the body with …, as excerptAround does. */
function withEllipses(snippet: string, fragment: string, body: string): string {
  const plain = decodeEntities(fragment.replace(/<\/?mark>/g, ''));
  const at = body.indexOf(plain);
  if (at < 0) return snippet;
  return `${at > 0 ? '…' : ''}${snippet}${at + plain.length < body.length ? '…' : ''}`;
}

function facet(aggregation: { buckets: { key: string; doc_count: number }[] }): FacetCount[] {
  return aggregation.buckets.map((bucket) => ({ value: bucket.key, count: bucket.doc_count }));
}

function emptyResult(): SearchResult {
  return { total: 0, hits: [], facets: { type: [], space: [], tag: [] }, authors: [] };
}

// ---------------------------------------------------------------- plumbing

interface BulkOperation {
  id: string;
  action: Record<string, Json>;
  /** The document, serialized once. */
  source?: string;
}

interface BulkItem {
  [action: string]: {
    _index: string;
    _id: string;
    status: number;
    result?: string;
    error?: { type: string; reason: string };
  };
}

interface RawHit {
  _id: string;
  _score: number | null;
  _source: SearchDocument;
  highlight?: { title?: string[]; body?: string[] };
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

function indexOperation(document: SearchDocument): BulkOperation {
  return { id: document.id, action: { index: { _id: document.id } }, source: JSON.stringify(document) };
}

/** A failed OpenSearch request, with what OpenSearch said about it. */
export class OpenSearchError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly type: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpenSearchError';
  }
}

/** Runs one port operation; a client error becomes an OpenSearchError that says what failed and why. */
async function explained<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const meta = (error as { meta?: { statusCode?: number; body?: unknown } })?.meta;
    if (!meta || error instanceof OpenSearchError) throw error;
    const body = meta.body as
      | { error?: string | { type?: string; reason?: string; root_cause?: { reason?: string }[] } }
      | undefined;
    const detail = typeof body?.error === 'string' ? { reason: body.error } : body?.error;
    const reason = detail?.root_cause?.[0]?.reason ?? detail?.reason ?? (error as Error).message;
    throw new OpenSearchError(
      `OpenSearch ${action} failed (${meta.statusCode ?? 'no status'}${detail?.type ? ` ${detail.type}` : ''}): ${reason}`,
      meta.statusCode,
      detail?.type,
      { cause: error },
    );
  }
}

/** The OpenSearch error type of a failed request (e.g. index_not_found_exception), if it has one. */
function errorType(error: unknown): string | undefined {
  const body = (error as { meta?: { body?: { error?: { type?: string } } } })?.meta?.body;
  return body?.error?.type;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((done) => setTimeout(done, ms)) : Promise.resolve();
}
