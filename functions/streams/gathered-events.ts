/**
 * The fan-out's events that are not a post, comment or page change (called by fanout.ts for their
 * item types), decided by the rules in domain/subscriptions/fanout-rules.ts:
 *
 * - **Likes** gather into ONE inbox item per post for its author ("Bob and 3 others liked …"). A
 *   marker item per author and post (`LIKES#<spaceId>#<postId>`) says which inbox item shows the likes
 *   now, the latest likers and the time of the last like gathered. A new like replaces that inbox item
 *   by a new one (new time, so it is at the top of the inbox again, and unread again even if the old
 *   one was read) in one transaction with the marker, conditioned on the marker's version being as read
 *   (likes of one batch are handled in parallel: a lost race reads again and gathers onto the winner).
 *   An older like handled after a newer one joins the likers of the item in place; a replayed or
 *   redelivered record changes nothing. An unlike changes nothing (the count is refreshed by the next like).
 * - **A space shared with a partner organisation** tells that organisation's partners, each with a
 *   deterministic key written with `attribute_not_exists` (recipient, space, its version, event). The
 *   first page of its people directory (one GSI1 Query) is written from the stream; the further pages
 *   go onto the fan-out page queue like a large audience of watchers (fanout.ts), so nobody is cut and
 *   a redelivered page adds nothing.
 */
import { TransactionFailed } from '../data/errors';
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import { type Space, toMember, toSpace } from '../domain/spaces/space';
import {
  type GatheredLikes,
  gatherLikes,
  likeOf,
  likeRecipient,
  recipientCanRead,
  type Shared,
  sharedOf,
  shareRecipient,
} from '../domain/subscriptions/fanout-rules';
import { type Notification, notificationId, notificationItem } from '../domain/subscriptions/notification';
import { targetKey } from '../domain/subscriptions/subscription';
import { logger } from '../platform/logger';
import { announce, type LiveChannel } from './live-announce';

export const GATHERED_ITEM_TYPES: readonly string[] = ['like', 'space'];

/** The likes marker: the gathered likes and the inbox item that shows them. */
type Marker = GatheredLikes & { noteId: string; version?: number };
/** Writes of one like raced by other likes of the same post before the record fails (and is retried). */
const GATHER_ATTEMPTS = 5;

/** One queued page of a share: the event, which organisation, and the directory cursor it starts after. */
export interface SharePage {
  kind: 'share-page';
  shared: Shared;
  org: string;
  cursor: string;
  /** The stream record it came from (logs). */
  sequenceNumber: string;
}

export interface GatheredEventsOptions {
  live?: LiveChannel;
  /** Where the further pages of a share go (the fan-out page queue); inline without one. */
  pages?: { send(pages: SharePage[]): Promise<void> };
  /** People per page of an organisation's directory. @default PAGE_SIZE (fanout.ts) */
  pageSize: number;
}

export function createGatheredEvents(table: Table, { live, pages, pageSize }: GatheredEventsOptions) {
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
    const own = ownLike ? 1 : 0;
    let likeCount = ((post.likeCount as number) ?? 0) - own;
    let previous = marker as Marker | undefined;
    // The records of one batch are handled in parallel: another like of this post may be gathered
    // between the read and the write. The write is conditioned on the marker's version as read; when it moved,
    // read it (and the count) again and gather onto what is there now.
    for (let attempt = 1; ; attempt++) {
      try {
        return await gatherOnto(previous, likeCount);
      } catch (error) {
        // The inbox item a late like would join is gone (read and expired): nothing to update.
        if (error instanceof TransactionFailed && error.failedAt(1)) return;
        if (!(error instanceof TransactionFailed && error.failedAt(0)) || attempt >= GATHER_ATTEMPTS)
          throw error;
        const [fresh, again] = await table.getMany([
          keys.likesGathered(recipient, spaceId, postId),
          keys.post(spaceId, postId),
        ]);
        previous = fresh as Marker | undefined;
        likeCount = ((again?.likeCount as number) ?? likeCount + own) - own;
      }
    }

    async function gatherOnto(previous: Marker | undefined, likeCount: number) {
      const like = made!;
      const to = recipient!;
      const gathered = gatherLikes(previous, like, likeCount);
      if (!gathered) return;
      // The marker's `version` moves with every write, late likes' in-place updates included.
      const markerPut = (noteId: string) => ({
        Put: {
          Item: {
            ...keys.likesGathered(to, spaceId, postId),
            type: 'likesGathered',
            ...gathered,
            noteId,
            version: (previous?.version ?? 0) + 1,
          },
          ConditionExpression: !previous
            ? 'attribute_not_exists(PK)'
            : previous.version
              ? 'version = :v'
              : 'attribute_not_exists(version)',
          ...(previous?.version ? { ExpressionAttributeValues: { ':v': previous.version } } : {}),
        },
      });
      if (previous && gathered.lastLikedAt === previous.lastLikedAt) {
        // An older like handled late: the item it joins stays where it is, read or not.
        await table.transact([
          markerPut(previous.noteId),
          {
            Update: {
              Key: keys.notification(to, previous.noteId),
              UpdateExpression: 'SET likers = :l, likeCount = :c',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':l': gathered.likers, ':c': gathered.likeCount },
            },
          },
        ]);
        return;
      }
      const notification: Notification = {
        id: notificationId(to, keys.post(spaceId, postId), 0, 'post-liked', like.at),
        recipientId: to,
        event: 'post-liked',
        reason: 'your-post',
        actorId: like.liker.id,
        actorName: like.liker.name,
        ...(like.liker.org ? { actorOrg: like.liker.org } : {}),
        spaceId,
        spaceName: space.name,
        postId,
        title: post!.title as string,
        excerpt: '',
        createdAt: like.at,
        likeCount: gathered.likeCount,
        likers: gathered.likers,
      };
      await table.transact([
        markerPut(notification.id),
        { Put: { Item: notificationItem(notification) } },
        ...(previous?.noteId && previous.noteId !== notification.id
          ? [{ Delete: { Key: keys.notification(to, previous.noteId) } }]
          : []),
      ]);
      await announce(live, [notification]);
    }
  }

  /** One page of an organisation's people directory (one GSI1 Query) and where the next starts. */
  async function directoryPage(org: string, cursor: string | undefined, limit: number) {
    return table.query({ index: 'GSI1', partition: keys.peopleDirectory(org), limit, cursor });
  }

  /**
   * A space newly shared with partner organisations: the first page of each organisation's people is
   * written here; the rest is not cut but queued page by page (`pages`, the fan-out page queue), each
   * page written by `deliverSharePage` exactly as this one. Without a queue (tests) they are written inline.
   */
  async function share(before: Item | undefined, after: Item | undefined, sequenceNumber: string) {
    const shared = sharedOf(before, after);
    if (!shared) return;
    const spaceItem = await table.get(keys.space(shared.spaceId));
    if (!spaceItem) return;
    const space = toSpace(spaceItem);
    await Promise.all(
      shared.orgs.map(async (org) => {
        const first = await directoryPage(org, undefined, pageSize);
        const rest = async () => {
          // Where each further page starts: the directory read through once (cursors only matter).
          const starts: string[] = [];
          for (
            let cursor = first.cursor;
            cursor;
            cursor = (await directoryPage(org, cursor, pageSize)).cursor
          )
            starts.push(cursor);
          if (starts.length === 0) return;
          const queued = starts.map(
            (cursor): SharePage => ({ kind: 'share-page', shared, org, cursor, sequenceNumber }),
          );
          if (pages) {
            await pages.send(queued);
            logger.info('share fan-out paged', { spaceId: shared.spaceId, org, pages: queued.length });
          } else for (const page of queued) await deliverSharePage(page);
        };
        await Promise.all([tell(shared, space, first.items), rest()]);
      }),
    );
  }

  /** One queued page of a share: the space as it is now, the people from the page's cursor. */
  async function deliverSharePage(page: SharePage) {
    const spaceItem = await table.get(keys.space(page.shared.spaceId));
    if (!spaceItem) return;
    const { items } = await directoryPage(page.org, page.cursor, pageSize);
    await tell(page.shared, toSpace(spaceItem), items);
  }

  /** Inbox items for the partners among `profiles` who may read the space now (deterministic keys). */
  async function tell(shared: Shared, space: Space, profiles: Item[]) {
    const source = keys.space(shared.spaceId);
    const written: Notification[] = [];
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
            written.push(notification);
          } catch (error) {
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          }
        }),
    );
    await announce(live, written);
  }

  return {
    async apply(before: Item | undefined, after: Item | undefined, sequenceNumber = '') {
      if (after?.type === 'like') return like(before, after);
      if (after?.type === 'space') return share(before, after, sequenceNumber);
    },
    deliverSharePage,
  };
}
