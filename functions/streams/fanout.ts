/**
 * The notification fan-out, a stream consumer (stream-consumer.ts): changes of posts, comments and
 * wiki pages → inbox items. Per record:
 *
 * 1. the rules (domain/subscriptions/fanout-rules.ts, `plan`) turn the old and new images into an event
 *    and its audience, or none; creating a post or page, commenting and editing a page also watch it
 *    (`autoWatchOf`, unless the person's settings say no; written conditioned on there being no watch
 *    or mute yet, so it never overrides a choice made); likes and shares of a space are gathered-events.ts;
 * 2. the CURRENT state is read (space, post, comment or page): a thing deleted, unpublished or being
 *    deleted by now tells nobody, and access is decided on the space as it is now;
 * 3. candidates: the newly mentioned (by handle), the post's author and the author of the comment
 *    replied to, and the subscribers of the event's places — one GSI1 Query per place, paged, at most
 *    MAX_CANDIDATES per record (a larger audience is cut there and logged; paging it through a queue
 *    is not built yet);
 * 4. one BatchGetItem per 100 keys reads each candidate's profile, membership and mutes; the rules
 *    decide one notification per person;
 * 5. each is written with `attribute_not_exists`: its key is deterministic (recipient, source item,
 *    version, event kind), so a retried or replayed record adds nothing;
 * 6. the home feed follows the same records (feed-writer.ts): published posts and page edits into the
 *    feed partitions of whoever may read them, a new comment into the own partition of each person
 *    told about it here, and deletions out of all of them.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { keys } from '../data/keys';
import type { Item, Key, Table } from '../data/table';
import { commentActivity } from '../domain/feed/feed-item';
import type { InboxMailHook } from '../domain/mail/mail-delivery';
import { toMember, toSpace } from '../domain/spaces/space';
import {
  allows,
  audienceLists,
  audienceOf,
  autoWatchOf,
  type CandidateFacts,
  type ContentEvent,
  decide,
  eventOf,
  MAX_MENTIONS,
  plan,
  recipientCanRead,
  watchSettingsOf,
} from '../domain/subscriptions/fanout-rules';
import {
  type Notification,
  notificationId,
  notificationItem,
  type Reason,
} from '../domain/subscriptions/notification';
import { targetKey, type WatchTarget, watchItem } from '../domain/subscriptions/subscription';
import { logger } from '../platform/logger';
import { createFeedWriter, type FeedWriter } from './feed-writer';
import { createGatheredEvents, GATHERED_ITEM_TYPES } from './gathered-events';
import type { StreamConsumer } from './stream-consumer';

/** Item types whose changes make events. */
export const FANOUT_ITEM_TYPES: readonly string[] = ['post', 'comment', 'page', ...GATHERED_ITEM_TYPES];
/** The most people one record is fanned out to; beyond it the audience is cut (and logged). */
export const MAX_CANDIDATES = 1000;
export { MAX_MENTIONS };

export interface FanoutDependencies {
  table: Table;
  /** E-mail of new inbox items (domain/mail/mail-delivery.ts); none when mail is off. */
  mail?: InboxMailHook;
}

const image = (value: unknown) => (value ? (unmarshall(value as never) as Item) : undefined);

export function createFanout({ table, mail }: FanoutDependencies): StreamConsumer<never> & {
  feed: FeedWriter;
  rebuildFeedOf(item: Item): Promise<void>;
} {
  const feed = createFeedWriter(table);
  const gathered = createGatheredEvents(table);

  /**
   * Creating, commenting and editing watch the thing (autoWatchOf), unless the person turned that off
   * (their subscription settings) or already chose (a watch or a mute: the put is conditional).
   */
  async function autoWatches(before: Item | undefined, after: Item | undefined) {
    const watch = autoWatchOf(before, after);
    if (!watch) return;
    const [settings, post] = await table.getMany([
      keys.subscriptionSettings(watch.userId),
      watch.label === undefined && watch.target.kind === 'post'
        ? keys.post(watch.target.spaceId, watch.target.postId)
        : keys.subscriptionSettings(watch.userId),
    ]);
    if (!allows(watchSettingsOf(settings), watch)) return;
    await putIfAbsent(
      watchItem(watch.userId, watch.target, {
        label: watch.label ?? (post?.type === 'post' ? (post.title as string) : ''),
        level: 'watching',
        auto: true,
        since: watch.since ?? new Date().toISOString(),
      }),
    );
  }

  async function putIfAbsent(item: Item): Promise<boolean> {
    try {
      await table.put(item, { expression: 'attribute_not_exists(PK)' });
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Everyone on the GSI1 lists of these partitions, paged, until `room` people are found. */
  async function listed(partitions: { partition: string; reason: Reason }[], room: number) {
    const found: { userId: string; reason: Reason }[] = [];
    let cut = false;
    for (const { partition, reason } of partitions) {
      let cursor: string | undefined;
      do {
        if (found.length >= room) {
          cut = true;
          break;
        }
        const page = await table.query({
          index: 'GSI1',
          partition,
          limit: Math.min(100, room - found.length),
          cursor,
        });
        for (const item of page.items) found.push({ userId: item.GSI1SK as string, reason });
        cursor = page.cursor;
      } while (cursor);
    }
    return { found, cut };
  }

  async function mentioned(handles: string[]): Promise<string[]> {
    const pages = await Promise.all(
      handles
        .slice(0, MAX_MENTIONS)
        .map((handle) => table.query({ index: 'GSI2', partition: keys.handle(handle), limit: 1 })),
    );
    return pages.flatMap((page) => page.items.map((item) => item.userId as string));
  }

  async function fanOut(event: ContentEvent, sequenceNumber: string, notify = true) {
    const { spaceId } = event;
    const postKey = event.postId ? keys.post(spaceId, event.postId) : undefined;
    const [spaceItem, current, post, parent] = await table.getMany([
      keys.space(spaceId),
      event.source,
      postKey ?? event.source,
      event.parentId && event.postId ? keys.comment(spaceId, event.postId, event.parentId) : event.source,
    ]);
    // What is true now decides: gone, unpublished or being deleted tells nobody.
    if (!spaceItem || !current || current.deleting || current.deleted) return;
    if (postKey && post?.status !== 'published') return;

    const audience = audienceOf(event);
    const candidates = new Map<string, Set<Reason>>();
    const add = (userId: string, reason: Reason) => {
      if (!candidates.has(userId)) candidates.set(userId, new Set());
      candidates.get(userId)!.add(reason);
    };
    for (const userId of await mentioned(event.newMentions)) add(userId, 'mention');
    if (audience.replyTo) {
      if (post) add(post.authorId as string, 'reply');
      if (event.parentId && parent && parent.type === 'comment' && !parent.deleted)
        add(parent.authorId as string, 'reply');
    }
    const { found, cut } = await listed(
      audienceLists(audience),
      Math.max(0, MAX_CANDIDATES - candidates.size),
    );
    for (const { userId, reason } of found) add(userId, reason);
    if (cut) logger.warn('fan-out audience cut', { sequenceNumber, spaceId, limit: MAX_CANDIDATES });
    candidates.delete(event.actor.id);
    if (candidates.size === 0) return;

    // Per candidate: profile, membership, and the mutes that concern this event.
    const itemTarget = audience.item;
    const places: WatchTarget[] = [
      { kind: 'space', spaceId },
      ...event.tags.map((tag): WatchTarget => ({ kind: 'tag', tag })),
    ];
    const people = [...candidates.keys()];
    const perPerson = (userId: string): Key[] => [
      keys.profile(userId),
      keys.member(spaceId, userId),
      keys.follow(userId, event.actor.id),
      keys.subscription(userId, itemTarget.kind, targetKey(itemTarget)),
      ...places.map((place) => keys.subscription(userId, place.kind, targetKey(place))),
    ];
    const width = perPerson(people[0]).length;
    const records = await table.getMany(people.flatMap(perPerson));
    const space = toSpace(spaceItem);
    const muted = (item: Item | undefined) => item?.level === 'muted';
    const facts = new Map<string, CandidateFacts>();
    people.forEach((userId, i) => {
      const [profile, member, follow, itemSub, ...placeSubs] = records.slice(i * width, (i + 1) * width);
      facts.set(userId, {
        canRead: recipientCanRead(profile, space, member ? toMember(member) : undefined),
        mutedActor: muted(follow),
        mutedItem: muted(itemSub),
        mutedPlace: placeSubs.some(muted),
      });
    });

    const title = event.title || (post?.title as string) || '';
    const told = decide(event, candidates, facts);
    if (event.event === 'comment-added' && told.length)
      await feed.toPeople(
        commentActivity(current, title),
        space.name,
        told.map(({ userId }) => userId),
      );
    if (!notify) return;
    // E-mail (domain/mail/mail-delivery.ts): due marks on each new item, then what is due now is sent.
    const mailPlan = await mail?.prepare(told.map(({ userId }) => userId));
    const notes: Notification[] = [];
    await Promise.all(
      told.map(({ userId, reason }) => {
        const notification: Notification = {
          id: notificationId(userId, event.source, event.change, event.event, event.at),
          recipientId: userId,
          event: event.event,
          reason,
          actorId: event.actor.id,
          actorName: event.actor.name,
          ...(event.actor.org ? { actorOrg: event.actor.org } : {}),
          spaceId,
          spaceName: space.name,
          ...(event.postId ? { postId: event.postId } : {}),
          ...(event.commentId ? { commentId: event.commentId } : {}),
          ...(event.pageId ? { pageId: event.pageId } : {}),
          title,
          excerpt: event.excerpt,
          createdAt: event.at,
        };
        notes.push(notification);
        return putIfAbsent({ ...notificationItem(notification), ...mailPlan?.attributes(notification) });
      }),
    );
    if (mail && mailPlan) await mail.afterWrite(notes, mailPlan);
  }

  return {
    name: 'fanout',
    itemTypes: FANOUT_ITEM_TYPES,
    feed,

    async handleRecord(record) {
      const before = image(record.dynamodb?.OldImage);
      const after = image(record.dynamodb?.NewImage);
      if (after?.type === 'like' || after?.type === 'space') return gathered.apply(before, after);
      await autoWatches(before, after);
      const planned = plan(before, after);
      if (planned) await fanOut(planned.event, record.dynamodb?.SequenceNumber ?? '');
      await feed.apply(before, after);
    },

    /**
     * The feed items of one post, page or comment as it is now, as if just written (the feed rebuild,
     * feed-rebuild.ts): no inbox items and no auto-watches are written.
     */
    async rebuildFeedOf(item: Item) {
      if (item.type !== 'comment') return feed.apply(undefined, item);
      const event = eventOf(undefined, item);
      if (event) await fanOut(event, 'rebuild', false);
    },
  };
}
