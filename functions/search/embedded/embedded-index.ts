/**
 * The reference embedded engine: MiniSearch. The local runtime runs FastSearchIndex (fast-index.ts),
 * which gives the same answers much faster at 100k documents; this adapter stays as the independent
 * oracle its tests compare against, and as the baseline of bench/search.
 *
 * MiniSearch (BM25-style scoring, prefix and fuzzy matching, field boosts, documents in memory) was
 * the first choice: it measured fastest here on filtered queries at 20k documents, but at 100k its
 * per-match objects made large result sets slow (see docs/performance.md).
 *
 * The access filter and the query's filters are applied before anything is counted, so facets,
 * totals, snippets and author rankings only ever come from documents the caller may read.
 */
import MiniSearch, { type SearchResult as MiniResult } from 'minisearch';
import { canSeeDocument } from '../../domain/search/access';
import {
  CONTRIBUTION_TYPES,
  pageActivity,
  rankContributors,
  rankTopics,
} from '../../domain/search/expertise';
import {
  type AccessFilter,
  type ActivityPage,
  type ActivityResult,
  type ExpertiseQuery,
  type ExpertiseResult,
  excerptAround,
  type FacetCount,
  freshnessBoost,
  highlight,
  type IndexWrite,
  RESULT_LIMITS,
  type SearchDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SpaceChange,
  type Suggestion,
  type TopicWeight,
} from '../../domain/search/search-document';

const FIELDS = ['title', 'body', 'tagText', 'authorName', 'skillText'] as const;

export class EmbeddedSearchIndex implements SearchIndex {
  private readonly documents = new Map<string, SearchDocument>();
  private readonly engine = createEngine();

  constructor(private readonly now: () => number = Date.now) {}

  async upsert(documents: SearchDocument[]): Promise<void> {
    for (const doc of documents) {
      if (this.documents.has(doc.id)) this.engine.replace(doc);
      else this.engine.add(doc);
      this.documents.set(doc.id, doc);
    }
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (!this.documents.has(id)) continue;
      this.engine.discard(id);
      this.documents.delete(id);
    }
  }

  async write(changes: IndexWrite): Promise<void> {
    await this.upsert(changes.upsert);
    await this.remove(changes.remove);
  }

  async updateSpace(spaceId: string, change: SpaceChange): Promise<number> {
    let changed = 0;
    for (const doc of this.documents.values()) {
      if (doc.spaceId !== spaceId) continue;
      // Access fields are not indexed text, so the stored document can change in place.
      Object.assign(doc, {
        audience: change.audience,
        partnerOrgs: [...change.partnerOrgs],
        spaceName: change.spaceName,
      });
      changed++;
    }
    return changed;
  }

  async removeSpace(spaceId: string): Promise<number> {
    const ids = [...this.documents.values()].filter((doc) => doc.spaceId === spaceId).map((doc) => doc.id);
    await this.remove(ids);
    return ids.length;
  }

  async search(query: SearchQuery, access: AccessFilter): Promise<SearchResult> {
    const text = query.text.trim();
    const matches: { doc: SearchDocument; score: number; terms: string[] }[] = [];
    const accept = (doc: SearchDocument | undefined): doc is SearchDocument =>
      !!doc && canSeeDocument(access, doc) && passesFilters(doc, query);
    if (text) {
      // A partner cannot search by author name (see searchableFields in the OpenSearch adapter).
      const fields = access.partnerOrg ? FIELDS.filter((field) => field !== 'authorName') : [...FIELDS];
      for (const result of this.engine.search(text, {
        fields,
        filter: (r) => accept(this.documents.get(r.id)),
      }) as MiniResult[]) {
        const doc = this.documents.get(result.id)!;
        matches.push({
          doc,
          score: result.score * freshnessBoost(doc.updatedAt, this.now()),
          terms: result.terms,
        });
      }
    } else {
      // No text: everything the filters allow, newest first.
      for (const doc of this.documents.values())
        if (accept(doc)) matches.push({ doc, score: freshnessBoost(doc.updatedAt, this.now()), terms: [] });
    }
    matches.sort((a, b) => b.score - a.score || b.doc.updatedAt.localeCompare(a.doc.updatedAt));

    const page = matches.slice(query.offset, query.offset + query.limit);
    return {
      total: matches.length,
      hits: page.map(({ doc, score, terms }) => ({
        document: doc,
        score,
        snippet: highlight(excerptAround(doc.body, terms), terms),
        titleHighlight: highlight(doc.title, terms),
      })),
      facets: {
        type: countBy(matches, (m) => [m.doc.type]),
        space: countBy(matches, (m) => (m.doc.spaceId ? [m.doc.spaceId] : [])),
        tag: countBy(matches, (m) => m.doc.tags).slice(0, RESULT_LIMITS.tagFacet),
      },
      authors: rankAuthors(matches),
    };
  }

  async expertise(query: ExpertiseQuery, access: AccessFilter): Promise<ExpertiseResult> {
    const text = query.topic.trim();
    if (!text) return { total: 0, people: [] };
    const fields = access.partnerOrg ? FIELDS.filter((field) => field !== 'authorName') : [...FIELDS];
    const matches = (
      this.engine.search(text, {
        fields,
        filter: (r) => {
          const doc = this.documents.get(r.id);
          return !!doc && CONTRIBUTION_TYPES.includes(doc.type) && canSeeDocument(access, doc);
        },
      }) as MiniResult[]
    ).map((r) => this.documents.get(r.id)!);
    return rankContributors(matches, {
      topicTag: query.tag,
      now: query.now,
      limit: query.limit,
      evidence: query.evidence,
    });
  }

  async topicsOf(userId: string, access: AccessFilter, limit: number, now: number): Promise<TopicWeight[]> {
    return rankTopics(this.visible(access), userId, limit, now);
  }

  async activityOf(userId: string, access: AccessFilter, page: ActivityPage): Promise<ActivityResult> {
    return pageActivity(this.visible(access), userId, page);
  }

  private visible(access: AccessFilter): SearchDocument[] {
    return [...this.documents.values()].filter((doc) => canSeeDocument(access, doc));
  }

  async suggest(prefix: string, access: AccessFilter, limit: number): Promise<Suggestion[]> {
    const text = prefix.trim();
    if (!text) return [];
    const results = this.engine.search(text, {
      fields: access.partnerOrg ? ['title'] : ['title', 'authorName'],
      prefix: true,
      fuzzy: false,
      combineWith: 'AND',
      filter: (r) => {
        const doc = this.documents.get(r.id);
        return !!doc && doc.type !== 'comment' && canSeeDocument(access, doc);
      },
    });
    return results.slice(0, limit).map((r) => {
      const doc = this.documents.get(r.id)!;
      return { type: doc.type, title: doc.title, url: doc.url };
    });
  }

  async get(id: string) {
    return this.documents.get(id);
  }

  async count() {
    return this.documents.size;
  }

  async refresh() {}

  /** Everything, for snapshots and tests. */
  all(): SearchDocument[] {
    return [...this.documents.values()];
  }
}

function createEngine() {
  return new MiniSearch<SearchDocument>({
    // MiniSearch's background vacuum can throw when a search runs between its batches after many
    // discards (an unhandled rejection); discarded documents are never returned anyway.
    autoVacuum: false,
    idField: 'id',
    fields: [...FIELDS],
    storeFields: [],
    extractField: (doc, field) => {
      if (field === 'tagText') return doc.tags.join(' ');
      if (field === 'skillText') return (doc.skills ?? []).join(' ');
      return (doc as unknown as Record<string, string>)[field] ?? '';
    },
    processTerm: (term) =>
      term
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
    searchOptions: {
      boost: { title: 3, tagText: 2, skillText: 2, body: 1, authorName: 1 },
      // As you type, the last word (3+ letters) is a prefix. Typos: one edit from 4 letters, two from 8,
      // like OpenSearch's fuzziness AUTO.
      prefix: (term, index, terms) => index === terms.length - 1 && term.length >= 3,
      fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false),
      maxFuzzy: 2,
      combineWith: 'OR',
    },
  });
}

function passesFilters(doc: SearchDocument, query: SearchQuery): boolean {
  if (query.types?.length && !query.types.includes(doc.type)) return false;
  if (query.spaceId && doc.spaceId !== query.spaceId) return false;
  if (query.tag && !doc.tags.includes(query.tag)) return false;
  if (
    query.authorId &&
    doc.authorId !== query.authorId &&
    !(doc.type === 'profile' && doc.id.endsWith(`:${query.authorId}`))
  )
    return false;
  if (query.from && doc.updatedAt < query.from) return false;
  if (query.to && doc.updatedAt.slice(0, query.to.length) > query.to) return false;
  return true;
}

function countBy<T>(items: T[], values: (item: T) => string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const item of items) for (const value of values(item)) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

function rankAuthors(matches: { doc: SearchDocument; score: number }[]): SearchResult['authors'] {
  const byAuthor = new Map<string, SearchResult['authors'][number]>();
  for (const { doc, score } of matches) {
    if (doc.type === 'profile' || !doc.authorId) continue;
    let entry = byAuthor.get(doc.authorId);
    if (!entry) {
      entry = {
        authorId: doc.authorId,
        authorName: doc.authorName ?? doc.authorId,
        ...(doc.authorOrg ? { authorOrg: doc.authorOrg } : {}),
        score: 0,
        documents: [],
      };
      byAuthor.set(doc.authorId, entry);
    }
    entry.score += score;
    if (entry.documents.length < RESULT_LIMITS.authorDocuments) entry.documents.push(doc);
  }
  return [...byAuthor.values()].sort((a, b) => b.score - a.score).slice(0, RESULT_LIMITS.authors);
}
