/**
 * The digest job (hourly in AWS through EventBridge Scheduler, a timer in the local runtime). For each
 * period (hourly, daily) it takes the period that ended last, and per shard of the sparse "mail due"
 * index (email-due.ts) one paged Query of the items created before that period's end. Per person:
 *
 * 1. items read, already e-mailed, of a kind now set to `never`, or of a space the person can no longer
 *    read are dropped from the index (never sent);
 * 2. a conditional marker `DIGEST#<period>#<bucket>` is claimed: a second run (or a concurrent one)
 *    finds it and sends nothing; a crashed run's claim expires after CLAIM_SECONDS;
 * 3. one e-mail is sent; only then is the marker set `sent` (with the item ids) and each item marked
 *    `emailedAt` and removed from the index. A failed send deletes the claim and leaves the items for
 *    the next run. A run that finds a `sent` marker finishes marking its items (a crash after the send).
 */
import { keys } from '../../data/keys';
import type { Item, Table } from '../../data/table';
import { logger } from '../../platform/logger';
import { toMember, toSpace } from '../spaces/space';
import { recipientCanRead } from '../subscriptions/fanout-rules';
import { type Notification, toNotification } from '../subscriptions/notification';
import { groupDigest } from './digest';
import { lastClosedPeriod, MAIL_DUE_SHARDS } from './email-due';
import { CLAIM_SECONDS } from './mail-delivery';
import type { MailSettings } from './mail-port';
import { digestMessage } from './message';
import { DIGEST_PERIODS, type DigestPeriod, kindOf } from './preferences';
import { recipientsOf } from './recipients';

/** Markers stay long enough to stop any rerun of their period, then expire (TTL). */
const MARKER_TTL_DAYS = 7;

export interface DigestOutcome {
  period: DigestPeriod;
  bucket: string;
  sent: number;
  alreadySent: number;
  dropped: number;
  failed: number;
}

export async function runDigests(table: Table, settings: MailSettings, now: Date): Promise<DigestOutcome[]> {
  const outcomes: DigestOutcome[] = [];
  for (const period of DIGEST_PERIODS) outcomes.push(await runDigest(table, settings, period, now));
  return outcomes;
}

export async function runDigest(
  table: Table,
  settings: MailSettings,
  period: DigestPeriod,
  now: Date,
): Promise<DigestOutcome> {
  const { bucket, end } = lastClosedPeriod(period, now);
  const outcome: DigestOutcome = { period, bucket, sent: 0, alreadySent: 0, dropped: 0, failed: 0 };
  const byPerson = new Map<string, Item[]>();
  for (let shard = 0; shard < MAIL_DUE_SHARDS; shard++) {
    let cursor: string | undefined;
    do {
      const page = await table.query({
        index: 'GSI1',
        partition: keys.mailDue(period, shard),
        before: end,
        limit: 200,
        cursor,
      });
      for (const item of page.items) {
        const userId = item.recipientId as string;
        if (!byPerson.has(userId)) byPerson.set(userId, []);
        byPerson.get(userId)!.push(item);
      }
      cursor = page.cursor;
    } while (cursor);
  }
  if (byPerson.size === 0) return outcome;

  const people = await recipientsOf(table, [...byPerson.keys()]);
  const key = await settings.unsubscribeKey();
  for (const [userId, items] of byPerson) {
    try {
      const person = people.get(userId)!;
      const notes = items.filter((item) => !item.readAt && !item.emailedAt).map(toNotification);
      const wanted = notes.filter((note) => person.prefs[kindOf(note)] !== 'never');
      const readable = person.recipient ? await readableNotes(table, userId, wanted) : [];
      const drop = items.filter((item) => !readable.some((note) => note.id === item.id));
      await Promise.all(drop.map((item) => leaveIndex(table, item, false)));
      outcome.dropped += drop.length;
      if (readable.length === 0 || !person.recipient) continue;

      const marker = keys.digestMarker(userId, period, bucket);
      const nowSeconds = Math.floor(now.getTime() / 1000);
      try {
        await table.put(
          {
            ...marker,
            type: 'digest-marker',
            status: 'sending',
            claimedUntil: nowSeconds + CLAIM_SECONDS,
            itemIds: readable.map((n) => n.id),
            expiresAt: nowSeconds + MARKER_TTL_DAYS * 86400,
          },
          {
            expression: 'attribute_not_exists(PK) OR (#status = :sending AND claimedUntil < :now)',
            names: { '#status': 'status' },
            values: { ':sending': 'sending', ':now': nowSeconds },
          },
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const existing = await table.get(marker);
        if (existing?.status === 'sent') {
          // Sent by an earlier run that stopped before marking its items: finish that, send nothing.
          const ids = new Set((existing.itemIds as string[]) ?? []);
          await Promise.all(
            items.filter((item) => ids.has(item.id as string)).map((item) => leaveIndex(table, item, true)),
          );
        }
        outcome.alreadySent++;
        continue;
      }

      let messageId: string;
      try {
        ({ messageId } = await settings.mailer.send(
          digestMessage(person.recipient, period, groupDigest(readable), {
            publicUrl: settings.publicUrl,
            key,
          }),
        ));
      } catch (error) {
        outcome.failed++;
        logger.error('digest e-mail failed', { userId, period, bucket, error: (error as Error).message });
        await table.delete(marker);
        continue;
      }
      await table.update({
        Key: marker,
        UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at REMOVE claimedUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':at': now.toISOString() },
      });
      const sentIds = new Set(readable.map((n) => n.id));
      await Promise.all(
        items.filter((item) => sentIds.has(item.id as string)).map((item) => leaveIndex(table, item, true)),
      );
      outcome.sent++;
    } catch (error) {
      outcome.failed++;
      logger.error('digest failed', { userId, period, bucket, error: (error as Error).message });
    }
  }
  return outcome;
}

/** The notes whose space the person may read now: one BatchGetItem of the profile, spaces and memberships. */
async function readableNotes(table: Table, userId: string, notes: Notification[]): Promise<Notification[]> {
  if (notes.length === 0) return [];
  const spaceIds = [...new Set(notes.map((n) => n.spaceId))];
  const found = await table.getMany([
    keys.profile(userId),
    ...spaceIds.flatMap((spaceId) => [keys.space(spaceId), keys.member(spaceId, userId)]),
  ]);
  const profile = found[0];
  const readable = new Set(
    spaceIds.filter((_spaceId, i) => {
      const space = found[1 + i * 2];
      const member = found[2 + i * 2];
      return (
        space &&
        !space.deleting &&
        recipientCanRead(profile, toSpace(space), member ? toMember(member) : undefined)
      );
    }),
  );
  return notes.filter((n) => readable.has(n.spaceId));
}

/** Out of the "mail due" index; `emailed` also records that it went out in a digest. */
async function leaveIndex(table: Table, item: Item, emailed: boolean) {
  await table
    .update({
      Key: { PK: item.PK as string, SK: item.SK as string },
      UpdateExpression: emailed
        ? 'SET emailedAt = if_not_exists(emailedAt, :now) REMOVE GSI1PK, GSI1SK'
        : 'REMOVE GSI1PK, GSI1SK',
      ConditionExpression: 'attribute_exists(PK)',
      ...(emailed ? { ExpressionAttributeValues: { ':now': new Date().toISOString() } } : {}),
    })
    .catch((error) => {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    });
}
