/**
 * The one document shape in the search index, for every kind of thing the suite holds. Each document
 * carries what trimming needs (space, audience, partner organisations, the person's organisation) and
 * what ranking needs (title, text, tags, author, dates, social signals).
 *
 * Adding a type: add it to SearchType and a builder in documents-from-items.ts.
 */
import { escapeHtml } from '../content/escape-html';

export type SearchType = 'post' | 'comment' | 'page' | 'bookmark' | 'profile';

export const SEARCH_TYPES: readonly SearchType[] = ['post', 'comment', 'page', 'bookmark', 'profile'];

export interface SearchDocument {
  /** Deterministic: `${type}:${spaceId or '-'}:${entity id}`, so re-indexing the same thing overwrites it. */
  id: string;
  type: SearchType;
  title: string;
  /** Plain text (no markup). */
  body: string;
  tags: string[];
  authorId?: string;
  authorName?: string;
  /** Partner organisation of the author, when external. */
  authorOrg?: string;
  /** Content lives in a space; profiles have none. */
  spaceId?: string;
  spaceName?: string;
  /**
   * Copied from the space (content) — kept in step by the indexer when a space's audience or sharing
   * changes. `private`: a private bookmark, visible to its saver (`authorId`) only, admins included.
   */
  audience?: 'employees' | 'members' | 'partners' | 'private';
  partnerOrgs: string[];
  /** For profiles: the person's partner organisation (absent for employees). */
  org?: string;
  /** For profiles: skills and job title feed "who knows about X". */
  skills?: string[];
  createdAt: string;
  updatedAt: string;
  /** Social signals: likes for posts, how many people saved a URL for bookmarks (0: that count is not trimmed). */
  likeCount: number;
  commentCount: number;
  saveCount: number;
  /** The client route that opens the thing. */
  url: string;
  /** For comments: the post they belong to. */
  postId?: string;
  /**
   * Everyone whose work the document is, for expertise and activity: a page's editors, otherwise the
   * author (documents indexed before this field fall back to `authorId`; see contributorsOf).
   */
  contributors?: string[];
}

/**
 * What the caller may read, computed from the table at query time and applied inside the query by
 * every adapter, so no hit, count, facet or snippet comes from anything else.
 */
export interface AccessFilter {
  /** The caller: sees their own private documents (private bookmarks), nobody else does. */
  userId?: string;
  /** Admins read all content. */
  allContent: boolean;
  /** Employees read content whose audience is 'employees'. */
  employeeContent: boolean;
  /** Spaces readable through membership (employees). */
  memberSpaces: string[];
  /** Partners: their organisation, and the spaces currently shared with it (both must hold). */
  partnerOrg?: string;
  sharedSpaces: string[];
  /**
   * Which profiles are visible: all (employees); for a partner (`org` set) employees and their own
   * organisation's people; with neither, none.
   */
  people: { allOrgs: boolean; org?: string };
}

export interface SearchQuery {
  text: string;
  types?: SearchType[];
  spaceId?: string;
  tag?: string;
  authorId?: string;
  /** ISO dates (inclusive) on updatedAt. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export interface SearchHit {
  document: SearchDocument;
  score: number;
  /** Sanitized HTML: escaped text with matches wrapped in <mark>. */
  snippet: string;
  /** Same for the title. */
  titleHighlight: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: { type: FacetCount[]; space: FacetCount[]; tag: FacetCount[] };
  /** Authors whose visible content matches, best first, with their best-matching documents. */
  authors: {
    authorId: string;
    authorName: string;
    authorOrg?: string;
    score: number;
    documents: SearchDocument[];
  }[];
}

/** What every engine returns at most: tags in the tag facet, ranked authors, evidence per author. */
export const RESULT_LIMITS = { tagFacet: 20, authors: 10, authorDocuments: 3 } as const;

/** Documents to write and ids to remove, applied together. */
export interface IndexWrite {
  upsert: SearchDocument[];
  remove: string[];
}

/** A space's access fields and name, as pushed to every document of the space. */
export type SpaceChange = { audience: SearchDocument['audience']; partnerOrgs: string[]; spaceName: string };

export interface Suggestion {
  type: SearchType;
  title: string;
  url: string;
}

/**
 * The port both engines implement. Writes are idempotent (documents are keyed by id). Searches apply
 * the access filter inside the engine's query.
 */
export interface SearchIndex {
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Writes and removes in one request (the indexer's one bulk request per stream batch). */
  write(changes: IndexWrite): Promise<void>;
  /** Rewrites audience, partner organisations and space name on every document of a space. */
  updateSpace(spaceId: string, change: SpaceChange): Promise<number>;
  removeSpace(spaceId: string): Promise<number>;
  search(query: SearchQuery, access: AccessFilter): Promise<SearchResult>;
  suggest(prefix: string, access: AccessFilter, limit: number): Promise<Suggestion[]>;
  get(id: string): Promise<SearchDocument | undefined>;
  count(): Promise<number>;
  /** Makes writes visible to searches (OpenSearch refresh); a no-op where writes are immediate. */
  refresh(): Promise<void>;
  /** People ranked by their visible contributions matching a topic, with evidence (expertise.ts). */
  expertise(query: ExpertiseQuery, access: AccessFilter): Promise<ExpertiseResult>;
  /** The tags of a person's visible contributions, weighted like expertise: "knows about". */
  topicsOf(userId: string, access: AccessFilter, limit: number, now: number): Promise<TopicWeight[]>;
  /** A person's visible contributions, newest first, paged by (updatedAt, id). */
  activityOf(userId: string, access: AccessFilter, page: ActivityPage): Promise<ActivityResult>;
}

export interface ExpertiseQuery {
  /** Matched like a search's text; also read as a tag for the "tagged" weight. */
  topic: string;
  /** The topic read as a tag, when it is one: documents tagged with it weigh more. */
  tag?: string;
  /** Clock for recency, passed in so both engines score the same. */
  now: number;
  limit: number;
  /** Documents of evidence per person. */
  evidence: number;
}

export interface ExpertiseResult {
  /** Visible matching contributions (before grouping). */
  total: number;
  people: { userId: string; score: number; contributions: number; evidence: SearchDocument[] }[];
}

export interface TopicWeight {
  tag: string;
  score: number;
  count: number;
}

export interface ActivityPage {
  limit: number;
  /** The last document of the previous page. */
  after?: { updatedAt: string; id: string };
}

export interface ActivityResult {
  documents: SearchDocument[];
  more: boolean;
}

/** Escapes text for HTML and wraps the given terms in <mark>, case-insensitively. */
export function highlight(text: string, terms: string[]): string {
  const escaped = escapeHtml(text);
  const words = [...new Set(terms.filter((t) => t.length > 1).map((t) => escapeHtml(t.toLowerCase())))].sort(
    (a, b) => b.length - a.length,
  );
  if (words.length === 0) return escaped;
  const pattern = new RegExp(
    `(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`,
    'gi',
  );
  return escaped.replace(pattern, '<mark>$1</mark>');
}

/** A window of about `size` characters around the first matched term. */
export function excerptAround(text: string, terms: string[], size = 200): string {
  if (text.length <= size) return text;
  const lower = text.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((p) => p >= 0);
  const first = positions.length ? Math.min(...positions) : 0;
  let start = Math.max(0, first - Math.floor(size / 3));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  const end = Math.min(text.length, start + size);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/** The freshness multiplier both engines apply: 1.5× for something new, fading to 1× over months. */
export function freshnessBoost(updatedAt: string, now: number): number {
  const ageDays = Math.max(0, (now - Date.parse(updatedAt)) / 86_400_000);
  return 1 + 0.5 * Math.exp(-ageDays / 30);
}
