/**
 * Expertise from real work: how much one visible document says about its contributors, and the
 * reference ranking over a list of documents that the embedded engines use (the OpenSearch adapter
 * computes the same numbers in its query: index-queries.ts, expertiseBody).
 *
 * The score of a document does not depend on text relevance: a document either matches the topic
 * (as a search would match it) or not, and counts by what kind of work it is × how recent it is ×
 * whether its tags name the topic. That keeps both engines' answers identical (BM25 differs between
 * them) and makes the reason for a rank explainable: "3 posts and a page, recent".
 */
import type {
  ActivityPage,
  ActivityResult,
  ExpertiseResult,
  SearchDocument,
  SearchType,
  TopicWeight,
} from './search-document';

/** Wrote a post > edited a page > commented or saved a link. Profiles are claims, not work. */
export const CONTRIBUTION_WEIGHT: Readonly<Record<SearchType, number>> = {
  post: 3,
  page: 2,
  comment: 1,
  bookmark: 1,
  profile: 0,
};
export const CONTRIBUTION_TYPES: readonly SearchType[] = ['post', 'page', 'comment', 'bookmark'];
/** The contributor tagged the document with the topic itself. */
export const TAGGED_FACTOR = 1.5;
/** Recency: half the weight (above a floor of a quarter) every 180 days. */
export const RECENCY_HALF_LIFE_DAYS = 180;
export const RECENCY_FLOOR = 0.25;
const DAY_MS = 86_400_000;

/** Who did the work of a document: its contributors, or (documents indexed before them) its author. */
export function contributorsOf(doc: SearchDocument): string[] {
  if (doc.contributors?.length) return doc.contributors;
  return doc.authorId ? [doc.authorId] : [];
}

/** kind × tagged × recency from numbers (the fast engine keeps updatedAt as milliseconds). */
export function contributionScoreOf(weight: number, tagged: boolean, updatedMs: number, now: number): number {
  const ageDays = Math.max(0, now - updatedMs) / DAY_MS;
  const fresh = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 2 ** (-ageDays / RECENCY_HALF_LIFE_DAYS);
  return weight * (tagged ? TAGGED_FACTOR : 1) * fresh;
}

/** kind × tagged × recency; `topicTag` is the topic read as a tag (undefined when it is not one). */
export function contributionScore(doc: SearchDocument, topicTag: string | undefined, now: number): number {
  const tagged = topicTag !== undefined && doc.tags.includes(topicTag);
  return contributionScoreOf(CONTRIBUTION_WEIGHT[doc.type], tagged, Date.parse(doc.updatedAt), now);
}

/** Evidence order: the strongest contribution first, then the newest, then by id. */
function evidenceOrder(a: { doc: SearchDocument; score: number }, b: { doc: SearchDocument; score: number }) {
  return (
    b.score - a.score ||
    b.doc.updatedAt.localeCompare(a.doc.updatedAt) ||
    (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0)
  );
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Groups visible matching documents by contributor: the sum of their contribution scores, best first
 * (ties by user id), with each person's strongest documents as evidence.
 */
export function rankContributors(
  matches: Iterable<SearchDocument>,
  options: { topicTag?: string; now: number; limit: number; evidence: number },
): ExpertiseResult {
  const people = new Map<
    string,
    { score: number; contributions: number; docs: { doc: SearchDocument; score: number }[] }
  >();
  let total = 0;
  for (const doc of matches) {
    if (!CONTRIBUTION_WEIGHT[doc.type]) continue;
    total++;
    const score = contributionScore(doc, options.topicTag, options.now);
    for (const userId of contributorsOf(doc)) {
      let entry = people.get(userId);
      if (!entry) {
        entry = { score: 0, contributions: 0, docs: [] };
        people.set(userId, entry);
      }
      entry.score += score;
      entry.contributions++;
      entry.docs.push({ doc, score });
    }
  }
  const ranked = [...people.entries()]
    .sort(([a, x], [b, y]) => y.score - x.score || byKey(a, b))
    .slice(0, Math.max(0, options.limit));
  return {
    total,
    people: ranked.map(([userId, entry]) => ({
      userId,
      score: entry.score,
      contributions: entry.contributions,
      evidence: entry.docs
        .sort(evidenceOrder)
        .slice(0, options.evidence)
        .map((e) => e.doc),
    })),
  };
}

/** The tags of one person's visible contributions, weighted by kind × recency (no tagged factor). */
export function rankTopics(
  docs: Iterable<SearchDocument>,
  userId: string,
  limit: number,
  now: number,
): TopicWeight[] {
  const topics = new Map<string, TopicWeight>();
  for (const doc of docs) {
    if (!CONTRIBUTION_WEIGHT[doc.type] || !contributorsOf(doc).includes(userId)) continue;
    const score = contributionScore(doc, undefined, now);
    for (const tag of doc.tags) {
      const entry = topics.get(tag) ?? { tag, score: 0, count: 0 };
      entry.score += score;
      entry.count++;
      topics.set(tag, entry);
    }
  }
  return [...topics.values()].sort((a, b) => b.score - a.score || byKey(a.tag, b.tag)).slice(0, limit);
}

/** Is `doc` after the cursor in activity order (updatedAt descending, id ascending)? */
export function afterCursor(doc: SearchDocument, after: ActivityPage['after']): boolean {
  if (!after) return true;
  return doc.updatedAt < after.updatedAt || (doc.updatedAt === after.updatedAt && doc.id > after.id);
}

/** One page of a person's visible contributions, newest first. */
export function pageActivity(
  docs: Iterable<SearchDocument>,
  userId: string,
  page: ActivityPage,
): ActivityResult {
  const mine: SearchDocument[] = [];
  for (const doc of docs)
    if (CONTRIBUTION_WEIGHT[doc.type] && contributorsOf(doc).includes(userId) && afterCursor(doc, page.after))
      mine.push(doc);
  mine.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || byKey(a.id, b.id));
  return { documents: mine.slice(0, page.limit), more: mine.length > page.limit };
}
