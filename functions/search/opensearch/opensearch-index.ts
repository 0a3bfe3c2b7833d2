/**
 * The SearchIndex port over OpenSearch (the official client; SigV4-signed in AWS, plain HTTP against
 * the test node). Searches read one alias; the alias points at a versioned index (`${alias}-v<n>`),
 * so a reindex builds `v<n+1>` beside it and swaps the alias in one atomic call — searches never see
 * an empty or half-built index.
 *
 * The access filter is part of every query (a `filter` clause), so no hit, total, facet, snippet or
 * author ever comes from a document the caller cannot read. It is the same rule as `canSeeDocument`
 * in functions/domain/search/access.ts, which the embedded engine applies; the contract suite checks
 * they agree. The query building is in index-queries.ts.
 *
 * While a reindex is running, live writes (the indexer) go to both the live index and the new one, and
 * the reindex writer never overwrites what a live write put there (see ReindexWriter).
 *
 * This file is the one class the rest of the code uses; the work is in the pieces beside it:
 * index-alias.ts (the index lifecycle and the alias), index-writes.ts (writes), index-queries.ts
 * (queries and how they are built), snippets.ts (highlighting) and plumbing.ts (errors).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type {
  AccessFilter,
  ActivityPage,
  ActivityResult,
  ExpertiseQuery,
  ExpertiseResult,
  IndexWrite,
  SearchDocument,
  SearchIndex,
  SearchQuery,
  SearchResult,
  SpaceChange,
  Suggestion,
  TopicWeight,
} from '../../domain/search/search-document';
import { ExpertiseReader } from './expertise-queries';
import { type AliasState, IndexAlias, type ReindexOutcome } from './index-alias';
import { IndexReader } from './index-queries';
import { IndexWriter, type ReindexWriter } from './index-writes';
import { OpenSearchHttp } from './opensearch-http';

export type { ReindexOutcome } from './index-alias';
export { accessQuery, queryFilters } from './index-queries';
export type { ReindexWriter } from './index-writes';
export { OpenSearchError } from './plumbing';
export { toSnippet } from './snippets';

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

export class OpenSearchIndex implements SearchIndex {
  readonly client: OpenSearchHttp;
  readonly alias: string;
  private readonly indices: IndexAlias;
  private readonly writer: IndexWriter;
  private readonly reader: IndexReader;
  private readonly experts: ExpertiseReader;

  constructor(options: OpenSearchIndexOptions) {
    this.client = options.client;
    this.alias = options.alias;
    this.indices = new IndexAlias(this.client, this.alias, options.aliasCacheMs ?? 1_000);
    this.writer = new IndexWriter(this.client, this.indices, options.bulkSize ?? 500);
    this.reader = new IndexReader(this.client, this.alias, options.now ?? Date.now);
    this.experts = new ExpertiseReader(this.client, this.alias);
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

  // ---------------------------------------------------------------- indices and the alias (index-alias.ts)

  /**
   * Makes sure the alias points at an index, creating `${alias}-v1` with the alias when there is none.
   * Safe to call concurrently from many processes. Returns the live index. Writers call it on first
   * use; readers never need it.
   */
  ensureIndex(): Promise<string> {
    return this.indices.ensureIndex();
  }

  /** The versioned indices of this alias: which are live (behind the alias) and which a reindex is building. */
  aliasState(): Promise<AliasState> {
    return this.indices.state();
  }

  /**
   * Starts a reindex: creates the next versioned index and marks it, so live writes from every process
   * go there as well from now on.
   */
  async beginReindex(): Promise<ReindexWriter> {
    return this.writer.forReindex(await this.indices.beginReindex());
  }

  /** Points the alias at the new index in one atomic call, then deletes the indices it pointed at. */
  finishReindex(writer: ReindexWriter): Promise<ReindexOutcome> {
    return this.indices.finishReindex(writer.index);
  }

  /** Drops an unfinished reindex; the live index is untouched. */
  abortReindex(): Promise<string[]> {
    return this.indices.abortReindex();
  }

  // ---------------------------------------------------------------- writes (index-writes.ts)

  upsert(documents: SearchDocument[]): Promise<void> {
    return this.writer.upsert(documents);
  }

  remove(ids: string[]): Promise<void> {
    return this.writer.remove(ids);
  }

  write(changes: IndexWrite): Promise<void> {
    return this.writer.write(changes);
  }

  updateSpace(spaceId: string, change: SpaceChange): Promise<number> {
    return this.writer.updateSpace(spaceId, change);
  }

  removeSpace(spaceId: string): Promise<number> {
    return this.writer.removeSpace(spaceId);
  }

  // ---------------------------------------------------------------- reads (index-queries.ts)

  search(query: SearchQuery, access: AccessFilter): Promise<SearchResult> {
    return this.reader.search(query, access);
  }

  suggest(prefix: string, access: AccessFilter, limit: number): Promise<Suggestion[]> {
    return this.reader.suggest(prefix, access, limit);
  }

  get(id: string): Promise<SearchDocument | undefined> {
    return this.reader.get(id);
  }

  count(): Promise<number> {
    return this.reader.count();
  }

  refresh(): Promise<void> {
    return this.reader.refresh();
  }

  // ---------------------------------------------------------------- expertise (expertise-queries.ts)

  expertise(query: ExpertiseQuery, access: AccessFilter): Promise<ExpertiseResult> {
    return this.experts.expertise(query, access);
  }

  topicsOf(userId: string, access: AccessFilter, limit: number, now: number): Promise<TopicWeight[]> {
    return this.experts.topicsOf(userId, access, limit, now);
  }

  activityOf(userId: string, access: AccessFilter, page: ActivityPage): Promise<ActivityResult> {
    return this.experts.activityOf(userId, access, page);
  }
}
