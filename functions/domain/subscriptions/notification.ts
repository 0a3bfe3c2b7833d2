/**
 * Inbox items. A notification's id is deterministic — the event's time (so the inbox sorts newest
 * first) and a hash of recipient, source item, change (its version) and event kind — and it is written
 * with `attribute_not_exists`, so a retried or replayed stream batch finds it there and adds nothing.
 * Unread items carry the sparse GSI2 keys (the unread count is one Query); reading removes them.
 */
import { createHash } from 'node:crypto';
import { keys } from '../../data/keys';
import { type Item, withoutKeys } from '../../data/table';

/** What happened. */
export const EVENT_KINDS = [
  'post-published',
  'post-edited',
  'comment-added',
  'comment-edited',
  'page-created',
  'page-edited',
  /** Likes of one post, gathered into one item per post (see fanout-rules.ts, `gatherLikes`). */
  'post-liked',
  /** A space shared with the recipient's partner organisation. */
  'space-shared',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Why this person is told; when several apply, the first in this list is the one given. */
export const REASONS = [
  'mention',
  'reply',
  'watched-post',
  'watched-page',
  'followed-author',
  'watched-space',
  'watched-tag',
  /** Told because it is your post (likes). */
  'your-post',
  /** Told because it concerns your organisation (a space shared with it). */
  'your-organisation',
] as const;
export type Reason = (typeof REASONS)[number];

/** Told because of who they are in the event, not because of a subscription to where it happened. */
export const DIRECT_REASONS: readonly Reason[] = ['mention', 'reply', 'your-post', 'your-organisation'];

export const NOTIFICATION_TTL_DAYS = 90;

export interface Notification {
  id: string;
  recipientId: string;
  event: EventKind;
  reason: Reason;
  actorId: string;
  actorName: string;
  actorOrg?: string;
  spaceId: string;
  spaceName: string;
  postId?: string;
  commentId?: string;
  pageId?: string;
  title: string;
  excerpt: string;
  createdAt: string;
  readAt?: string;
  /** A likes item: how many like the post now (the author's own like left out). */
  likeCount?: number;
  /** A likes item: the latest likers, newest first (at most LIKERS_SHOWN); the actor is the first. */
  likers?: { id: string; name: string; org?: string }[];
}

/** `2026-11-30T09:20:00.123Z` → `20261130T092000123Z`: sortable, and an id the API accepts. */
const compactTime = (iso: string) => iso.replace(/[-:.]/g, '');

export function notificationId(
  recipientId: string,
  source: { PK: string; SK: string },
  change: number,
  event: EventKind,
  at: string,
): string {
  const hash = createHash('sha256')
    .update([recipientId, source.PK, source.SK, String(change), event].join('\n'))
    .digest('base64url')
    .slice(0, 22)
    .replace(/[^A-Za-z0-9]/g, 'x');
  return `${compactTime(at)}-${hash}`;
}

export function notificationItem(notification: Notification): Item {
  const expiresAt = Math.floor(Date.parse(notification.createdAt) / 1000) + NOTIFICATION_TTL_DAYS * 24 * 3600;
  return {
    ...keys.notification(notification.recipientId, notification.id),
    type: 'notification',
    ...notification,
    expiresAt,
    ...(notification.readAt
      ? {}
      : { GSI2PK: keys.unreadOf(notification.recipientId), GSI2SK: notification.id }),
  };
}

export function toNotification(item: Item): Notification {
  const { expiresAt: _expires, ...rest } = withoutKeys(item);
  return rest as unknown as Notification;
}
