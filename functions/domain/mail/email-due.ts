/**
 * What an inbox item says about its e-mail, decided once when the fan-out writes it, from the
 * recipient's preferences at that moment:
 *
 * - `immediately`: `emailDue: 'immediately'`; the fan-out sends it right after the write
 *   (mail-delivery.ts), claiming it first and setting `emailedAt` after the send;
 * - `hourly` / `daily`: `emailDue: <period>` and the sparse GSI1 keys `MAILDUE#<period>#<shard>` /
 *   `<createdAt>#<recipient>#<id>`: the digest job finds the waiting items of a period with one Query
 *   per shard of the items created before the period's end, never a Scan;
 * - `never`: nothing.
 *
 * Sharding by recipient spreads a 5,000-recipient fan-out over MAIL_DUE_SHARDS index partitions (an
 * index partition takes about 1,000 writes a second) while keeping one person's items together.
 */
import { createHash } from 'node:crypto';
import { keys } from '../../data/keys';
import type { Notification } from '../subscriptions/notification';
import { type DigestPeriod, type Frequency, kindOf, type MailPreferences } from './preferences';

export const MAIL_DUE_SHARDS = 8;

export function mailShard(userId: string): number {
  return createHash('sha256').update(userId).digest()[0] % MAIL_DUE_SHARDS;
}

export function frequencyFor(prefs: MailPreferences, note: Notification): Frequency {
  return prefs[kindOf(note)];
}

/** The attributes to add to a new inbox item; none when the person wants no e-mail of it. */
export function emailDueAttributes(note: Notification, frequency: Frequency): Record<string, unknown> {
  if (frequency === 'never') return {};
  if (frequency === 'immediately') return { emailDue: 'immediately' };
  return {
    emailDue: frequency,
    GSI1PK: keys.mailDue(frequency, mailShard(note.recipientId)),
    GSI1SK: `${note.createdAt}#${note.recipientId}#${note.id}`,
  };
}

/**
 * The period that ended last before `now`, its label (the marker's bucket) and its end (the digest
 * takes the items created before it). Hourly: the previous whole hour; daily: the previous UTC day.
 */
export function lastClosedPeriod(period: DigestPeriod, now: Date): { bucket: string; end: string } {
  const end = new Date(now);
  end.setUTCMinutes(0, 0, 0);
  if (period === 'daily') end.setUTCHours(0);
  const start = new Date(end.getTime() - (period === 'daily' ? 24 : 1) * 3600_000);
  const iso = start.toISOString();
  return { bucket: period === 'daily' ? iso.slice(0, 10) : iso.slice(0, 13), end: end.toISOString() };
}
