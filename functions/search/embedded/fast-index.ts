/**
 * A faster embedded search engine for the local runtime: the same questions and answers as the
 * MiniSearch adapter (embedded-index.ts), built for large match sets.
 *
 * Why it is shaped like this: at 100k documents a common word matches tens of thousands of documents,
 * and totals, facets and author rankings must count every visible match. MiniSearch allocates an
 * object per match and our post-processing then walks those objects several times. Here documents are
 * integer numbers; postings are number arrays per term and field; everything a query needs per
 * document (access class, type, space, author, tags, date) lives in typed arrays; scores accumulate in
 * a Float64Array with a touched-list; facets, authors and the page come from one pass over the matches.
 *
 * Parity with the MiniSearch adapter is deliberate: same tokenizer and term normalisation, the same
 * BM25+ (k 1.2, b 0.7, δ 0.5, IDF per field, field length = distinct raw tokens), field boosts, prefix
 * and fuzzy weights, the "× number of query words matched" quality factor, freshness and tie-breaks —
 * so hit sets, facets and scores agree (test/search/fast-index.test.ts compares them). The one
 * intended difference: prefix and typo expansions are capped (default 50 each, like OpenSearch's
 * max_expansions), keeping the most frequent terms, so a very short prefix cannot fan out into
 * thousands of terms.
 *
 * Access: documents are grouped into access classes (the fields canSeeDocument reads); each query
 * evaluates the shared rule (access.ts) once per class, then filters documents with integer checks
 * before anything is scored or counted.
 *
 * Deletes and replacements tombstone a document number; postings are cleaned, and numbers and terms
 * renumbered, by a compaction once tombstones reach a quarter of the slots.
 */
import { canSeeDocument } from '../../domain/search/access';
import {
  CONTRIBUTION_TYPES,
  CONTRIBUTION_WEIGHT,
  contributionScoreOf,
  contributorsOf,
  pageActivity,
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
  highlight,
  type IndexWrite,
  RESULT_LIMITS,
  SEARCH_TYPES,
  type SearchDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type SpaceChange,
  type Suggestion,
  type TopicWeight,
} from '../../domain/search/search-document';

// Fields in the MiniSearch adapter's order: title, body, tags, author name, skills.
const FIELD_COUNT = 5;
const TITLE = 0;
const AUTHOR_NAME = 3;
const BOOST = [3, 1, 2, 1, 2];
const SEARCH_FIELDS = [0, 1, 2, 3, 4];
/** A partner cannot search by author name (see the MiniSearch and OpenSearch adapters). */
const PARTNER_SEARCH_FIELDS = [0, 1, 2, 4];
const SUGGEST_FIELDS = [TITLE, AUTHOR_NAME];
const PARTNER_SUGGEST_FIELDS = [TITLE];

// MiniSearch's BM25+ parameters and expansion weights, for the same ranking.
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

/** A posting is `docNumber * TF_SCALE + min(termFrequency, TF_MAX)` in one number. */
const TF_SCALE = 1024;
const TF_MAX = 1023;

/** freshnessBoost's time constant: 30 days. */
const FRESHNESS_MS = 30 * 86_400_000;
const EVIDENCE = RESULT_LIMITS.authorDocuments;
const PROFILE = SEARCH_TYPES.indexOf('profile');
const COMMENT = SEARCH_TYPES.indexOf('comment');

// MiniSearch's default tokenizer and the adapter's processTerm.
const SEPARATOR = /[\n\r\p{Z}\p{P}]+/u;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** Text without upper case or non-ASCII needs no normalisation: its tokens are already terms. */
const NEEDS_NORMALISING = /[A-Z\u0080-\uffff]/;

export function normaliseTerm(token: string): string {
  return token.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** A search's words: the last (3+ letters) is a prefix as you type; typos from 4 letters (2 from 8). */
function searchSpecs(text: string): TermSpec[] {
  const terms = queryTerms(text);
  return terms.map((term, i) => ({
    term,
    prefix: i === terms.length - 1 && term.length >= 3,
    fuzzy: term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0,
  }));
}

export function queryTerms(text: string): string[] {
  return text
    .split(SEPARATOR)
    .map(normaliseTerm)
    .filter((term) => term.length > 0);
}

function fieldTexts(doc: SearchDocument): string[] {
  const text = (value: unknown) => (value == null ? '' : String(value));
  return [
    text(doc.title),
    text(doc.body),
    (doc.tags ?? []).join(' '),
    text(doc.authorName),
    (doc.skills ?? []).join(' '),
  ];
}

function sameTexts(a: string[], b: string[]): boolean {
  for (let f = 0; f < FIELD_COUNT; f++) if (a[f] !== b[f]) return false;
  return true;
}

/** A 32-bit set of (hashed) characters: one edit changes at most two bits, so it filters typo candidates. */
function charMask(term: string): number {
  let mask = 0;
  for (let i = 0; i < term.length; i++) mask |= 1 << (term.charCodeAt(i) & 31);
  return mask;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }
}

export interface FastIndexOptions {
  /** Most terms a prefix expands to (the most frequent are kept). Default 50. */
  maxPrefixExpansions?: number;
  /** Most terms a typo expands to (closest, then most frequent). Default 50. */
  maxFuzzyExpansions?: number;
  /** Compact when tombstones reach this share of document slots… Default 0.25. */
  compactRatio?: number;
  /** …and at least this many. Default 1000. */
  compactMinTombstones?: number;
}

interface TermSpec {
  term: string;
  prefix: boolean;
  fuzzy: number;
}

interface Expansion {
  termId: number;
  weight: number;
}

/**
 * Everything the index holds, as columns — typed arrays, short string lists and the documents' JSON
 * bytes — for a snapshot on disk (local/search-snapshot.ts) that loads without parsing documents or
 * rebuilding anything per document. Only what is cheap and small is derived on import (the dictionary,
 * interners' lookups, document frequencies). Bump FAST_INDEX_STATE_VERSION whenever this shape, the
 * tokenizer or the meaning of a column changes: a snapshot of another version is not loaded (the index
 * is rebuilt from the table instead).
 */
export const FAST_INDEX_STATE_VERSION = 3;
export interface FastIndexState {
  /** Each document's JSON (UTF-8) back to back; document d ends at documentEnds[d]. */
  documentBytes: Uint8Array;
  documentEnds: Float64Array;
  ids: string[];
  updatedAt: string[];
  /** First-insertion order of each document, and the next one to hand out. */
  seq: Float64Array;
  nextSeq: number;
  /** Access classes, and each document's. */
  classes: SearchDocument[];
  accessClass: Int32Array;
  types: string[];
  typeOf: Uint8Array;
  spaces: string[];
  /** −1: no space. */
  spaceOf: Int32Array;
  authors: string[];
  /** −1: no author. */
  authorOf: Int32Array;
  tags: string[];
  tagStart: Int32Array;
  tagCount: Int32Array;
  tagPool: Int32Array;
  contributors: string[];
  /** Document d's contributors are contributorValues[contributorEnds[d − 1] … contributorEnds[d]). */
  contributorEnds: Int32Array;
  contributorValues: Int32Array;
  updatedMs: Float64Array;
  /** Per field: the length of each document's field. */
  fieldLength: Int32Array[];
  terms: string[];
  termMask: Int32Array;
  /** Per field: where each term's postings start in `postingValues` (terms + 1 entries). */
  postingOffsets: Int32Array[];
  postingValues: Int32Array[];
  sortedMain: Int32Array;
  sortedDelta: Int32Array;
}

/**
 * Documents that agree on everything canSeeDocument reads share an access class. Keep this key in
 * step with access.ts (a class record gives the same key as the documents of its class).
 */
function classKey(doc: SearchDocument): string {
  return JSON.stringify([
    doc.type,
    doc.org ?? null,
    doc.audience ?? null,
    doc.spaceId ?? null,
    doc.partnerOrgs ?? [],
    // A private document's class is its owner's (canSeeDocument reads authorId for those only).
    doc.audience === 'private' ? (doc.authorId ?? null) : null,
    doc.type === 'bookmark' ? (doc.authorOrg ?? null) : null,
  ]);
}

export class FastSearchIndex implements SearchIndex {
  private readonly maxPrefix: number;
  private readonly maxFuzzy: number;
  private readonly compactRatio: number;
  private readonly compactMin: number;

  // Documents, by number. `ids` holds live documents only.
  private readonly ids = new Map<string, number>();
  /**
   * A document written since the index was loaded, or changed in place (updateSpace). A document
   * loaded from a snapshot is absent here and read from `docBytes` (its JSON, from rawStart to
   * rawEnd) when an answer shows it — parsing 100k documents' text would be most of a start-up.
   */
  private docs: (SearchDocument | undefined)[] = [];
  private texts: (string[] | undefined)[] = [];
  private docBytes: Uint8Array = new Uint8Array(0);
  private rawStart = new Float64Array(0);
  private rawEnd = new Float64Array(0);
  private readonly decoder = new TextDecoder();
  /** Each document's id and updatedAt (the id and date filters read them for every candidate). */
  private docIds: string[] = [];
  private updatedText: string[] = [];
  private capacity = 0;
  private slots = 0;
  private live = 0;
  private tombstones = 0;
  private nextSeq = 0;
  private alive = new Uint8Array(0);
  private accessClass = new Int32Array(0);
  private typeOf = new Uint8Array(0);
  private spaceOf = new Int32Array(0);
  private authorOf = new Int32Array(0);
  private updatedMs = new Float64Array(0);
  /**
   * exp((updatedAt − freshnessBase) / 30 days): freshnessBoost's exponential factorises into this and a
   * per-query constant, so a query needs no Math.exp per match.
   */
  private freshness = new Float64Array(0);
  private readonly freshnessBase: number;
  /** First-insertion order, kept across replacements: the final tie-break, as in a Map. */
  private seqOf = new Float64Array(0);
  private tagStart = new Int32Array(0);
  private tagCount = new Int32Array(0);
  private tagPool = new Int32Array(1024);
  private tagPoolLength = 0;
  private fieldLength: Int32Array[] = Array.from({ length: FIELD_COUNT }, () => new Int32Array(0));
  private readonly totalFieldLength = new Float64Array(FIELD_COUNT);

  private readonly types = new Interner();
  private readonly spaces = new Interner();
  private readonly tags = new Interner();
  private readonly authors = new Interner();
  private readonly classIds = new Map<string, number>();
  private readonly classes: SearchDocument[] = [];
  /**
   * Document ids by contributor: "knows about" and activity read one person's documents only. Built
   * from `contribOf` at the first such read (not at load), then kept in step by writes.
   */
  private byContributorMap: Map<string, Set<string>> | undefined = new Map();
  /** Each document's contributors as numbers (`contributors`), for expertise's one pass. */
  private readonly contributors = new Interner();
  private contribOf: Int32Array[] = [];

  // Terms.
  private dict = new Map<string, number>();
  private termText: string[] = [];
  private termMask = new Int32Array(1024);
  private termCapacity = 1024;
  /**
   * Per field and term: the postings. A list loaded from a snapshot stays a view into the loaded
   * buffer (an Int32Array, no copy) until a write needs to grow or compact it.
   */
  private postings: (number[] | Int32Array | undefined)[][] = Array.from({ length: FIELD_COUNT }, () => []);
  /**
   * Postings loaded from a snapshot, per field: term id → offsets → values. A list is a view made when
   * a query reads it (postingList), not 5 × terms views at load; `postings` holds what writes changed.
   * Dropped at the next compaction, which copies every list.
   */
  private basePostings: { offsets: Int32Array; values: Int32Array }[] | undefined;
  private baseTerms = 0;
  /** Live documents holding the term, per field (BM25's document frequency). */
  private docFreq: Int32Array[] = Array.from({ length: FIELD_COUNT }, () => new Int32Array(1024));
  private byLength: number[][] = [];
  /** Term ids sorted by text, for prefixes: a large sorted part, a small sorted part, and unsorted new ones. */
  private sortedMain: number[] = [];
  private sortedDelta: number[] = [];
  private unsorted: number[] = [];

  // Per-query scratch, indexed by document number; reset through the touched-list.
  private score = new Float64Array(0);
  private matched = new Int32Array(0);
  private lastStamp = new Int32Array(0);
  private visible = new Uint8Array(0);
  private touched = new Int32Array(0);
  private stamp = 0;
  private termFreq = new Int32Array(1024);
  private termIds = new Int32Array(256);
  private lastFieldLength = 0;
  private levRows = [new Int32Array(64), new Int32Array(64)];

  constructor(
    private readonly now: () => number = Date.now,
    options: FastIndexOptions = {},
  ) {
    this.maxPrefix = options.maxPrefixExpansions ?? 50;
    this.maxFuzzy = options.maxFuzzyExpansions ?? 50;
    this.compactRatio = options.compactRatio ?? 0.25;
    this.compactMin = options.compactMinTombstones ?? 1000;
    for (const type of SEARCH_TYPES) this.types.intern(type);
    this.freshnessBase = now();
  }

  // ---- writes ----

  async upsert(documents: SearchDocument[]): Promise<void> {
    for (const doc of documents) {
      const texts = fieldTexts(doc);
      const existing = this.ids.get(doc.id);
      if (existing === undefined) {
        this.addDocument(doc, texts, this.nextSeq++);
      } else if (sameTexts(this.textsOf(existing), texts)) {
        // Only attributes changed (likes, dates, space): no need to touch postings.
        this.unindexContributors(existing);
        this.indexContributors(doc, true);
        this.docs[existing] = doc;
        this.setAttributes(existing, doc, true);
      } else {
        const seq = this.seqOf[existing];
        this.tombstone(existing);
        this.addDocument(doc, texts, seq);
      }
    }
    this.compactIfDue();
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) {
      const number = this.ids.get(id);
      if (number === undefined) continue;
      this.tombstone(number);
      this.ids.delete(id);
    }
    this.compactIfDue();
  }

  async write(changes: IndexWrite): Promise<void> {
    await this.upsert(changes.upsert);
    await this.remove(changes.remove);
  }

  async updateSpace(spaceId: string, change: SpaceChange): Promise<number> {
    const space = this.spaces.find(spaceId);
    if (space < 0) return 0;
    let changed = 0;
    for (let d = 0; d < this.slots; d++) {
      if (!this.alive[d] || this.spaceOf[d] !== space) continue;
      // Access fields are not indexed text: a new stored document (not the caller's object changed in
      // place) and its access class; kept in `docs` from now on, as the snapshot's bytes are stale.
      const doc: SearchDocument = {
        ...this.doc(d),
        audience: change.audience,
        partnerOrgs: [...change.partnerOrgs],
        spaceName: change.spaceName,
      };
      this.docs[d] = doc;
      this.accessClass[d] = this.classOf(doc);
      changed++;
    }
    return changed;
  }

  async removeSpace(spaceId: string): Promise<number> {
    const space = this.spaces.find(spaceId);
    if (space < 0) return 0;
    const ids: string[] = [];
    for (let d = 0; d < this.slots; d++)
      if (this.alive[d] && this.spaceOf[d] === space) ids.push(this.docIds[d]);
    await this.remove(ids);
    return ids.length;
  }

  async refresh() {}

  // ---- reads ----

  async get(id: string) {
    const number = this.ids.get(id);
    return number === undefined ? undefined : this.doc(number);
  }

  async count() {
    return this.live;
  }

  /** Everything, for snapshots and tests, in first-insertion order. */
  all(): SearchDocument[] {
    const numbers = [...this.ids.values()].sort((a, b) => this.seqOf[a] - this.seqOf[b]);
    return numbers.map((d) => this.doc(d));
  }

  /** Sizes, for tests and benchmarks. */
  stats() {
    let postings = 0;
    for (let f = 0; f < FIELD_COUNT; f++)
      for (let id = 0; id < this.termText.length; id++) postings += this.postingList(f, id)?.length ?? 0;
    return {
      documents: this.live,
      slots: this.slots,
      tombstones: this.tombstones,
      terms: this.termText.length,
      postings,
      accessClasses: this.classes.length,
    };
  }

  async search(query: SearchQuery, access: AccessFilter): Promise<SearchResult> {
    const text = query.text.trim();
    this.markVisible(access, query, false);
    let touchedCount = 0;
    let fields = SEARCH_FIELDS;
    const derived = new Set<string>();
    if (text) {
      fields = access.partnerOrg ? PARTNER_SEARCH_FIELDS : SEARCH_FIELDS;
      touchedCount = this.scoreTerms(searchSpecs(text), fields, derived).touched;
    } else {
      // No text: everything the filters allow, newest first (score = freshness alone).
      const { visible, score, matched, touched } = this;
      for (let d = 0; d < this.slots; d++) {
        if (!visible[d]) continue;
        score[d] = 1;
        matched[d] = 1;
        touched[touchedCount++] = d;
      }
    }
    try {
      return this.collect(query, touchedCount, fields, derived);
    } finally {
      this.resetScratch(touchedCount);
    }
  }

  /**
   * The hit set of a search for the topic over contributions, then one pass that scores each match
   * (expertise.ts's formula, from the typed arrays) into its contributors and keeps each one's best
   * documents — rankContributors' answer without an object per match.
   */
  async expertise(query: ExpertiseQuery, access: AccessFilter): Promise<ExpertiseResult> {
    const text = query.topic.trim();
    if (!text) return { total: 0, people: [] };
    this.markVisible(access, { text, types: [...CONTRIBUTION_TYPES], limit: 0, offset: 0 }, false);
    const fields = access.partnerOrg ? PARTNER_SEARCH_FIELDS : SEARCH_FIELDS;
    const touchedCount = this.scoreTerms(searchSpecs(text), fields, new Set()).touched;
    try {
      const { touched, typeOf, updatedMs, tagPool, tagStart, tagCount, contribOf } = this;
      const weights = this.types.values.map(
        (type) => CONTRIBUTION_WEIGHT[type as SearchDocument['type']] ?? 0,
      );
      const tag = query.tag === undefined ? -1 : this.tags.find(query.tag);
      const E = Math.max(0, query.evidence);
      const people = this.contributors.values.length;
      const personScore = new Float64Array(people);
      const contributions = new Int32Array(people);
      const best = new Int32Array(people * E);
      const bestScore = new Float64Array(people * E);
      const bestCount = new Int32Array(people);
      const seen: number[] = [];
      const ids = (d: number) => this.docIds[d];
      const better = (d: number, s: number, e: number, es: number) =>
        s > es ||
        (s === es && (updatedMs[d] > updatedMs[e] || (updatedMs[d] === updatedMs[e] && ids(d) < ids(e))));
      for (let i = 0; i < touchedCount; i++) {
        const d = touched[i];
        let tagged = false;
        if (tag >= 0)
          for (let t = tagStart[d], end = t + tagCount[d]; t < end && !tagged; t++)
            tagged = tagPool[t] === tag;
        const score = contributionScoreOf(weights[typeOf[d]], tagged, updatedMs[d], query.now);
        for (const p of contribOf[d]) {
          if (contributions[p]++ === 0) seen.push(p);
          personScore[p] += score;
          // Keep the person's best few documents, best first.
          const base = p * E;
          const count = bestCount[p];
          let at = count;
          while (at > 0 && better(d, score, best[base + at - 1], bestScore[base + at - 1])) at--;
          if (at >= E) continue;
          for (let j = Math.min(count, E - 1); j > at; j--) {
            best[base + j] = best[base + j - 1];
            bestScore[base + j] = bestScore[base + j - 1];
          }
          best[base + at] = d;
          bestScore[base + at] = score;
          if (count < E) bestCount[p] = count + 1;
        }
      }
      const names = this.contributors.values;
      const ranked = seen
        .sort(
          (a, b) =>
            personScore[b] - personScore[a] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0),
        )
        .slice(0, Math.max(0, query.limit));
      return {
        total: touchedCount,
        people: ranked.map((p) => ({
          userId: names[p],
          score: personScore[p],
          contributions: contributions[p],
          evidence: Array.from(best.subarray(p * E, p * E + bestCount[p]), (d) => this.doc(d)),
        })),
      };
    } finally {
      this.resetScratch(touchedCount);
    }
  }

  async topicsOf(userId: string, access: AccessFilter, limit: number, now: number): Promise<TopicWeight[]> {
    return rankTopics(this.visibleContributions(userId, access), userId, limit, now);
  }

  async activityOf(userId: string, access: AccessFilter, page: ActivityPage): Promise<ActivityResult> {
    return pageActivity(this.visibleContributions(userId, access), userId, page);
  }

  /** One person's visible contributions: only their documents are looked at (byContributor). */
  private visibleContributions(userId: string, access: AccessFilter): SearchDocument[] {
    const ids = this.byContributor().get(userId);
    if (!ids) return [];
    const classVisible = new Map<number, boolean>();
    const found: SearchDocument[] = [];
    for (const id of ids) {
      const d = this.ids.get(id);
      if (d === undefined || !this.alive[d]) continue;
      if (!CONTRIBUTION_WEIGHT[this.types.values[this.typeOf[d]] as SearchDocument['type']]) continue;
      const c = this.accessClass[d];
      let visible = classVisible.get(c);
      if (visible === undefined) {
        visible = canSeeDocument(access, this.classes[c]);
        classVisible.set(c, visible);
      }
      if (visible) found.push(this.doc(d));
    }
    return found;
  }

  private byContributor(): Map<string, Set<string>> {
    if (this.byContributorMap) return this.byContributorMap;
    const map = new Map<string, Set<string>>();
    for (let d = 0; d < this.slots; d++) {
      if (!this.alive[d]) continue;
      for (const p of this.contribOf[d]) {
        const userId = this.contributors.values[p];
        const ids = map.get(userId);
        if (ids) ids.add(this.docIds[d]);
        else map.set(userId, new Set([this.docIds[d]]));
      }
    }
    this.byContributorMap = map;
    return map;
  }

  /** A document's contributors out of byContributor, from its numbers (no need to read the document). */
  private unindexContributors(d: number) {
    const map = this.byContributorMap;
    if (!map) return;
    const id = this.docIds[d];
    for (const p of this.contribOf[d]) {
      const userId = this.contributors.values[p];
      const ids = map.get(userId);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) map.delete(userId);
    }
  }

  /** Keeps byContributor in step (once built): a document's id under each of its contributors. */
  private indexContributors(doc: SearchDocument, add: boolean) {
    const map = this.byContributorMap;
    if (!map) return;
    for (const userId of contributorsOf(doc)) {
      let ids = map.get(userId);
      if (add) {
        if (!ids) {
          ids = new Set();
          map.set(userId, ids);
        }
        ids.add(doc.id);
      } else if (ids) {
        ids.delete(doc.id);
        if (ids.size === 0) map.delete(userId);
      }
    }
  }

  async suggest(prefix: string, access: AccessFilter, limit: number): Promise<Suggestion[]> {
    const text = prefix.trim();
    if (!text) return [];
    const terms = queryTerms(text);
    if (terms.length === 0) return [];
    this.markVisible(access, undefined, true);
    const fields = access.partnerOrg ? PARTNER_SUGGEST_FIELDS : SUGGEST_FIELDS;
    // Every word is a prefix, no typos, and every word must match.
    const specs = terms.map((term) => ({ term, prefix: true, fuzzy: 0 }));
    const { touched: touchedCount, distinct } = this.scoreTerms(specs, fields, new Set());
    const { score, matched, touched } = this;
    const found: number[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i];
      if (matched[d] !== distinct) continue;
      score[d] *= matched[d];
      found.push(d);
    }
    found.sort((a, b) => score[b] - score[a] || this.seqOf[a] - this.seqOf[b]);
    const result = found.slice(0, Math.max(0, limit)).map((d) => {
      const doc = this.doc(d);
      return { type: doc.type, title: doc.title, url: doc.url };
    });
    this.resetScratch(touchedCount);
    return result;
  }

  // ---- snapshots ----

  /**
   * The index's state, compacted first (so documents are numbered 0…n−1 and no posting is dead). A
   * document still held as snapshot bytes is copied as they are, not parsed and serialised again.
   */
  exportState(): FastIndexState {
    if (this.tombstones > 0) this.compact();
    const n = this.slots;
    if (n * TF_SCALE > 2 ** 31 - 1) throw new Error('Too many documents for a snapshot of 32-bit postings');
    this.sortTerms();
    const termCount = this.termText.length;
    const postingOffsets: Int32Array[] = [];
    const postingValues: Int32Array[] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const offsets = new Int32Array(termCount + 1);
      let total = 0;
      for (let id = 0; id < termCount; id++) {
        offsets[id] = total;
        total += this.postingList(f, id)?.length ?? 0;
      }
      offsets[termCount] = total;
      const values = new Int32Array(total);
      for (let id = 0; id < termCount; id++) {
        const list = this.postingList(f, id);
        if (list) values.set(list, offsets[id]);
      }
      postingOffsets.push(offsets);
      postingValues.push(values);
    }
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [];
    const documentEnds = new Float64Array(n);
    let bytes = 0;
    for (let d = 0; d < n; d++) {
      const doc = this.docs[d];
      const part = doc
        ? encoder.encode(JSON.stringify(doc))
        : this.docBytes.subarray(this.rawStart[d], this.rawEnd[d]);
      parts.push(part);
      bytes += part.byteLength;
      documentEnds[d] = bytes;
    }
    const documentBytes = new Uint8Array(bytes);
    for (let d = 0, at = 0; d < n; d++) {
      documentBytes.set(parts[d], at);
      at += parts[d].byteLength;
    }
    const contributorEnds = new Int32Array(n);
    let contributions = 0;
    for (let d = 0; d < n; d++) contributorEnds[d] = contributions += this.contribOf[d].length;
    const contributorValues = new Int32Array(contributions);
    for (let d = 0, at = 0; d < n; d++) {
      contributorValues.set(this.contribOf[d], at);
      at += this.contribOf[d].length;
    }
    return {
      documentBytes,
      documentEnds,
      ids: this.docIds.slice(0, n),
      updatedAt: this.updatedText.slice(0, n),
      seq: this.seqOf.slice(0, n),
      nextSeq: this.nextSeq,
      classes: this.classes.slice(),
      accessClass: this.accessClass.slice(0, n),
      types: this.types.values.slice(),
      typeOf: this.typeOf.slice(0, n),
      spaces: this.spaces.values.slice(),
      spaceOf: this.spaceOf.slice(0, n),
      authors: this.authors.values.slice(),
      authorOf: this.authorOf.slice(0, n),
      tags: this.tags.values.slice(),
      tagStart: this.tagStart.slice(0, n),
      tagCount: this.tagCount.slice(0, n),
      tagPool: this.tagPool.slice(0, this.tagPoolLength),
      contributors: this.contributors.values.slice(),
      contributorEnds,
      contributorValues,
      updatedMs: this.updatedMs.slice(0, n),
      fieldLength: this.fieldLength.map((lengths) => lengths.slice(0, n)),
      terms: this.termText.slice(),
      termMask: this.termMask.slice(0, termCount),
      postingOffsets,
      postingValues,
      sortedMain: Int32Array.from(this.sortedMain),
      sortedDelta: Int32Array.from(this.sortedDelta),
    };
  }

  /** An index from an exported state; throws on a state that does not hold together. */
  static fromState(
    state: FastIndexState,
    now: () => number = Date.now,
    options: FastIndexOptions = {},
  ): FastSearchIndex {
    const index = new FastSearchIndex(now, options);
    index.importState(state);
    return index;
  }

  /**
   * Takes the state's columns as they are (typed arrays copied into the index's own, postings kept as
   * views): no document is parsed and no derived structure is rebuilt per document, so loading costs
   * little more than reading the file.
   */
  private importState(state: FastIndexState) {
    const n = state.ids.length;
    const termCount = state.terms.length;
    const fits = (array: { length: number }, length: number) => {
      if (array.length !== length) throw new Error('Snapshot sections do not agree in length');
    };
    for (const column of [
      state.documentEnds,
      state.updatedAt,
      state.seq,
      state.accessClass,
      state.typeOf,
      state.spaceOf,
      state.authorOf,
      state.tagStart,
      state.tagCount,
      state.contributorEnds,
      state.updatedMs,
      ...state.fieldLength,
    ])
      fits(column, n);
    fits(state.termMask, termCount);
    if (n > 0 && state.documentEnds[n - 1] !== state.documentBytes.byteLength)
      throw new Error('Snapshot documents do not agree with their offsets');
    if (n > 0 && state.contributorEnds[n - 1] !== state.contributorValues.length)
      throw new Error('Snapshot contributors do not agree with their offsets');
    const within = (array: ArrayLike<number>, size: number, what: string) => {
      for (let i = 0; i < array.length; i++)
        if (!(array[i] >= 0 && array[i] < size)) throw new Error(`Snapshot names a ${what} it does not hold`);
    };
    within(state.accessClass, state.classes.length, 'class');
    within(state.typeOf, state.types.length, 'type');
    within(state.tagPool, state.tags.length, 'tag');
    within(state.contributorValues, state.contributors.length, 'contributor');
    for (const [column, values] of [
      [state.spaceOf, state.spaces],
      [state.authorOf, state.authors],
    ] as const)
      for (let d = 0; d < n; d++)
        if (column[d] < -1 || column[d] >= values.length)
          throw new Error('Snapshot names a value it does not hold');
    for (let d = 0; d < n; d++)
      if (state.tagStart[d] < 0 || state.tagStart[d] + state.tagCount[d] > state.tagPool.length)
        throw new Error('Snapshot tags do not agree with their offsets');

    this.ensureCapacity(n);
    const typeCode = state.types.map((type) => this.types.intern(type));
    for (const [interner, values] of [
      [this.spaces, state.spaces],
      [this.authors, state.authors],
      [this.tags, state.tags],
      [this.contributors, state.contributors],
    ] as const)
      for (const value of values) interner.intern(value);
    for (const cls of state.classes) {
      this.classIds.set(classKey(cls), this.classes.length);
      this.classes.push(cls);
    }
    this.docBytes = state.documentBytes;
    this.docs = new Array(n);
    this.texts = new Array(n);
    this.docIds = state.ids.slice();
    this.updatedText = state.updatedAt.slice();
    this.contribOf = new Array(n);
    this.byContributorMap = undefined;
    this.alive.fill(1, 0, n);
    this.accessClass.set(state.accessClass);
    this.spaceOf.set(state.spaceOf);
    this.authorOf.set(state.authorOf);
    this.updatedMs.set(state.updatedMs);
    this.seqOf.set(state.seq);
    this.tagStart.set(state.tagStart);
    this.tagCount.set(state.tagCount);
    if (state.tagPool.length > this.tagPool.length) this.tagPool = new Int32Array(state.tagPool.length);
    this.tagPool.set(state.tagPool);
    this.tagPoolLength = state.tagPool.length;
    for (let d = 0; d < n; d++) {
      this.typeOf[d] = typeCode[state.typeOf[d]];
      this.freshness[d] = Math.exp((this.updatedMs[d] - this.freshnessBase) / FRESHNESS_MS);
      this.rawStart[d] = d === 0 ? 0 : state.documentEnds[d - 1];
      this.rawEnd[d] = state.documentEnds[d];
      const contributorStart = d === 0 ? 0 : state.contributorEnds[d - 1];
      if (this.rawEnd[d] < this.rawStart[d] || state.contributorEnds[d] < contributorStart)
        throw new Error('Snapshot offsets are out of order');
      this.contribOf[d] = state.contributorValues.subarray(contributorStart, state.contributorEnds[d]);
      this.ids.set(this.docIds[d], d);
    }
    if (this.ids.size !== n) throw new Error('Snapshot holds a document twice');
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.fieldLength[f].set(state.fieldLength[f]);
      let total = 0;
      for (let d = 0; d < n; d++) total += state.fieldLength[f][d];
      this.totalFieldLength[f] = total;
    }
    this.slots = n;
    this.live = n;
    this.nextSeq = state.nextSeq;

    while (this.termCapacity < termCount) this.termCapacity *= 2;
    this.termMask = new Int32Array(this.termCapacity);
    this.termMask.set(state.termMask);
    this.termFreq = new Int32Array(this.termCapacity);
    this.docFreq = Array.from({ length: FIELD_COUNT }, () => new Int32Array(this.termCapacity));
    this.termText = state.terms.slice();
    this.dict = new Map();
    this.byLength = [];
    for (let id = 0; id < termCount; id++) {
      const term = this.termText[id];
      this.dict.set(term, id);
      const sameLength = this.byLength[term.length];
      if (sameLength) sameLength.push(id);
      else this.byLength[term.length] = [id];
    }
    if (this.dict.size !== termCount) throw new Error('Snapshot holds a term twice');
    const limit = n * TF_SCALE;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const offsets = state.postingOffsets[f];
      const values = state.postingValues[f];
      fits(offsets, termCount + 1);
      if (offsets[0] !== 0 || offsets[termCount] !== values.length)
        throw new Error('Snapshot postings do not agree with their offsets');
      for (let i = 0; i < values.length; i++)
        if (values[i] < 0 || values[i] >= limit)
          throw new Error('Snapshot posting names a document it does not hold');
      const freq = this.docFreq[f];
      for (let id = 0; id < termCount; id++) {
        const count = offsets[id + 1] - offsets[id];
        if (count < 0) throw new Error('Snapshot postings are out of order');
        freq[id] = count;
      }
      this.postings[f] = new Array(termCount);
    }
    this.basePostings = state.postingOffsets.map((offsets, f) => ({
      offsets,
      values: state.postingValues[f],
    }));
    this.baseTerms = termCount;
    within(state.sortedMain, termCount, 'term');
    within(state.sortedDelta, termCount, 'term');
    this.sortedMain = Array.from(state.sortedMain);
    this.sortedDelta = Array.from(state.sortedDelta);
    this.unsorted = [];
  }

  /** A document: the one held, or the snapshot's bytes parsed (not kept: an answer shows a few). */
  private doc(d: number): SearchDocument {
    return (
      this.docs[d] ??
      (JSON.parse(
        this.decoder.decode(this.docBytes.subarray(this.rawStart[d], this.rawEnd[d])),
      ) as SearchDocument)
    );
  }

  /** A document's field texts (what its postings were made from). */
  private textsOf(d: number): string[] {
    return this.texts[d] ?? fieldTexts(this.doc(d));
  }

  /** A term's postings in a field: the list writes made, or a view into the snapshot's. */
  private postingList(f: number, id: number): number[] | Int32Array | undefined {
    const own = this.postings[f][id];
    if (own !== undefined || !this.basePostings || id >= this.baseTerms) return own;
    const { offsets, values } = this.basePostings[f];
    const start = offsets[id];
    const end = offsets[id + 1];
    return end > start ? values.subarray(start, end) : undefined;
  }

  /** Makes every snapshot list the index's own (before a compaction rewrites them in place). */
  private ownPostings() {
    if (!this.basePostings) return;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const lists = this.postings[f];
      for (let id = 0; id < this.baseTerms; id++)
        if (lists[id] === undefined) lists[id] = this.postingList(f, id);
    }
    this.basePostings = undefined;
    this.baseTerms = 0;
  }

  // ---- documents ----

  private addDocument(doc: SearchDocument, texts: string[], seq: number) {
    this.indexContributors(doc, true);
    const d = this.slots++;
    this.ensureCapacity(this.slots);
    this.alive[d] = 1;
    this.docs[d] = doc;
    this.texts[d] = texts;
    this.seqOf[d] = seq;
    this.setAttributes(d, doc, false);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const distinct = this.fieldTermIds(texts[f], true);
      const length = this.lastFieldLength;
      this.fieldLength[f][d] = length;
      this.totalFieldLength[f] += length;
      const lists = this.postings[f];
      const freq = this.docFreq[f];
      const { termFreq, termIds } = this;
      for (let i = 0; i < distinct; i++) {
        const id = termIds[i];
        const tf = termFreq[id];
        termFreq[id] = 0;
        let list = this.postingList(f, id);
        if (!list) lists[id] = list = [];
        else if (!Array.isArray(list)) lists[id] = list = Array.from(list);
        list.push(d * TF_SCALE + Math.min(tf, TF_MAX));
        freq[id]++;
      }
    }
    this.live++;
    this.ids.set(doc.id, d);
  }

  private setAttributes(d: number, doc: SearchDocument, hasTagSlot: boolean) {
    this.docIds[d] = doc.id;
    this.updatedText[d] = doc.updatedAt;
    this.accessClass[d] = this.classOf(doc);
    this.typeOf[d] = this.types.intern(doc.type);
    this.spaceOf[d] = doc.spaceId ? this.spaces.intern(doc.spaceId) : -1;
    this.authorOf[d] = doc.authorId ? this.authors.intern(doc.authorId) : -1;
    this.contribOf[d] = Int32Array.from(contributorsOf(doc), (id) => this.contributors.intern(id));
    this.updatedMs[d] = Date.parse(doc.updatedAt);
    this.freshness[d] = Math.exp((this.updatedMs[d] - this.freshnessBase) / FRESHNESS_MS);
    const tags = doc.tags ?? [];
    if (hasTagSlot && tags.length <= this.tagCount[d]) {
      // Re-upserts with the same text (likes, dates) rewrite their tags in place.
      for (let i = 0; i < tags.length; i++) this.tagPool[this.tagStart[d] + i] = this.tags.intern(tags[i]);
      this.tagCount[d] = tags.length;
      return;
    }
    if (this.tagPoolLength + tags.length > this.tagPool.length)
      this.tagPool = grown(this.tagPool, Math.max(this.tagPool.length * 2, this.tagPoolLength + tags.length));
    this.tagStart[d] = this.tagPoolLength;
    this.tagCount[d] = tags.length;
    for (const tag of tags) this.tagPool[this.tagPoolLength++] = this.tags.intern(tag);
  }

  /**
   * Documents that agree on everything canSeeDocument reads share an access class; a query evaluates
   * the rule once per class. Keep this key in step with access.ts.
   */
  private classOf(doc: SearchDocument): number {
    const partnerOrgs = doc.partnerOrgs ?? [];
    const key = classKey(doc);
    let id = this.classIds.get(key);
    if (id === undefined) {
      id = this.classes.length;
      this.classIds.set(key, id);
      this.classes.push({
        type: doc.type,
        org: doc.org,
        audience: doc.audience,
        spaceId: doc.spaceId,
        partnerOrgs: [...partnerOrgs],
        ...(doc.audience === 'private' ? { authorId: doc.authorId } : {}),
        ...(doc.type === 'bookmark' && doc.authorOrg ? { authorOrg: doc.authorOrg } : {}),
      } as SearchDocument);
    }
    return id;
  }

  private tombstone(d: number) {
    this.unindexContributors(d);
    const texts = this.textsOf(d);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const distinct = this.fieldTermIds(texts[f], false);
      const freq = this.docFreq[f];
      const { termFreq, termIds } = this;
      for (let i = 0; i < distinct; i++) {
        freq[termIds[i]]--;
        termFreq[termIds[i]] = 0;
      }
      this.totalFieldLength[f] -= this.fieldLength[f][d];
    }
    this.alive[d] = 0;
    this.docs[d] = undefined;
    this.texts[d] = undefined;
    this.docIds[d] = '';
    this.updatedText[d] = '';
    this.live--;
    this.tombstones++;
  }

  private ensureCapacity(size: number) {
    if (size <= this.capacity) return;
    const next = Math.max(1024, this.capacity * 2, size);
    this.alive = grown(this.alive, next);
    this.accessClass = grown(this.accessClass, next);
    this.typeOf = grown(this.typeOf, next);
    this.spaceOf = grown(this.spaceOf, next);
    this.authorOf = grown(this.authorOf, next);
    this.updatedMs = grown(this.updatedMs, next);
    this.freshness = grown(this.freshness, next);
    this.seqOf = grown(this.seqOf, next);
    this.rawStart = grown(this.rawStart, next);
    this.rawEnd = grown(this.rawEnd, next);
    this.tagStart = grown(this.tagStart, next);
    this.tagCount = grown(this.tagCount, next);
    this.fieldLength = this.fieldLength.map((lengths) => grown(lengths, next));
    this.score = grown(this.score, next);
    this.matched = grown(this.matched, next);
    this.lastStamp = grown(this.lastStamp, next);
    this.visible = grown(this.visible, next);
    this.touched = grown(this.touched, next);
    this.capacity = next;
  }

  /**
   * The distinct term ids of a field's text into `termIds` (returned: how many), their frequencies in
   * `termFreq` (the caller resets them), and MiniSearch's field length — distinct raw tokens, an empty
   * one included — in `lastFieldLength`. One dictionary lookup per token.
   */
  private fieldTermIds(text: string, create: boolean): number {
    const tokens = text.split(SEPARATOR);
    const plain = !NEEDS_NORMALISING.test(text);
    if (tokens.length > this.termIds.length) this.termIds = new Int32Array(tokens.length * 2);
    let distinct = 0;
    let empty = 0;
    for (let i = 0; i < tokens.length; i++) {
      const term = plain ? tokens[i] : normaliseTerm(tokens[i]);
      if (term === '') {
        empty = 1;
        continue;
      }
      const id = create ? this.termId(term) : this.dict.get(term)!;
      if (this.termFreq[id]++ === 0) this.termIds[distinct++] = id;
    }
    this.lastFieldLength = plain ? distinct + empty : new Set(tokens).size;
    return distinct;
  }

  private compactIfDue() {
    if (this.tombstones >= this.compactMin && this.tombstones >= this.compactRatio * this.slots)
      this.compact();
  }

  /** Drops tombstoned documents from postings and renumbers documents and terms, keeping their order. */
  compact(): void {
    if (this.tombstones === 0) return;
    this.ownPostings();
    const n = this.slots;
    const renumber = new Int32Array(n);
    let m = 0;
    for (let d = 0; d < n; d++) renumber[d] = this.alive[d] ? m++ : -1;

    const pool = new Int32Array(Math.max(1024, this.tagPoolLength));
    let poolLength = 0;
    for (let d = 0; d < n; d++) {
      const t = renumber[d];
      if (t < 0) continue;
      const start = this.tagStart[d];
      const count = this.tagCount[d];
      for (let i = 0; i < count; i++) pool[poolLength + i] = this.tagPool[start + i];
      this.tagStart[t] = poolLength;
      this.tagCount[t] = count;
      poolLength += count;
      if (t === d) continue;
      this.alive[t] = 1;
      this.accessClass[t] = this.accessClass[d];
      this.typeOf[t] = this.typeOf[d];
      this.spaceOf[t] = this.spaceOf[d];
      this.authorOf[t] = this.authorOf[d];
      this.updatedMs[t] = this.updatedMs[d];
      this.freshness[t] = this.freshness[d];
      this.seqOf[t] = this.seqOf[d];
      this.rawStart[t] = this.rawStart[d];
      this.rawEnd[t] = this.rawEnd[d];
      for (const lengths of this.fieldLength) lengths[t] = lengths[d];
      this.docs[t] = this.docs[d];
      this.contribOf[t] = this.contribOf[d];
      this.texts[t] = this.texts[d];
      this.docIds[t] = this.docIds[d];
      this.updatedText[t] = this.updatedText[d];
    }
    this.alive.fill(0, m, n);
    this.docs.length = m;
    this.contribOf.length = m;
    this.texts.length = m;
    this.docIds.length = m;
    this.updatedText.length = m;
    this.tagPool = pool;
    this.tagPoolLength = poolLength;
    for (const [id, d] of this.ids) this.ids.set(id, renumber[d]);

    // Postings: drop tombstones, renumber, and find terms no live document holds any more.
    const termCount = this.termText.length;
    const termAlive = new Uint8Array(termCount);
    for (const lists of this.postings) {
      for (let id = 0; id < termCount; id++) {
        let list = lists[id];
        if (!list) continue;
        if (!Array.isArray(list)) lists[id] = list = Array.from(list);
        let w = 0;
        for (let i = 0; i < list.length; i++) {
          const v = list[i];
          const t = renumber[(v / TF_SCALE) | 0];
          if (t >= 0) list[w++] = t * TF_SCALE + (v & TF_MAX);
        }
        if (w === 0) lists[id] = undefined;
        else {
          list.length = w;
          termAlive[id] = 1;
        }
      }
    }
    this.slots = m;
    this.tombstones = 0;
    this.pruneTerms(termAlive);
  }

  private pruneTerms(termAlive: Uint8Array) {
    const count = this.termText.length;
    const renumber = new Int32Array(count);
    let kept = 0;
    for (let id = 0; id < count; id++) renumber[id] = termAlive[id] ? kept++ : -1;
    if (kept === count) return;
    for (let id = 0; id < count; id++) {
      const t = renumber[id];
      if (t < 0 || t === id) continue;
      this.termText[t] = this.termText[id];
      this.termMask[t] = this.termMask[id];
      for (let f = 0; f < FIELD_COUNT; f++) {
        this.postings[f][t] = this.postings[f][id];
        this.docFreq[f][t] = this.docFreq[f][id];
      }
    }
    this.termText.length = kept;
    for (let f = 0; f < FIELD_COUNT; f++) {
      this.postings[f].length = kept;
      this.docFreq[f].fill(0, kept, count);
    }
    this.dict = new Map(this.termText.map((term, id) => [term, id]));
    const keep = (ids: number[]) => ids.filter((id) => renumber[id] >= 0).map((id) => renumber[id]);
    this.byLength = this.byLength.map((ids) => (ids ? keep(ids) : ids));
    this.sortedMain = keep(this.sortedMain);
    this.sortedDelta = keep(this.sortedDelta);
    this.unsorted = keep(this.unsorted);
  }

  // ---- terms ----

  private termId(term: string): number {
    let id = this.dict.get(term);
    if (id !== undefined) return id;
    id = this.termText.length;
    if (id >= this.termCapacity) {
      this.termCapacity *= 2;
      this.termMask = grown(this.termMask, this.termCapacity);
      this.docFreq = this.docFreq.map((freq) => grown(freq, this.termCapacity));
      this.termFreq = grown(this.termFreq, this.termCapacity);
    }
    this.dict.set(term, id);
    this.termText.push(term);
    this.termMask[id] = charMask(term);
    for (const lists of this.postings) lists.push(undefined);
    const sameLength = this.byLength[term.length];
    if (sameLength) sameLength.push(id);
    else this.byLength[term.length] = [id];
    this.unsorted.push(id);
    return id;
  }

  private liveFrequency(id: number, fields: number[]): number {
    let total = 0;
    for (const f of fields) total += this.docFreq[f][id];
    return total;
  }

  /** Folds new terms into the sorted lists (lazily, at the first prefix query after writes). */
  private sortTerms() {
    if (this.unsorted.length === 0) return;
    const text = this.termText;
    const byText = (a: number, b: number) => (text[a] < text[b] ? -1 : text[a] > text[b] ? 1 : 0);
    const merge = (a: number[], b: number[]) => {
      const out = new Array<number>(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < a.length && j < b.length) out[k++] = byText(a[i], b[j]) <= 0 ? a[i++] : b[j++];
      while (i < a.length) out[k++] = a[i++];
      while (j < b.length) out[k++] = b[j++];
      return out;
    };
    this.sortedDelta = merge(this.sortedDelta, this.unsorted.sort(byText));
    this.unsorted = [];
    if (this.sortedDelta.length > 4096) {
      this.sortedMain = merge(this.sortedMain, this.sortedDelta);
      this.sortedDelta = [];
    }
  }

  private *withPrefix(prefix: string): Generator<number> {
    const text = this.termText;
    for (const sorted of [this.sortedMain, this.sortedDelta]) {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (text[sorted[mid]] < prefix) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < sorted.length && text[sorted[i]].startsWith(prefix); i++) yield sorted[i];
    }
  }

  /** The index terms a query word stands for, with MiniSearch's weights: exact, prefix, typo. */
  private expand(spec: TermSpec, fields: number[]): Expansion[] {
    const { term } = spec;
    const out: Expansion[] = [];
    const exact = this.dict.get(term);
    if (exact !== undefined) out.push({ termId: exact, weight: 1 });
    if (spec.prefix) {
      this.sortTerms();
      const found: { id: number; freq: number }[] = [];
      for (const id of this.withPrefix(term)) {
        if (id === exact) continue;
        const freq = this.liveFrequency(id, fields);
        if (freq > 0) found.push({ id, freq });
      }
      if (found.length > this.maxPrefix) {
        found.sort((a, b) => b.freq - a.freq || a.id - b.id);
        found.length = this.maxPrefix;
      }
      for (const { id } of found) {
        const length = this.termText[id].length;
        const distance = length - term.length;
        out.push({ termId: id, weight: (PREFIX_WEIGHT * length) / (length + 0.3 * distance) });
      }
    }
    if (spec.fuzzy > 0) {
      const max = spec.fuzzy;
      const mask = charMask(term);
      const found: { id: number; freq: number; distance: number }[] = [];
      for (let length = Math.max(1, term.length - max); length <= term.length + max; length++) {
        const ids = this.byLength[length];
        if (!ids) continue;
        for (const id of ids) {
          if (id === exact || popcount(mask ^ this.termMask[id]) > 2 * max) continue;
          const candidate = this.termText[id];
          // A term the word is a prefix of always counts as a prefix match (as in MiniSearch).
          if (spec.prefix && length > term.length && candidate.startsWith(term)) continue;
          const freq = this.liveFrequency(id, fields);
          if (freq === 0) continue;
          const distance = this.editDistance(term, candidate, max);
          if (distance <= max) found.push({ id, freq, distance });
        }
      }
      if (found.length > this.maxFuzzy) {
        found.sort((a, b) => a.distance - b.distance || b.freq - a.freq || a.id - b.id);
        found.length = this.maxFuzzy;
      }
      for (const { id, distance } of found) {
        const length = this.termText[id].length;
        out.push({ termId: id, weight: (FUZZY_WEIGHT * length) / (length + distance) });
      }
    }
    return out;
  }

  /** Levenshtein distance within a band of `max`; anything above `max` is reported as max + 1. */
  private editDistance(a: string, b: string, max: number): number {
    const n = a.length;
    const m = b.length;
    if (m + 1 > this.levRows[0].length) this.levRows = [new Int32Array(m + 64), new Int32Array(m + 64)];
    let [prev, cur] = this.levRows;
    for (let j = 0; j <= m; j++) prev[j] = j;
    for (let i = 1; i <= n; i++) {
      const lo = Math.max(1, i - max);
      const hi = Math.min(m, i + max);
      cur[0] = i;
      if (lo > 1) cur[lo - 1] = max + 1;
      let rowMin = lo > 1 ? max + 1 : i;
      const ca = a.charCodeAt(i - 1);
      for (let j = lo; j <= hi; j++) {
        let v = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
        const deletion = prev[j] + 1;
        if (deletion < v) v = deletion;
        const insertion = cur[j - 1] + 1;
        if (insertion < v) v = insertion;
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (hi < m) cur[hi + 1] = max + 1;
      if (rowMin > max) return max + 1;
      [prev, cur] = [cur, prev];
    }
    return prev[m] <= max ? prev[m] : max + 1;
  }

  // ---- queries ----

  /**
   * visible[d] = 1 for live documents the caller may read that pass the query's filters. Computed
   * before scoring, so nothing else is ever scored, counted or shown.
   */
  private markVisible(access: AccessFilter, query: SearchQuery | undefined, suggesting: boolean) {
    const classVisible = new Uint8Array(this.classes.length);
    for (let c = 0; c < this.classes.length; c++)
      classVisible[c] = canSeeDocument(access, this.classes[c]) ? 1 : 0;
    const { alive, accessClass, visible, typeOf } = this;
    const n = this.slots;
    for (let d = 0; d < n; d++) visible[d] = alive[d] & classVisible[accessClass[d]];
    if (suggesting) for (let d = 0; d < n; d++) if (typeOf[d] === COMMENT) visible[d] = 0;
    if (!query) return;

    if (query.types?.length) {
      const allowed = new Uint8Array(this.types.values.length);
      for (const type of query.types) {
        const code = this.types.find(type);
        if (code >= 0) allowed[code] = 1;
      }
      for (let d = 0; d < n; d++) if (visible[d] && !allowed[typeOf[d]]) visible[d] = 0;
    }
    if (query.spaceId) {
      const space = this.spaces.find(query.spaceId);
      // An unknown space (-1) must not match documents that have none.
      for (let d = 0; d < n; d++) if (visible[d] && (space < 0 || this.spaceOf[d] !== space)) visible[d] = 0;
    }
    if (query.tag) {
      const tag = this.tags.find(query.tag);
      for (let d = 0; d < n; d++) {
        if (!visible[d]) continue;
        let has = false;
        const end = this.tagStart[d] + this.tagCount[d];
        for (let i = this.tagStart[d]; i < end && !has; i++) has = this.tagPool[i] === tag;
        if (!has) visible[d] = 0;
      }
    }
    if (query.authorId) {
      const author = this.authors.find(query.authorId);
      const suffix = `:${query.authorId}`;
      for (let d = 0; d < n; d++) {
        if (!visible[d] || (author >= 0 && this.authorOf[d] === author)) continue;
        if (!(typeOf[d] === PROFILE && this.docIds[d].endsWith(suffix))) visible[d] = 0;
      }
    }
    if (query.from || query.to) {
      const { from, to } = query;
      for (let d = 0; d < n; d++) {
        if (!visible[d]) continue;
        const updatedAt = this.updatedText[d];
        if ((from && updatedAt < from) || (to && updatedAt.slice(0, to.length) > to)) visible[d] = 0;
      }
    }
  }

  /**
   * Scores every visible document matching any of the words into `score` (BM25+ per field, summed)
   * and counts in `matched` how many distinct words each matched. Returns the touched count.
   */
  private scoreTerms(specs: TermSpec[], fields: number[], derived: Set<string>) {
    // Specs of the same word are scored together, so `matched` counts distinct words.
    const words = [...new Set(specs.map((s) => s.term))];
    const n = this.live;
    let touchedCount = 0;
    if (n === 0) return { touched: 0, distinct: words.length };
    const { score, matched, lastStamp, visible, touched } = this;
    if (this.stamp > 2_000_000_000) {
      this.lastStamp.fill(0);
      this.stamp = 0;
    }
    for (const word of words) {
      const stamp = ++this.stamp;
      for (const spec of specs) {
        if (spec.term !== word) continue;
        for (const { termId, weight } of this.expand(spec, fields)) {
          derived.add(this.termText[termId]);
          for (const f of fields) {
            const list = this.postingList(f, termId);
            const df = this.docFreq[f][termId];
            if (!list || df <= 0) continue;
            const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            const average = this.totalFieldLength[f] / n;
            const lengths = this.fieldLength[f];
            const factor = weight * BOOST[f];
            for (let i = 0; i < list.length; i++) {
              const v = list[i];
              const d = (v / TF_SCALE) | 0;
              if (!visible[d]) continue;
              const tf = v & TF_MAX;
              score[d] +=
                factor * (idf * (DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[d]) / average))));
              if (lastStamp[d] !== stamp) {
                lastStamp[d] = stamp;
                if (matched[d]++ === 0) touched[touchedCount++] = d;
              }
            }
          }
        }
      }
    }
    return { touched: touchedCount, distinct: words.length };
  }

  /** One pass over the matches: final scores, facets, authors, and the top of the ranking. */
  private collect(
    query: SearchQuery,
    touchedCount: number,
    fields: number[],
    derived: Set<string>,
  ): SearchResult {
    const { score, matched, touched, typeOf, spaceOf, authorOf, updatedMs, seqOf, tagPool, tagStart } = this;
    const { freshness } = this;
    const tagCountOf = this.tagCount;
    // freshnessBoost = 1 + 0.5·exp(−max(0, now − updatedAt) / 30 days) = 1 + 0.5·min(1, freshness·decay).
    const decay = Math.exp(-(this.now() - this.freshnessBase) / FRESHNESS_MS);
    const better = (a: number, b: number) =>
      score[a] > score[b] ||
      (score[a] === score[b] &&
        (updatedMs[a] > updatedMs[b] || (updatedMs[a] === updatedMs[b] && seqOf[a] < seqOf[b])));

    const typeCounts = new Int32Array(this.types.values.length);
    const spaceCounts = new Int32Array(this.spaces.values.length);
    const spacesSeen: number[] = [];
    const tagCounts = new Int32Array(this.tags.values.length);
    const tagsSeen: number[] = [];
    const authorCount = this.authors.values.length;
    const authorScore = new Float64Array(authorCount);
    const evidence = new Int32Array(authorCount * EVIDENCE);
    const evidenceCount = new Uint8Array(authorCount);
    const authorsSeen: number[] = [];

    // The page needs the best offset+limit matches: a bounded heap with the worst on top.
    const k = Math.max(0, query.offset) + Math.max(0, query.limit);
    const heap = new Int32Array(Math.min(k, touchedCount));
    let heapSize = 0;
    const siftDown = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heapSize) return;
        const r = l + 1;
        const worse = r < heapSize && better(heap[l], heap[r]) ? r : l;
        if (!better(heap[i], heap[worse])) return;
        [heap[i], heap[worse]] = [heap[worse], heap[i]];
        i = worse;
      }
    };

    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i];
      const fading = freshness[d] * decay;
      const s = score[d] * matched[d] * (1 + 0.5 * Math.min(fading, 1));
      score[d] = s;

      typeCounts[typeOf[d]]++;
      const space = spaceOf[d];
      if (space >= 0 && spaceCounts[space]++ === 0) spacesSeen.push(space);
      const tagEnd = tagStart[d] + tagCountOf[d];
      for (let t = tagStart[d]; t < tagEnd; t++) if (tagCounts[tagPool[t]]++ === 0) tagsSeen.push(tagPool[t]);

      const author = authorOf[d];
      if (author >= 0 && typeOf[d] !== PROFILE) {
        if (evidenceCount[author] === 0) authorsSeen.push(author);
        authorScore[author] += s;
        // Keep the author's best documents, best first.
        const base = author * EVIDENCE;
        const count = evidenceCount[author];
        if (count < EVIDENCE || s >= score[evidence[base + EVIDENCE - 1]]) {
          let at = count;
          while (at > 0 && better(d, evidence[base + at - 1])) at--;
          if (at < EVIDENCE) {
            for (let j = Math.min(count, EVIDENCE - 1); j > at; j--)
              evidence[base + j] = evidence[base + j - 1];
            evidence[base + at] = d;
            if (count < EVIDENCE) evidenceCount[author] = count + 1;
          }
        }
      }

      if (heapSize < heap.length) {
        let j = heapSize++;
        heap[j] = d;
        while (j > 0) {
          const parent = (j - 1) >> 1;
          if (!better(heap[parent], heap[j])) break;
          [heap[parent], heap[j]] = [heap[j], heap[parent]];
          j = parent;
        }
      } else if (heapSize > 0 && s >= score[heap[0]] && better(d, heap[0])) {
        heap[0] = d;
        siftDown(0);
      }
    }

    const ranked = Array.from(heap.subarray(0, heapSize)).sort((a, b) => (better(a, b) ? -1 : 1));
    const page = ranked.slice(Math.max(0, query.offset));
    const facet = (value: string, count: number): FacetCount => ({ value, count });
    const byCount = (a: FacetCount, b: FacetCount) => b.count - a.count || a.value.localeCompare(b.value);

    const typeFacet: FacetCount[] = [];
    typeCounts.forEach((count, code) => {
      if (count > 0) typeFacet.push(facet(this.types.values[code], count));
    });
    const spaceFacet = spacesSeen.map((s) => facet(this.spaces.values[s], spaceCounts[s]));
    // Only the top tags are shown: sort just those that can reach them.
    let tagCandidates = tagsSeen;
    if (tagsSeen.length > RESULT_LIMITS.tagFacet) {
      const counts = Int32Array.from(tagsSeen, (t) => tagCounts[t]).sort();
      const threshold = counts[counts.length - RESULT_LIMITS.tagFacet];
      tagCandidates = tagsSeen.filter((t) => tagCounts[t] >= threshold);
    }
    const tagFacet = tagCandidates.map((t) => facet(this.tags.values[t], tagCounts[t]));

    const topAuthors: number[] = [];
    const authorBefore = (a: number, b: number) =>
      authorScore[a] > authorScore[b] ||
      (authorScore[a] === authorScore[b] && better(evidence[a * EVIDENCE], evidence[b * EVIDENCE]));
    for (const a of authorsSeen) {
      let at = topAuthors.length;
      while (at > 0 && authorBefore(a, topAuthors[at - 1])) at--;
      if (at < RESULT_LIMITS.authors) {
        topAuthors.splice(at, 0, a);
        if (topAuthors.length > RESULT_LIMITS.authors) topAuthors.pop();
      }
    }

    return {
      total: touchedCount,
      hits: page.map((d) => {
        const doc = this.doc(d);
        const terms = this.termsIn(d, doc, fields, derived);
        return {
          document: doc,
          score: score[d],
          snippet: highlight(excerptAround(doc.body, terms), terms),
          titleHighlight: highlight(doc.title, terms),
        };
      }),
      facets: {
        type: typeFacet.sort(byCount),
        space: spaceFacet.sort(byCount),
        tag: tagFacet.sort(byCount).slice(0, RESULT_LIMITS.tagFacet),
      },
      authors: topAuthors.map((a) => {
        const documents: SearchDocument[] = [];
        for (let j = 0; j < evidenceCount[a]; j++) documents.push(this.doc(evidence[a * EVIDENCE + j]));
        const best = documents[0];
        return {
          authorId: this.authors.values[a],
          authorName: best.authorName ?? this.authors.values[a],
          ...(best.authorOrg ? { authorOrg: best.authorOrg } : {}),
          score: authorScore[a],
          documents,
        };
      }),
    };
  }

  /** The index terms behind a hit (what MiniSearch reports as `terms`), for its highlights. */
  private termsIn(d: number, doc: SearchDocument, fields: number[], derived: Set<string>): string[] {
    if (derived.size === 0) return [];
    const found = new Set<string>();
    const texts = this.texts[d] ?? fieldTexts(doc);
    const { termFreq, termIds, termText } = this;
    for (const f of fields) {
      const distinct = this.fieldTermIds(texts[f], false);
      for (let i = 0; i < distinct; i++) {
        termFreq[termIds[i]] = 0;
        const term = termText[termIds[i]];
        if (derived.has(term)) found.add(term);
      }
    }
    return [...found];
  }

  private resetScratch(touchedCount: number) {
    const { score, matched, touched } = this;
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i];
      score[d] = 0;
      matched[d] = 0;
    }
  }
}
