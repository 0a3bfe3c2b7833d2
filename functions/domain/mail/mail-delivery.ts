/**
 * The fan-out's e-mail hook (functions/streams/fanout.ts calls it around its inbox writes):
 *
 * - `beforeWrite`: reads the recipients' preferences (one BatchGetItem per 50 people) and gives each
 *   new inbox item its `emailDue` attributes (email-due.ts);
 * - `afterWrite`: for every item due `immediately` — new or already there from an earlier attempt —
 *   claims it (a conditional update: due, not e-mailed, not read, no live claim), sends it, then sets
 *   `emailedAt`. A replayed batch finds `emailedAt` and sends nothing; a failed send releases the
 *   claim and throws, so the stream retries the record and the item is never marked sent. The one
 *   window left is a crash between the send and the mark (at most one repeat, after the claim expires).
 */
import { keys } from '../../data/keys';
import type { Table } from '../../data/table';
import { logger } from '../../platform/logger';
import type { Notification } from '../subscriptions/notification';
import { emailDueAttributes, frequencyFor } from './email-due';
import type { MailSettings } from './mail-port';
import { immediateMessage } from './message';
import { recipientsOf } from './recipients';

/** How long a claim keeps other senders off an item (longer than any send takes). */
export const CLAIM_SECONDS = 300;

export interface MailPlan {
  /** The e-mail attributes of a new inbox item (email-due.ts); none when no e-mail is wanted. */
  attributes(note: Notification): Record<string, unknown>;
}

export interface InboxMailHook {
  /** Reads the recipients' address and preferences: one BatchGetItem per 50 people. */
  prepare(recipientIds: readonly string[]): Promise<MailPlan>;
  /** Sends the items due `immediately` that were never sent; throws when a send failed. */
  afterWrite(notes: readonly Notification[], plan: MailPlan): Promise<void>;
}

export function createMailDelivery(
  table: Table,
  settings: MailSettings,
  now = () => new Date(),
): InboxMailHook {
  return {
    async prepare(recipientIds) {
      const people = recipientIds.length ? await recipientsOf(table, recipientIds) : new Map();
      return {
        attributes(note) {
          const person = people.get(note.recipientId);
          if (!person?.recipient) return {};
          return emailDueAttributes(note, frequencyFor(person.prefs, note));
        },
      };
    },

    async afterWrite(notes, plan) {
      const due = notes.filter((note) => plan.attributes(note).emailDue === 'immediately');
      if (due.length === 0) return;
      const claimed = (
        await Promise.all(due.map((note) => claim(note).then((ok) => (ok ? note : undefined))))
      ).filter((note): note is Notification => note !== undefined);
      if (claimed.length === 0) return;
      const people = await recipientsOf(
        table,
        claimed.map((n) => n.recipientId),
      );
      const key = await settings.unsubscribeKey();
      const failures: unknown[] = [];
      await Promise.all(
        claimed.map(async (note) => {
          const recipient = people.get(note.recipientId)?.recipient;
          const noteKey = keys.notification(note.recipientId, note.id);
          try {
            if (!recipient) throw new Error('recipient has no profile or address');
            const { messageId } = await settings.mailer.send(
              immediateMessage(recipient, note, { publicUrl: settings.publicUrl, key }),
            );
            await table.update({
              Key: noteKey,
              UpdateExpression: 'SET emailedAt = :now, messageId = :id REMOVE emailClaim',
              ExpressionAttributeValues: { ':now': now().toISOString(), ':id': messageId },
            });
          } catch (error) {
            failures.push(error);
            logger.error('immediate e-mail failed', {
              notificationId: note.id,
              error: (error as Error).message,
            });
            await table
              .update({
                Key: noteKey,
                UpdateExpression: 'REMOVE emailClaim',
                ConditionExpression: 'attribute_exists(PK)',
              })
              .catch(() => undefined);
          }
        }),
      );
      if (failures.length)
        throw new Error(`${failures.length} immediate e-mail(s) failed; the record is retried`);
    },
  };

  async function claim(note: Notification): Promise<boolean> {
    const at = Math.floor(now().getTime() / 1000);
    try {
      await table.update({
        Key: keys.notification(note.recipientId, note.id),
        UpdateExpression: 'SET emailClaim = :until',
        ConditionExpression:
          'emailDue = :immediately AND attribute_not_exists(emailedAt) AND attribute_not_exists(readAt) AND (attribute_not_exists(emailClaim) OR emailClaim < :now)',
        ExpressionAttributeValues: {
          ':until': at + CLAIM_SECONDS,
          ':now': at,
          ':immediately': 'immediately',
        },
      });
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
