/**
 * The fan-out's events that are not a post, comment or page change (called by fanout.ts for their
 * item types), decided by the rules in domain/subscriptions/fanout-rules.ts:
 *
 * - **Likes** gather into ONE inbox item per post for its author ("Bob and 3 others liked …"). A
 *   marker item per author and post (`LIKES#<spaceId>#<postId>`) says which inbox item shows the likes
 *   now, the latest likers and the time of the last like gathered. A new like replaces that inbox item
 *   by a new one (new time, so it is at the top of the inbox again, and unread again even if the old
 *   one was read) in one transaction with the marker, conditioned on the like being newer than the
 *   last one gathered: a replayed or redelivered record changes nothing. An unlike changes nothing
 *   (the count is refreshed by the next like).
 * - **A space shared with a partner organisation** tells that organisation's partners (one GSI1 Query
 *   of its people directory, paged, at most MAX_SHARE_RECIPIENTS), each with a deterministic key
 *   written with `attribute_not_exists` (recipient, space, its version, event).
 */
import { TransactionFailed } from '../data/errors';
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import { toMember, toSpace } from '../domain/spaces/space';
import {
  type GatheredLikes,
  gatherLikes,
  likeOf,
  likeRecipient,
  recipientCanRead,
  sharedOf,
  shareRecipient,
} from '../domain/subscriptions/fanout-rules';
import { type Notification, notificationId, notificationItem } from '../domain/subscriptions/notification';
import { targetKey } from '../domain/subscriptions/subscription';
import { logger } from '../platform/logger';

export const GATHERED_ITEM_TYPES: readonly string[] = ['like', 'space'];
/** The most partners one share tells (larger organisations are cut there and logged). */
export const MAX_SHARE_RECIPIENTS = 1000;

export function createGatheredEvents(table: Table) {
  async function like(before: Item | undefined, after: Item | undefined) {
    const made = likeOf(before, after);
    if (!made) return;
    const { spaceId, postId } = made;
    const [spaceItem, post] = await table.getMany([keys.space(spaceId), keys.post(spaceId, postId)]);
    if (!spaceItem || !post) return;
    const authorId = post.authorId as string;
    const [profile, member, follow, postSub, marker, ownLike] = await table.getMany([
      keys.profile(authorId),
      keys.member(spaceId, authorId),
      keys.follow(authorId, made.liker.id),
      keys.subscription(authorId, 'post', targetKey({ kind: 'post', spaceId, postId })),
      keys.likesGathered(authorId, spaceId, postId),
      keys.like(spaceId, postId, authorId),
    ]);
    const space = toSpace(spaceItem);
    const recipient = likeRecipient(made, post, {
      canRead: recipientCanRead(profile, space, member ? toMember(member) : undefined),
      mutedActor: follow?.level === 'muted',
      mutedItem: postSub?.level === 'muted',
      mutedPlace: false,
    });
    if (!recipient) return;
    const likeCount = ((post.likeCount as number) ?? 0) - (ownLike ? 1 : 0);
    const previous = marker as (GatheredLikes & { noteId: string }) | undefined;
    const gathered = gatherLikes(previous, made, likeCount);
    if (!gathered) return;
    const source = keys.post(spaceId, postId);
    const notification: Notification = {
      id: notificationId(recipient, source, 0, 'post-liked', made.at),
      recipientId: recipient,
      event: 'post-liked',
      reason: 'your-post',
      actorId: made.liker.id,
      actorName: made.liker.name,
      ...(made.liker.org ? { actorOrg: made.liker.org } : {}),
      spaceId,
      spaceName: space.name,
      postId,
      title: post.title as string,
      excerpt: '',
      createdAt: made.at,
      likeCount: gathered.likeCount,
      likers: gathered.likers,
    };
    const markerKey = keys.likesGathered(recipient, spaceId, postId);
    try {
      await table.transact([
        {
          Put: {
            Item: { ...markerKey, type: 'likesGathered', ...gathered, noteId: notification.id },
            ConditionExpression: 'attribute_not_exists(PK) OR lastLikedAt < :at',
            ExpressionAttributeValues: { ':at': made.at },
          },
        },
        { Put: { Item: notificationItem(notification) } },
        ...(previous?.noteId && previous.noteId !== notification.id
          ? [{ Delete: { Key: keys.notification(recipient, previous.noteId) } }]
          : []),
      ]);
    } catch (error) {
      // A newer like was gathered meanwhile (or this one already was): nothing to change.
      if (error instanceof TransactionFailed && error.failedAt(0)) return;
      throw error;
    }
  }

  async function share(before: Item | undefined, after: Item | undefined) {
    const shared = sharedOf(before, after);
    if (!shared) return;
    const spaceItem = await table.get(keys.space(shared.spaceId));
    if (!spaceItem) return;
    const space = toSpace(spaceItem);
    const profiles: Item[] = [];
    for (const org of shared.orgs) {
      let cursor: string | undefined;
      do {
        const page = await table.query({
          index: 'GSI1',
          partition: keys.peopleDirectory(org),
          limit: 100,
          cursor,
        });
        profiles.push(...page.items);
        cursor = page.cursor;
      } while (cursor && profiles.length < MAX_SHARE_RECIPIENTS);
    }
    if (profiles.length >= MAX_SHARE_RECIPIENTS)
      logger.warn('share fan-out cut', { spaceId: shared.spaceId, limit: MAX_SHARE_RECIPIENTS });
    const source = keys.space(shared.spaceId);
    await Promise.all(
      profiles
        .filter((profile) => shareRecipient(shared, profile, space))
        .map(async (profile) => {
          const recipientId = profile.userId as string;
          const notification: Notification = {
            id: notificationId(recipientId, source, shared.change, 'space-shared', shared.at),
            recipientId,
            event: 'space-shared',
            reason: 'your-organisation',
            actorId: shared.actor.id,
            actorName: shared.actor.name,
            spaceId: shared.spaceId,
            spaceName: space.name,
            title: space.name,
            excerpt: space.description,
            createdAt: shared.at,
          };
          try {
            await table.put(notificationItem(notification), { expression: 'attribute_not_exists(PK)' });
          } catch (error) {
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          }
        }),
    );
  }

  return {
    async apply(before: Item | undefined, after: Item | undefined) {
      if (after?.type === 'like') return like(before, after);
      if (after?.type === 'space') return share(before, after);
    },
  };
}
