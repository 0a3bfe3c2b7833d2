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
 * 4. `plan` is 1 and 2 together, and `audienceLists` the GSI1 lists an audience is read from: the one
 *    entry point of both the fan-out and the "who will be notified" preview (audience-preview.ts), so
 *    the editor shows what the fan-out will do.
 * 5. A **minor edit** (`minorEdit` on the post or page, set by the editor's checkbox and stored with the
 *    change and its version) tells nobody — not its watchers, and not newly @mentioned people either
 *    (as Confluence's "minor change"). Publishing a draft is never minor.
 * 6. `autoWatchOf`: creating a post or page, commenting on a post and editing a page watch it, each
 *    unless the person turned it off (`WatchSettings`, default on).
 * 7. Likes (`likeOf`, `likeRecipient`, `gatherLikes`) gather into ONE inbox item per post for its
 *    author; a space shared with a partner organisation (`sharedOf`, `shareRecipient`) tells that
 *    organisation's partners.
 */
import { keys } from '../../data/keys';
import type { Key } from '../../data/table';
import type { Principal } from '../principal';
import type { Member, Space } from '../spaces/space';
import { canRead } from '../spaces/space-access';
import { DIRECT_REASONS, type EventKind, REASONS, type Reason } from './notification';
import { type AutoWatchCause, targetKey, type WatchTarget } from './subscription';

/** The most @mentions of one change that are resolved (by the fan-out and the preview alike). */
export const MAX_MENTIONS = 50;

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
    if (after.minorEdit) return undefined; // a minor edit tells nobody
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
    if (before && after.minorEdit) return undefined; // a minor edit tells nobody
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

/** An event and where its candidates come from: what the fan-out and the preview both start from. */
export function plan(
  before: Image | undefined,
  after: Image | undefined,
): { event: ContentEvent; audience: Audience } | undefined {
  const event = eventOf(before, after);
  return event ? { event, audience: audienceOf(event) } : undefined;
}

/** The GSI1 lists (followers, watchers) an audience is read from, each with the reason it gives. */
export function audienceLists(
  audience: Audience,
): { partition: string; reason: Reason; target?: WatchTarget }[] {
  return [
    ...(audience.followersOf
      ? [{ partition: keys.followersOf(audience.followersOf), reason: 'followed-author' as Reason }]
      : []),
    ...audience.watched.map(({ target, reason }) => ({
      partition: keys.subscribersOf(target.kind, targetKey(target)),
      reason,
      target,
    })),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Watching what you take part in

/** A person's choices about what they start watching by taking part; each is on unless turned off. */
export interface WatchSettings {
  /** Posts and pages you create. */
  watchOnCreate: boolean;
  /** Posts you comment on. */
  watchOnComment: boolean;
  /** Pages you edit. */
  watchOnEdit: boolean;
}
export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  watchOnCreate: true,
  watchOnComment: true,
  watchOnEdit: true,
};

export function watchSettingsOf(item: Image | undefined): WatchSettings {
  const value = (name: keyof WatchSettings) =>
    typeof item?.[name] === 'boolean' ? (item[name] as boolean) : DEFAULT_WATCH_SETTINGS[name];
  return {
    watchOnCreate: value('watchOnCreate'),
    watchOnComment: value('watchOnComment'),
    watchOnEdit: value('watchOnEdit'),
  };
}

export interface AutoWatch {
  userId: string;
  target: WatchTarget;
  /** Which setting allows it. */
  setting: keyof WatchSettings;
  /** The watch's label when known (a comment's post title is read by the consumer). */
  label?: string;
  since: string;
}

/**
 * Who starts watching what because of this change: the author of a new post or page, the author of a
 * new comment (its post), the editor of a page (a new version by someone). The consumer writes the
 * watch only if the person has no watch or mute of it yet and `allows` says their settings let it.
 */
export function autoWatchOf(before: Image | undefined, after: Image | undefined): AutoWatch | undefined {
  if (!after) return undefined;
  const spaceId = after.spaceId as string;
  if (after.type === 'post' && !before)
    return {
      userId: after.authorId as string,
      target: { kind: 'post', spaceId, postId: after.id as string },
      setting: 'watchOnCreate',
      label: after.title as string,
      since: (after.createdAt as string) ?? (after.updatedAt as string),
    };
  if (after.type === 'comment' && !before && !after.deleted)
    return {
      userId: after.authorId as string,
      target: { kind: 'post', spaceId, postId: after.postId as string },
      setting: 'watchOnComment',
      since: after.createdAt as string,
    };
  if (after.type === 'page' && !after.deleting) {
    if (!before)
      return {
        userId: after.createdBy as string,
        target: { kind: 'page', spaceId, pageId: after.id as string },
        setting: 'watchOnCreate',
        label: after.title as string,
        since: (after.createdAt as string) ?? (after.updatedAt as string),
      };
    if (before.version !== after.version)
      return {
        userId: after.updatedBy as string,
        target: { kind: 'page', spaceId, pageId: after.id as string },
        setting: 'watchOnEdit',
        label: after.title as string,
        since: after.updatedAt as string,
      };
  }
  return undefined;
}

export const allows = (settings: WatchSettings, watch: AutoWatch) => settings[watch.setting];

/** What made an automatic watch, as the person's list of watches says it ("you commented"). */
export const AUTO_WATCH_CAUSES: Record<keyof WatchSettings, AutoWatchCause> = {
  watchOnCreate: 'created',
  watchOnComment: 'commented',
  watchOnEdit: 'edited',
};

// ---------------------------------------------------------------------------------------------------
// Likes, gathered into one item per post

/** The newest likers kept on a likes item. */
export const LIKERS_SHOWN = 3;

export interface Like {
  spaceId: string;
  postId: string;
  liker: { id: string; name: string; org?: string };
  at: string;
}

/** A like made (a like item's INSERT); an unlike (its REMOVE) changes nothing. */
export function likeOf(before: Image | undefined, after: Image | undefined): Like | undefined {
  if (!after || before || after.type !== 'like') return undefined;
  return {
    spaceId: after.spaceId as string,
    postId: after.postId as string,
    liker: {
      id: after.userId as string,
      name: (after.name as string) ?? '',
      ...(after.org ? { org: after.org as string } : {}),
    },
    at: after.likedAt as string,
  };
}

/**
 * Whether the post's author is told of a like: the post is published, the liker is not the author
 * (never for liking your own post), the author can still read the space and muted neither the post
 * nor the liker.
 */
export function likeRecipient(
  like: Like,
  post: Image | undefined,
  facts: CandidateFacts | undefined,
): string | undefined {
  if (!post || post.status !== 'published') return undefined;
  const authorId = post.authorId as string;
  if (authorId === like.liker.id) return undefined;
  if (!facts?.canRead || facts.mutedActor || facts.mutedItem) return undefined;
  return authorId;
}

export interface GatheredLikes {
  likers: { id: string; name: string; org?: string }[];
  likeCount: number;
  lastLikedAt: string;
}

/**
 * The likes item after one more like: the liker first, then the earlier likers (each once), at most
 * LIKERS_SHOWN; the count is the post's likes now without the author's own.
 *
 * A like not newer than the last one gathered is either a replayed or redelivered record, or a like
 * handled after a newer one (the records of one stream batch are handled in parallel): its liker, when
 * not listed yet, joins the list after the newer likers and the item keeps its time (`lastLikedAt`
 * unchanged tells the caller to update the item in place). Undefined when nothing changes.
 */
export function gatherLikes(
  previous: GatheredLikes | undefined,
  like: Like,
  likeCount: number,
): GatheredLikes | undefined {
  if (previous && like.at <= previous.lastLikedAt) {
    const listed = previous.likers.some((p) => p.id === like.liker.id);
    const likers = listed ? previous.likers : [...previous.likers, like.liker].slice(0, LIKERS_SHOWN);
    const count = Math.max(likeCount, previous.likeCount, likers.length);
    if (likers.length === previous.likers.length && count === previous.likeCount) return undefined;
    return { likers, likeCount: count, lastLikedAt: previous.lastLikedAt };
  }
  const likers = [like.liker, ...(previous?.likers ?? []).filter((p) => p.id !== like.liker.id)].slice(
    0,
    LIKERS_SHOWN,
  );
  return { likers, likeCount: Math.max(likeCount, likers.length), lastLikedAt: like.at };
}

// ---------------------------------------------------------------------------------------------------
// A space shared with an organisation

export interface Shared {
  spaceId: string;
  /** The organisations it is shared with by this change (not before). */
  orgs: string[];
  actor: { id: string; name: string };
  at: string;
  change: number;
}

/** A space newly shared with one or more partner organisations. */
export function sharedOf(before: Image | undefined, after: Image | undefined): Shared | undefined {
  if (!after || after.type !== 'space' || after.personalOf) return undefined;
  const old = new Set(list(before?.partnerOrgs));
  const orgs = list(after.partnerOrgs).filter((org) => !old.has(org));
  if (!orgs.length) return undefined;
  return {
    spaceId: after.id as string,
    orgs,
    actor: { id: (after.sharedBy as string) ?? '', name: (after.sharedByName as string) ?? '' },
    at: after.updatedAt as string,
    change: (after.version as number) ?? 1,
  };
}

/** Only partners of an organisation it was shared with, who can read the space now; never the actor. */
export function shareRecipient(shared: Shared, profile: Image | undefined, space: Space): boolean {
  if (!profile || profile.userId === shared.actor.id) return false;
  const org = profile.org as string | undefined;
  if (!org || !shared.orgs.includes(org)) return false;
  return recipientCanRead(profile, space, undefined);
}
