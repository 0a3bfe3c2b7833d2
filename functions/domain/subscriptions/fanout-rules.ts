/**
 * Who is told about a change: pure functions, unit-tested per role (test/unit/domain/subscriptions/).
 * The fan-out consumer (functions/streams/fanout.ts) reads the facts these need from the table.
 *
 * 1. `eventOf` turns a change of a post, comment or wiki page (old and new stream images) into an
 *    event, or none: a post becoming published; a NEW @mention in a post, comment or page (handles in
 *    the new image and not in the old one — one that was already there tells nobody again); a new
 *    comment; an edit of a page (a new version).
 * 2. `audienceOf` says where the event's candidates come from: the mentioned, the post's author and
 *    the author of the comment replied to, and the subscribers of the event's places (followers of the
 *    author, watchers of the space, its tags, the post, the page).
 * 3. `decide` keeps, per candidate, one notification with the strongest reason, and drops the actor,
 *    anyone who cannot read the thing now, and anyone who muted the actor or the item itself; muting a
 *    space or tag silences what comes through subscriptions there, not a mention or a reply to you.
 */
import type { Key } from '../../data/table';
import type { Principal } from '../principal';
import type { Member, Space } from '../spaces/space';
import { canRead } from '../spaces/space-access';
import { DIRECT_REASONS, type EventKind, REASONS, type Reason } from './notification';
import type { WatchTarget } from './subscription';

export interface ContentEvent {
  event: EventKind;
  /** The changed item's key and version: with the recipient and the event kind, the notification's identity. */
  source: Key;
  change: number;
  at: string;
  actor: { id: string; name: string; org?: string };
  spaceId: string;
  postId?: string;
  commentId?: string;
  /** The comment replied to (a comment's `parentId`). */
  parentId?: string;
  pageId?: string;
  /** The post or page title (a comment takes its post's title when told). */
  title: string;
  excerpt: string;
  tags: string[];
  /** Handles mentioned by this change for the first time. */
  newMentions: string[];
}

type Image = Record<string, unknown>;

const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);
const added = (before: Image | undefined, after: Image) => {
  const old = new Set(list(before?.mentions));
  return list(after.mentions).filter((handle) => !old.has(handle));
};

const authorOf = (item: Image) => ({
  id: item.authorId as string,
  name: item.authorName as string,
  ...(item.authorOrg ? { org: item.authorOrg as string } : {}),
});

/** The event a change of an item makes, or undefined when it tells nobody. */
export function eventOf(before: Image | undefined, after: Image | undefined): ContentEvent | undefined {
  if (!after) return undefined; // deletions tell nobody
  const type = after.type;
  const common = {
    source: { PK: after.PK as string, SK: after.SK as string },
    change: (after.version as number) ?? 1,
    spaceId: after.spaceId as string,
  };
  if (type === 'post') {
    if (after.status !== 'published') return undefined; // a draft is read by its author only
    const post = {
      ...common,
      actor: authorOf(after),
      postId: after.id as string,
      title: after.title as string,
      excerpt: (after.excerpt as string) ?? '',
    };
    if (before?.status !== 'published') {
      // Published now: nobody was told of it as a draft, so every mention in it is new.
      return {
        ...post,
        event: 'post-published',
        at: (after.publishedAt as string) ?? (after.updatedAt as string),
        tags: list(after.tags),
        newMentions: list(after.mentions),
      };
    }
    if (before.version === after.version) return undefined; // a counter moved, not the text
    const newMentions = added(before, after);
    if (!newMentions.length) return undefined;
    return { ...post, event: 'post-edited', at: after.updatedAt as string, tags: [], newMentions };
  }
  if (type === 'comment') {
    if (after.deleted) return undefined;
    const comment = {
      ...common,
      actor: authorOf(after),
      postId: after.postId as string,
      commentId: after.id as string,
      ...(after.parentId ? { parentId: after.parentId as string } : {}),
      title: '',
      excerpt: ((after.text as string) ?? '').slice(0, 280),
      tags: [],
    };
    if (!before)
      return {
        ...comment,
        event: 'comment-added',
        at: after.createdAt as string,
        newMentions: list(after.mentions),
      };
    if (before.version === after.version) return undefined;
    const newMentions = added(before, after);
    if (!newMentions.length) return undefined;
    return { ...comment, event: 'comment-edited', at: after.updatedAt as string, newMentions };
  }
  if (type === 'page') {
    if (after.deleting) return undefined;
    if (before && before.version === after.version) return undefined;
    return {
      ...common,
      event: before ? 'page-edited' : 'page-created',
      at: after.updatedAt as string,
      actor: {
        id: after.updatedBy as string,
        name: after.updatedByName as string,
        ...(after.updatedByOrg ? { org: after.updatedByOrg as string } : {}),
      },
      pageId: after.id as string,
      title: after.title as string,
      excerpt: (after.excerpt as string) ?? '',
      tags: [],
      newMentions: before ? added(before, after) : list(after.mentions),
    };
  }
  return undefined;
}

/** Where an event's candidates come from, beside the mentioned (resolved by handle). */
export interface Audience {
  /** The author whose followers are told. */
  followersOf?: string;
  /** Watched targets and the reason their watchers get. */
  watched: { target: WatchTarget; reason: Reason }[];
  /** Told as the author of the post commented on, or of the comment replied to (read by the consumer). */
  replyTo: boolean;
  /** The item whose mute silences everything about it. */
  item: WatchTarget;
}

export function audienceOf(event: ContentEvent): Audience {
  const { spaceId } = event;
  switch (event.event) {
    case 'post-published':
      return {
        followersOf: event.actor.id,
        watched: [
          { target: { kind: 'space', spaceId }, reason: 'watched-space' },
          ...event.tags.map((tag) => ({
            target: { kind: 'tag', tag } as WatchTarget,
            reason: 'watched-tag' as const,
          })),
        ],
        replyTo: false,
        item: { kind: 'post', spaceId, postId: event.postId! },
      };
    case 'comment-added':
      return {
        watched: [{ target: { kind: 'post', spaceId, postId: event.postId! }, reason: 'watched-post' }],
        replyTo: true,
        item: { kind: 'post', spaceId, postId: event.postId! },
      };
    case 'page-edited':
      return {
        watched: [{ target: { kind: 'page', spaceId, pageId: event.pageId! }, reason: 'watched-page' }],
        replyTo: false,
        item: { kind: 'page', spaceId, pageId: event.pageId! },
      };
    case 'page-created':
      return { watched: [], replyTo: false, item: { kind: 'page', spaceId, pageId: event.pageId! } };
    default:
      // Edits of posts and comments tell only the newly mentioned.
      return {
        watched: [],
        replyTo: false,
        item: { kind: 'post', spaceId, postId: event.postId! },
      };
  }
}

/** What the consumer found out about one candidate. */
export interface CandidateFacts {
  /** May read the item now (the space's current audience, sharing and the person's membership). */
  canRead: boolean;
  mutedActor: boolean;
  /** Muted the post or page itself. */
  mutedItem: boolean;
  /** Muted the space or one of the post's tags. */
  mutedPlace: boolean;
}

/** One decision per person: who is told, and the one reason given. */
export function decide(
  event: ContentEvent,
  candidates: ReadonlyMap<string, ReadonlySet<Reason>>,
  facts: ReadonlyMap<string, CandidateFacts>,
): { userId: string; reason: Reason }[] {
  const told: { userId: string; reason: Reason }[] = [];
  for (const [userId, reasons] of candidates) {
    if (userId === event.actor.id) continue;
    const fact = facts.get(userId);
    if (!fact?.canRead || fact.mutedActor || fact.mutedItem) continue;
    const reason = REASONS.find((r) => reasons.has(r) && (!fact.mutedPlace || DIRECT_REASONS.includes(r)));
    if (reason) told.push({ userId, reason });
  }
  return told;
}

/**
 * A recipient as a reader, from their profile: employee or partner of their organisation. Admin rights
 * live in tokens, not profiles, so an admin is told only what their membership lets them read
 * (never more than an employee would be).
 */
export function readerFromProfile(profile: Record<string, unknown>): Principal {
  const org = profile.org as string | undefined;
  return {
    userId: profile.userId as string,
    name: (profile.name as string) ?? '',
    email: (profile.email as string) ?? '',
    groups: org || profile.kind === 'partner' ? ['partner'] : ['employee'],
    ...(org ? { org } : {}),
  };
}

/** Whether a person, as their profile says, may read a space now. */
export function recipientCanRead(
  profile: Record<string, unknown> | undefined,
  space: Space,
  membership: Member | undefined,
): boolean {
  if (!profile) return false;
  return canRead(readerFromProfile(profile), space, membership);
}
