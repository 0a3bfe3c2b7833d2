/**
 * Writes: documents in and out with _bulk (upsert, remove, write), a space's access fields changed or
 * its documents removed by query, and the writer a reindex fills the new index with. Live writes go to
 * every write target the alias names (IndexAlias.writeTargets); a reindex write never overwrites what
 * a live write already put into the new index.
 */
import { contributorsOf } from '../../domain/search/expertise';
import type { IndexWrite, SearchDocument, SpaceChange } from '../../domain/search/search-document';
import type { IndexAlias } from './index-alias';
import type { OpenSearchHttp } from './opensearch-http';
import { explained, type Json, sleep } from './plumbing';

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

const BULK_ATTEMPTS = 4;

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

export class IndexWriter {
  /** @param bulkSize documents per _bulk request */
  constructor(
    private readonly client: OpenSearchHttp,
    private readonly alias: IndexAlias,
    private readonly bulkSize: number,
  ) {}

  async upsert(documents: SearchDocument[]): Promise<void> {
    return explained('upsert', async () => {
      await this.bulk(documents.map(indexOperation));
    });
  }

  async remove(ids: string[]): Promise<void> {
    return explained('remove', async () => {
      await this.bulk(ids.map(deleteOperation));
    });
  }

  async write(changes: IndexWrite): Promise<void> {
    return explained('write', async () => {
      await this.bulk([...changes.upsert.map(indexOperation), ...changes.remove.map(deleteOperation)]);
    });
  }

  /** The writer for a reindex into `index` (created by IndexAlias.beginReindex). */
  forReindex(index: string): ReindexWriter {
    return {
      index,
      upsert: (documents) =>
        explained('reindex upsert', () => this.bulk(documents.map(indexOperation), { index })),
      updateSpace: (spaceId, change) =>
        explained('reindex updateSpace', async () => (await this.updateSpaceIn([index], spaceId, change))[0]),
    };
  }

  async updateSpace(spaceId: string, change: SpaceChange): Promise<number> {
    return explained('updateSpace', async () => {
      // Fresh: a permission change must reach a reindex that has just started.
      const { live, indices } = await this.alias.writeTargets(true);
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
      const { live, indices } = await this.alias.writeTargets(true);
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
        const targets = reindex ? [reindex.index] : (await this.alias.writeTargets(attempt > 1)).indices;
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
}

function indexOperation(document: SearchDocument): BulkOperation {
  // Contributors are what expertise groups by: a document without them (written before they existed)
  // is stored with its author as the one contributor, as the embedded engine reads it (contributorsOf).
  const contributors = contributorsOf(document);
  const source =
    contributors.length && !document.contributors?.length ? { ...document, contributors } : document;
  return { id: document.id, action: { index: { _id: document.id } }, source: JSON.stringify(source) };
}

function deleteOperation(id: string): BulkOperation {
  return { id, action: { delete: { _id: id } } };
}
