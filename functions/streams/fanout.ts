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
 *    replied to, and the first PAGE_SIZE subscribers of the event's places (GSI1 Queries, paged). The
 *    rest of a larger audience is not cut: its pages (which list, the Query cursor where the page
 *    starts, and the event) go onto the fan-out page queue (`pages`: SQS in AWS, the local queue
 *    locally), and `deliverPage` (fanout-pages-lambda.ts) writes each one exactly as steps 4-5 do;
 * 4. one BatchGetItem per 100 keys reads each candidate's profile, membership and mutes; the rules
 *    decide one notification per person;
 * 5. each is written with `attribute_not_exists`: its key is deterministic (recipient, source item,
 *    version, event kind), so a retried or replayed record, or a redelivered page, adds nothing; each
 *    item actually written is announced on the live channel (`live`), if one is wired;
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
  AUTO_WATCH_CAUSES,
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
import { createGatheredEvents, GATHERED_ITEM_TYPES, type SharePage } from './gathered-events';
import { announce, type LiveChannel } from './live-announce';
import type { StreamConsumer } from './stream-consumer';

/** Item types whose changes make events. */
export const FANOUT_ITEM_TYPES: readonly string[] = ['post', 'comment', 'page', ...GATHERED_ITEM_TYPES];
/**
 * The environment variable naming the fan-out page queue (set by lib/commonplace-stack.ts). Named here,
 * not in platform/environment.ts, whose ENV every bundle carries: only the fan-out reads it.
 */
export const FANOUT_PAGES_QUEUE_URL_ENV = 'FANOUT_PAGES_QUEUE_URL';
/**
 * Subscribers written by one stream record, and by one queued page: a page is one BatchGetItem round
 * per 100 keys and PAGE_SIZE conditional puts, well inside a Lambda's time and a stream batch's share.
 */
export const PAGE_SIZE = 200;
export { MAX_MENTIONS };

/** Where the rest of a large audience is paged: one message per page (SQS in AWS, a local queue locally). */
export interface FanoutPageQueue {
  send(pages: FanoutPage[]): Promise<void>;
}

/**
 * One message of the fan-out page queue: a page of an event's subscribers, or a page of the people of
 * an organisation a space was shared with (gathered-events.ts).
 */
export type FanoutPage = AudiencePage | SharePage;

/** One queued page of an audience: the event, and where in its subscriber lists the page starts. */
export interface AudiencePage {
  kind: 'fanout-page';
  event: ContentEvent;
  /** The stream record it came from (logs). */
  sequenceNumber: string;
  /** Index into the event's subscriber lists (`subscriberLists`). */
  list: number;
  /** The GSI1 Query cursor the page starts after; none for a list's first page. */
  cursor?: string;
}

export type { LiveChannel };

export interface FanoutDependencies {
  table: Table;
  /** E-mail of new inbox items (domain/mail/mail-delivery.ts); none when mail is off. */
  mail?: InboxMailHook;
  /** Without a queue, every page of a large audience is written inline (tests, the feed rebuild). */
  pages?: FanoutPageQueue;
  live?: LiveChannel;
  /** People per queued page of a share's organisation (tests make it small). @default PAGE_SIZE */
  sharePageSize?: number;
}

type Position = { list: number; cursor?: string };
type Listed = { userId: string; reason: Reason };

const image = (value: unknown) => (value ? (unmarshall(value as never) as Item) : undefined);

export function createFanout({
  table,
  mail,
  pages,
  live,
  sharePageSize,
}: FanoutDependencies): StreamConsumer<never> & {
  feed: FeedWriter;
  rebuildFeedOf(item: Item): Promise<void>;
  deliverPage(page: FanoutPage): Promise<void>;
} {
  const feed = createFeedWriter(table);
  const gathered = createGatheredEvents(table, { live, pages, pageSize: sharePageSize ?? PAGE_SIZE });

  /**
   * Creating, commenting and editing watch the thing (autoWatchOf), unless the person turned that off
   * (their subscription settings) or already chose (a watch or a mute: the put is conditional).
   */
  async function autoWatches(before: Item | undefined, after: Item | undefined) {
    const watch = autoWatchOf(before, after);
    if (!watch) return;
    const [settings, post, existing] = await table.getMany([
      keys.subscriptionSettings(watch.userId),
      watch.label === undefined && watch.target.kind === 'post'
        ? keys.post(watch.target.spaceId, watch.target.postId)
        : keys.subscriptionSettings(watch.userId),
      keys.subscription(watch.userId, watch.target.kind, targetKey(watch.target)),
    ]);
    if (!allows(watchSettingsOf(settings), watch)) return;
    // A watch or mute is there already (a second comment on the same post): nothing to write. The put
    // below stays conditional for one written since this read.
    if (existing) return;
    await putIfAbsent(
      watchItem(watch.userId, watch.target, {
        label: watch.label ?? (post?.type === 'post' ? (post.title as string) : ''),
        level: 'watching',
        auto: true,
        autoBecause: AUTO_WATCH_CAUSES[watch.setting],
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

  /**
   * The subscriber lists (GSI1 partitions) of an event, in a fixed order: queued pages index into it.
   * They are the rules' own `audienceLists`, so the "who will be notified" preview reads the same lists.
   */
  function subscriberLists(event: ContentEvent): { partition: string; reason: Reason }[] {
    return audienceLists(audienceOf(event));
  }

  /** Up to `limit` people of one list from `at` (one Query), and where the next page starts. */
  async function readPage(
    lists: ReturnType<typeof subscriberLists>,
    at: Position,
    limit: number,
  ): Promise<{ people: Listed[]; next?: Position }> {
    const { partition, reason } = lists[at.list];
    const page = await table.query({ index: 'GSI1', partition, limit, cursor: at.cursor });
    const people = page.items.map((item) => ({ userId: item.GSI1SK as string, reason }));
    const next = page.cursor
      ? { list: at.list, cursor: page.cursor }
      : at.list + 1 < lists.length
        ? { list: at.list + 1 }
        : undefined;
    return { people, next };
  }

  /** Where each further page starts: the lists are read through once, PAGE_SIZE at a time. */
  async function pageStarts(lists: ReturnType<typeof subscriberLists>, from: Position | undefined) {
    const starts: Position[] = [];
    for (let at = from; at; at = (await readPage(lists, at, PAGE_SIZE)).next) starts.push(at);
    return starts;
  }

  async function mentioned(handles: string[]): Promise<string[]> {
    const pages = await Promise.all(
      handles
        .slice(0, MAX_MENTIONS)
        .map((handle) => table.query({ index: 'GSI2', partition: keys.handle(handle), limit: 1 })),
    );
    return pages.flatMap((page) => page.items.map((item) => item.userId as string));
  }

  /** What is true now: gone, unpublished or being deleted tells nobody (undefined). */
  async function situation(event: ContentEvent) {
    const { spaceId } = event;
    const postKey = event.postId ? keys.post(spaceId, event.postId) : undefined;
    const [spaceItem, current, post, parent] = await table.getMany([
      keys.space(spaceId),
      event.source,
      postKey ?? event.source,
      event.parentId && event.postId ? keys.comment(spaceId, event.postId, event.parentId) : event.source,
    ]);
    if (!spaceItem || !current || current.deleting || current.deleted) return undefined;
    if (postKey && post?.status !== 'published') return undefined;
    return { spaceItem, current, post, parent };
  }

  async function fanOut(event: ContentEvent, sequenceNumber: string, notify = true) {
    const now = await situation(event);
    if (!now) return;
    const { post, parent } = now;

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
    // The first page: subscribers across the lists until PAGE_SIZE people are found.
    const lists = subscriberLists(event);
    let at: Position | undefined = lists.length ? { list: 0 } : undefined;
    let found = 0;
    while (at && found < PAGE_SIZE) {
      const page = await readPage(lists, at, PAGE_SIZE - found);
      for (const { userId, reason } of page.people) add(userId, reason);
      found += page.people.length;
      at = page.next;
    }

    // The rest of a large audience: queued page by page (written inline when there is no queue). The
    // first page is written meanwhile; a retry of this record re-sends the pages, which add nothing.
    const rest = async () => {
      const starts = await pageStarts(lists, at);
      if (starts.length === 0) return;
      const queued = starts.map(
        (start): AudiencePage => ({ kind: 'fanout-page', event, sequenceNumber, ...start }),
      );
      if (pages && notify) {
        await pages.send(queued);
        logger.info('fan-out audience paged', {
          sequenceNumber,
          spaceId: event.spaceId,
          pages: starts.length,
        });
      } else {
        for (const page of queued) await deliverPage(page, notify);
      }
    };
    await Promise.all([deliver(event, now, candidates, notify), rest()]);
  }

  /** One queued page: the people from its start, then the same decision and writes as the first page. */
  async function deliverPage(page: AudiencePage, notify = true) {
    const now = await situation(page.event);
    if (!now) return;
    const lists = subscriberLists(page.event);
    if (page.list >= lists.length) return;
    const { people } = await readPage(lists, { list: page.list, cursor: page.cursor }, PAGE_SIZE);
    const candidates = new Map<string, Set<Reason>>();
    for (const { userId, reason } of people) candidates.set(userId, new Set([reason]));
    await deliver(page.event, now, candidates, notify);
  }

  async function deliver(
    event: ContentEvent,
    { spaceItem, current, post }: NonNullable<Awaited<ReturnType<typeof situation>>>,
    candidates: Map<string, Set<Reason>>,
    notify: boolean,
  ) {
    const { spaceId } = event;
    candidates.delete(event.actor.id);
    if (candidates.size === 0) return;

    // Per candidate: profile, membership, and the mutes that concern this event.
    const itemTarget = audienceOf(event).item;
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
    const written: Notification[] = [];
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
        return putIfAbsent({ ...notificationItem(notification), ...mailPlan?.attributes(notification) }).then(
          (isNew) => {
            if (isNew) written.push(notification);
          },
        );
      }),
    );
    await announce(live, written);
    if (mail && mailPlan) await mail.afterWrite(notes, mailPlan);
  }

  return {
    name: 'fanout',
    itemTypes: FANOUT_ITEM_TYPES,
    feed,
    deliverPage: (page) => (page.kind === 'share-page' ? gathered.deliverSharePage(page) : deliverPage(page)),

    async handleRecord(record) {
      const before = image(record.dynamodb?.OldImage);
      const after = image(record.dynamodb?.NewImage);
      if (after?.type === 'like' || after?.type === 'space')
        return gathered.apply(before, after, record.dynamodb?.SequenceNumber ?? '');
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
