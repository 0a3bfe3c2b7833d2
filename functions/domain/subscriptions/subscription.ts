/**
 * Follows and subscriptions as the domain sees them, and their items. One item per person and target:
 * a follow of a person (`following` or `muted`), a subscription to a space, tag, wiki page or post
 * (`watching` or `muted`). Only the active level carries the GSI1 keys, so the fan-out's query of a
 * target's audience never reads mutes; a mute is found by key when a candidate is checked.
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';

export type WatchKind = 'space' | 'tag' | 'page' | 'post';
export const WATCH_KINDS: readonly WatchKind[] = ['space', 'tag', 'page', 'post'];
export type FollowLevel = 'following' | 'muted';
export type WatchLevel = 'watching' | 'muted';

/** What is watched: a space, a tag, or a page or post of a space. */
export type WatchTarget =
  | { kind: 'space'; spaceId: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'page'; spaceId: string; pageId: string }
  | { kind: 'post'; spaceId: string; postId: string };

export interface Follow {
  userId: string;
  name: string;
  level: FollowLevel;
  since: string;
}

export interface Watch {
  kind: WatchKind;
  spaceId?: string;
  tag?: string;
  pageId?: string;
  postId?: string;
  /** The space name, page or post title when it was watched (a label, not kept up to date). */
  label: string;
  level: WatchLevel;
  /** True when the watch was made for the person by what they did (created, commented, edited). */
  auto?: boolean;
  /** What made an automatic watch (watches made before this was kept have none). */
  autoBecause?: AutoWatchCause;
  since: string;
}

export type AutoWatchCause = 'created' | 'commented' | 'edited';

/** The key part naming a target: the space id, the tag, or `<spaceId>#<itemId>`. */
export function targetKey(target: WatchTarget): string {
  switch (target.kind) {
    case 'space':
      return target.spaceId;
    case 'tag':
      return target.tag;
    case 'page':
      return `${target.spaceId}#${target.pageId}`;
    case 'post':
      return `${target.spaceId}#${target.postId}`;
  }
}

export function followItem(followerId: string, follow: Follow): Item {
  return {
    ...keys.follow(followerId, follow.userId),
    type: 'follow',
    followerId,
    ...follow,
    ...(follow.level === 'following' ? { GSI1PK: keys.followersOf(follow.userId), GSI1SK: followerId } : {}),
  };
}

export function watchItem(userId: string, target: WatchTarget, watch: Omit<Watch, 'kind'>): Item {
  const key = targetKey(target);
  return {
    ...keys.subscription(userId, target.kind, key),
    type: 'subscription',
    userId,
    ...target,
    ...watch,
    ...(watch.level === 'watching' ? { GSI1PK: keys.subscribersOf(target.kind, key), GSI1SK: userId } : {}),
  };
}

export function toFollow(item: Item): Follow {
  return {
    userId: item.userId as string,
    name: item.name as string,
    level: item.level as FollowLevel,
    since: item.since as string,
  };
}

export function toWatch(item: Item): Watch {
  return {
    kind: item.kind as WatchKind,
    ...(item.spaceId ? { spaceId: item.spaceId as string } : {}),
    ...(item.tag ? { tag: item.tag as string } : {}),
    ...(item.pageId ? { pageId: item.pageId as string } : {}),
    ...(item.postId ? { postId: item.postId as string } : {}),
    label: item.label as string,
    level: item.level as WatchLevel,
    ...(item.auto ? { auto: true } : {}),
    ...(item.autoBecause ? { autoBecause: item.autoBecause as AutoWatchCause } : {}),
    since: item.since as string,
  };
}
