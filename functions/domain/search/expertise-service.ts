/**
 * "Who knows about X", "knows about" and a person's activity, for a caller: what they may read is
 * worked out once (SearchService.accessFor) and applied inside the index's one query; the people it
 * ranks are then read in one BatchGetItem, to name them, to drop anyone the caller may not see and
 * anyone who hid the topic. Constant requests whatever the data size.
 */
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { InvalidInput, NotFound } from '../errors';
import type { Principal } from '../principal';
import { skillKey } from '../profiles/endorsements';
import { type Profile, toProfile } from '../profiles/profile';
import { canSeePerson, visibleAuthor } from '../spaces/space-access';
import type { SearchDocument, SearchIndex } from './search-document';
import type { SearchService } from './search-service';

/** People asked of the index beyond the page: some may be hidden from the caller or have hidden the topic. */
const SPARE = 10;
const EVIDENCE = 3;
const TOPICS = 12;

export type ContributionKind = 'wrote' | 'edited' | 'commented' | 'saved';
const KIND: Record<SearchDocument['type'], ContributionKind | undefined> = {
  post: 'wrote',
  page: 'edited',
  comment: 'commented',
  bookmark: 'saved',
  profile: undefined,
};

export interface Evidence {
  kind: ContributionKind;
  type: SearchDocument['type'];
  title: string;
  url: string;
  updatedAt: string;
  spaceId?: string;
  spaceName?: string;
  tags: string[];
  /** The document's tags name the topic. */
  tagged: boolean;
}

export interface Expert {
  userId: string;
  name: string;
  title?: string;
  department?: string;
  org?: string;
  score: number;
  contributions: number;
  pinned: boolean;
  evidence: Evidence[];
}

function evidenceOf(principal: Principal, doc: SearchDocument, tag: string | undefined): Evidence {
  const shown = visibleAuthor(principal, doc);
  return {
    kind: KIND[shown.type] ?? 'wrote',
    type: shown.type,
    title: shown.title,
    url: shown.url,
    updatedAt: shown.updatedAt,
    ...(shown.spaceId ? { spaceId: shown.spaceId } : {}),
    ...(shown.spaceName ? { spaceName: shown.spaceName } : {}),
    tags: shown.tags,
    tagged: !!tag && shown.tags.includes(tag),
  };
}

const rounded = (n: number) => Math.round(n * 1000) / 1000;

export class ExpertiseService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly index: SearchIndex,
    private readonly search: SearchService,
  ) {}

  /** People ranked by their visible work on a topic, each with the evidence that put them there. */
  async experts(principal: Principal, topic: string, limit: number) {
    const text = topic.trim();
    const tag = skillKey(text);
    const access = await this.search.accessFor(principal);
    const result = await this.index.expertise(
      {
        topic: text,
        ...(tag ? { tag } : {}),
        now: this.ctx.clock.now().getTime(),
        limit: limit + SPARE,
        evidence: EVIDENCE,
      },
      access,
    );
    const profiles = await this.ctx.table.getMany(result.people.map((p) => keys.profile(p.userId)));
    const people: Expert[] = [];
    result.people.forEach((ranked, i) => {
      const item = profiles[i];
      if (!item || people.length >= limit) return;
      const profile = toProfile(item);
      if (!canSeePerson(principal, profile)) return;
      if (tag && profile.hiddenTopics?.includes(tag)) return;
      people.push({
        userId: profile.userId,
        name: profile.name,
        ...(profile.title ? { title: profile.title } : {}),
        ...(profile.department ? { department: profile.department } : {}),
        ...(profile.org ? { org: profile.org } : {}),
        score: rounded(ranked.score),
        contributions: ranked.contributions,
        pinned: !!tag && (profile.pinnedTopics ?? []).includes(tag),
        evidence: ranked.evidence.map((doc) => evidenceOf(principal, doc, tag)),
      });
    });
    return { topic: text, ...(tag ? { tag } : {}), people };
  }

  /** What a person knows about, as the caller may see it: pinned topics, then derived ones (hidden ones left out). */
  async knowsAbout(principal: Principal, userId: string) {
    const [profile, access] = await Promise.all([
      this.visibleProfile(principal, userId),
      this.search.accessFor(principal),
    ]);
    const hidden = profile.hiddenTopics ?? [];
    const pinned = profile.pinnedTopics ?? [];
    const derived = await this.index.topicsOf(
      userId,
      access,
      TOPICS + hidden.length + pinned.length,
      this.ctx.clock.now().getTime(),
    );
    const self = principal.userId === userId;
    return {
      pinned,
      derived: derived
        .filter((t) => !hidden.includes(t.tag) && !pinned.includes(t.tag))
        .slice(0, TOPICS)
        .map((t) => ({ topic: t.tag, score: rounded(t.score), count: t.count })),
      // Only the person sees what they hid (to unhide it).
      ...(self ? { hidden } : {}),
    };
  }

  /** A person's recent work, newest first, as far as the caller may read it; cursor paged. */
  async activity(principal: Principal, userId: string, limit: number, cursor?: string) {
    const [, access] = await Promise.all([
      this.visibleProfile(principal, userId),
      this.search.accessFor(principal),
    ]);
    const page = await this.index.activityOf(userId, access, { limit, after: decodeActivityCursor(cursor) });
    const last = page.documents[page.documents.length - 1];
    return {
      items: page.documents
        .map((doc) => evidenceOf(principal, doc, undefined))
        .map(({ tagged: _t, ...rest }) => rest),
      cursor:
        page.more && last
          ? Buffer.from(JSON.stringify({ u: last.updatedAt, i: last.id })).toString('base64url')
          : undefined,
    };
  }

  private async visibleProfile(principal: Principal, userId: string): Promise<Profile> {
    const item = await this.ctx.table.get(keys.profile(userId));
    if (!item) throw new NotFound('Person');
    const profile = toProfile(item);
    if (!canSeePerson(principal, profile)) throw new NotFound('Person');
    return profile;
  }
}

function decodeActivityCursor(cursor: string | undefined): { updatedAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof value?.u === 'string' &&
      typeof value?.i === 'string' &&
      !Number.isNaN(Date.parse(value.u)) &&
      value.i.length < 300
    )
      return { updatedAt: value.u, id: value.i };
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not valid for this list', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}
