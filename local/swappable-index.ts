/**
 * A SearchIndex that forwards to a current index which a reindex can replace in one step — the local
 * counterpart of moving the OpenSearch alias to a freshly built index.
 */

import type {
  AccessFilter,
  ActivityPage,
  ExpertiseQuery,
  IndexWrite,
  SearchDocument,
  SearchIndex,
  SearchQuery,
  SpaceChange,
} from '../functions/domain/search/search-document';
import type { FastSearchIndex } from '../functions/search/embedded/fast-index';

export class SwappableSearchIndex implements SearchIndex {
  constructor(public current: FastSearchIndex) {}

  swap(next: FastSearchIndex) {
    this.current = next;
  }

  upsert(documents: SearchDocument[]) {
    return this.current.upsert(documents);
  }
  remove(ids: string[]) {
    return this.current.remove(ids);
  }
  write(changes: IndexWrite) {
    return this.current.write(changes);
  }
  updateSpace(spaceId: string, change: SpaceChange) {
    return this.current.updateSpace(spaceId, change);
  }
  removeSpace(spaceId: string) {
    return this.current.removeSpace(spaceId);
  }
  search(query: SearchQuery, access: AccessFilter) {
    return this.current.search(query, access);
  }
  suggest(prefix: string, access: AccessFilter, limit: number) {
    return this.current.suggest(prefix, access, limit);
  }
  get(id: string) {
    return this.current.get(id);
  }
  count() {
    return this.current.count();
  }
  refresh() {
    return this.current.refresh();
  }
  expertise(query: ExpertiseQuery, access: AccessFilter) {
    return this.current.expertise(query, access);
  }
  topicsOf(userId: string, access: AccessFilter, limit: number, now: number) {
    return this.current.topicsOf(userId, access, limit, now);
  }
  activityOf(userId: string, access: AccessFilter, page: ActivityPage) {
    return this.current.activityOf(userId, access, page);
  }
}
