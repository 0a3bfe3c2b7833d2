/**
 * E-mail preferences: per person and per kind of inbox item, how soon an e-mail tells them of it.
 * The kinds are what a person recognises ("someone mentioned me", "a reply to me"), not the internal
 * event × reason pairs: `kindOf` maps an inbox item to one. One item per person (`PREFS#MAIL`) holds
 * only the kinds they changed; everything else is the default.
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import type { Notification } from '../subscriptions/notification';

export const MAIL_KINDS = ['mention', 'reply', 'comment', 'post', 'page', 'other'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const FREQUENCIES = ['immediately', 'hourly', 'daily', 'never'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
/** The two digest periods (the frequencies that are neither immediate nor never). */
export type DigestPeriod = 'hourly' | 'daily';
export const DIGEST_PERIODS: readonly DigestPeriod[] = ['hourly', 'daily'];

export type MailPreferences = Record<MailKind, Frequency>;

/** Mentions and replies are about you: at once. The rest is gathered into the daily digest. */
export const DEFAULT_PREFERENCES: Readonly<MailPreferences> = Object.freeze({
  mention: 'immediately',
  reply: 'immediately',
  comment: 'daily',
  post: 'daily',
  page: 'daily',
  other: 'daily',
});

export const KIND_LABELS: Record<MailKind, string> = {
  mention: 'Mentions of you',
  reply: 'Comments on your posts and replies to your comments',
  comment: 'Comments on posts you watch',
  post: 'New and edited posts (people you follow, spaces and tags you watch)',
  page: 'New and edited wiki pages you watch',
  other: 'Anything else (likes, shared spaces, …)',
};

/** The kind of an inbox item: the reason decides first (a mention is a mention whatever the event). */
export function kindOf(note: Pick<Notification, 'event' | 'reason'>): MailKind {
  if (note.reason === 'mention') return 'mention';
  if (note.reason === 'reply') return 'reply';
  switch (note.event) {
    case 'comment-added':
    case 'comment-edited':
      return 'comment';
    case 'post-published':
    case 'post-edited':
      return 'post';
    case 'page-created':
    case 'page-edited':
      return 'page';
    default:
      return 'other';
  }
}

/** The stored choices over the defaults; unknown kinds or values in the item are ignored. */
export function preferencesFrom(item: Item | undefined): MailPreferences {
  const stored = (item?.kinds ?? {}) as Record<string, unknown>;
  const prefs = { ...DEFAULT_PREFERENCES };
  for (const kind of MAIL_KINDS) {
    const value = stored[kind];
    if (typeof value === 'string' && (FREQUENCIES as readonly string[]).includes(value))
      prefs[kind] = value as Frequency;
  }
  return prefs;
}

export function preferencesItem(userId: string, prefs: MailPreferences, at: string): Item {
  return { ...keys.mailPreferences(userId), type: 'mail-preferences', userId, kinds: prefs, updatedAt: at };
}
