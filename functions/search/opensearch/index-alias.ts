/**
 * The index lifecycle and the alias: creating the first versioned index, the reindex that builds
 * `${alias}-v<n+1>` beside the live one and swaps the alias in one atomic call, and where live writes
 * go meanwhile (the live index and, during a reindex, the new one too). It is the only piece with
 * state: what a writer last read about the alias, trusted for a short while.
 */
import {
  indexDefinition,
  indexVersion,
  REFRESH_INTERVAL,
  reindexAliasName,
  versionedIndexName,
} from './index-definition';
import type { OpenSearchHttp } from './opensearch-http';
import { errorType, explained, sleep } from './plumbing';

export interface ReindexOutcome {
  index: string;
  /** Indices that were behind the alias before, now deleted. */
  previous: string[];
  documents: number;
}

export interface AliasState {
  live: string[];
  reindexing: string[];
  all: string[];
}

export class IndexAlias {
  private ensuring?: Promise<string>;
  private targets?: { live: string[]; indices: string[]; until: number };

  /**
   * @param cacheMs how long a writer trusts what it last read about the alias (and a reindex in
   * progress) before it reads it again; beginReindex waits this long before returning.
   */
  constructor(
    private readonly client: OpenSearchHttp,
    readonly name: string,
    private readonly cacheMs: number,
  ) {}

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
    const existing = (await this.state()).live;
    if (existing.length) return existing[0];
    const index = versionedIndexName(this.name, 1);
    try {
      await this.client.indices.create({ index, body: indexDefinition({ aliases: [this.name] }) as never });
      return index;
    } catch (error) {
      if (errorType(error) !== 'resource_already_exists_exception') throw error;
      const live = (await this.state()).live;
      if (live.length) return live[0];
      throw new Error(
        `${index} exists but the alias ${this.name} does not point at it; point the alias at an index or reindex`,
      );
    }
  }

  /** The versioned indices of this alias: which are live (behind the alias) and which a reindex is building. */
  async state(): Promise<AliasState> {
    const response = await this.client.indices.getAlias({ index: `${this.name}-v*` });
    const body = response.body as Record<string, { aliases?: Record<string, unknown> }>;
    const building = reindexAliasName(this.name);
    const all = Object.keys(body).filter((index) => indexVersion(this.name, index) !== undefined);
    const byVersion = (a: string, b: string) => indexVersion(this.name, a)! - indexVersion(this.name, b)!;
    return {
      live: all.filter((index) => this.name in (body[index].aliases ?? {})).sort(byVersion),
      reindexing: all.filter((index) => building in (body[index].aliases ?? {})).sort(byVersion),
      all: all.sort(byVersion),
    };
  }

  /** Where live writes go: the live index and, during a reindex, the index being built as well. */
  async writeTargets(fresh = false): Promise<{ live: string[]; indices: string[] }> {
    if (!fresh && this.targets && this.targets.until > Date.now()) return this.targets;
    let state = await this.state();
    if (!state.live.length) {
      this.ensuring = undefined;
      await this.ensureIndex();
      state = await this.state();
    }
    this.targets = {
      live: state.live,
      indices: [...new Set([...state.live, ...state.reindexing])],
      until: Date.now() + this.cacheMs,
    };
    return this.targets;
  }

  /**
   * Starts a reindex: creates the next versioned index (refresh off while it fills) and marks it with
   * the reindex alias, so live writes from every process go there as well from now on. Returns it.
   */
  async beginReindex(): Promise<string> {
    return explained('beginReindex', async () => {
      const state = await this.state();
      if (state.reindexing.length) {
        throw new Error(
          `A reindex into ${state.reindexing.join(', ')} is in progress; finish it or abortReindex() first`,
        );
      }
      let version = Math.max(0, ...state.all.map((index) => indexVersion(this.name, index)!)) + 1;
      let index: string;
      for (;;) {
        index = versionedIndexName(this.name, version);
        try {
          await this.client.indices.create({
            index,
            body: indexDefinition({
              refreshInterval: '-1',
              aliases: [reindexAliasName(this.name)],
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
      await sleep(this.cacheMs);
      return index;
    });
  }

  /** Points the alias at the new index in one atomic call, then deletes the indices it pointed at. */
  async finishReindex(index: string): Promise<ReindexOutcome> {
    return explained('finishReindex', async () => {
      await this.client.indices.putSettings({
        index,
        body: { index: { refresh_interval: REFRESH_INTERVAL } } as never,
      });
      await this.client.indices.refresh({ index });
      const previous = (await this.state()).live.filter((name) => name !== index);
      await this.client.indices.updateAliases({
        body: {
          actions: [
            ...previous.map((name) => ({ remove: { index: name, alias: this.name } })),
            { add: { index, alias: this.name } },
            { remove: { index, alias: reindexAliasName(this.name) } },
          ],
        },
      });
      this.targets = undefined;
      this.ensuring = undefined;
      const documents = (await this.client.count({ index })).body.count;
      // Writers that still have the old targets cached retry against the new ones (see IndexWriter.bulk).
      await sleep(this.cacheMs);
      if (previous.length) await this.client.indices.delete({ index: previous });
      return { index, previous, documents };
    });
  }

  /** Drops an unfinished reindex; the live index is untouched. */
  async abortReindex(): Promise<string[]> {
    return explained('abortReindex', async () => {
      const { reindexing } = await this.state();
      if (reindexing.length) await this.client.indices.delete({ index: reindexing });
      this.targets = undefined;
      return reindexing;
    });
  }
}
