/**
 * Writes the home feed's items (domain/feed/feed-item.ts) from changes of posts, pages and comments.
 * Run by the fan-out consumer for every record it reads (fanout.ts), and by the rebuild
 * (domain/feed/rebuild.ts) for every post and page in the table. Idempotent: an item's key is a pure
 * function of its partition and activity, so a replayed record writes the same items again.
 *
 * - publish: the CURRENT space and item are read first: a thing deleted, unpublished or being deleted
 *   by now removes its items instead; the partitions come from the space as it is now and, for
 *   members-only and shared spaces, its members (one Query per 100). A page edit within COALESCE_MS
 *   of the page's newest item replaces it (`edits` counted); an edit older than the newest item (a
 *   replay) writes nothing.
 * - refresh (a post or comment edited): every item of the source gets the new title, excerpt and tags.
 * - remove: every item of the source goes (found by GSI2, `FEEDOF#<source>`).
 */
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import {
  type Activity,
  COALESCE_MS,
  type FeedChange,
  type FeedEntry,
  feedChangeOf,
  feedItem,
  partitionsFor,
  sourceOf,
} from '../domain/feed/feed-item';
import { toMember, toSpace } from '../domain/spaces/space';

export interface FeedWriter {
  /** Applies the feed change of one record (old and new images). */
  apply(
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown> | undefined,
  ): Promise<void>;
  /** Puts an activity in these people's own partitions (a comment, for the people the fan-out tells). */
  toPeople(activity: Activity, spaceName: string, userIds: string[]): Promise<void>;
}

export function createFeedWriter(table: Table): FeedWriter {
  /** Every item made from a source, newest first. */
  async function itemsOf(source: string): Promise<Item[]> {
    const found: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.query({
        index: 'GSI2',
        partition: keys.feedItemsOf(source),
        newestFirst: true,
        limit: 100,
        cursor,
      });
      found.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return found;
  }

  async function members(spaceId: string) {
    const found: { userId: string; org?: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await table.query({
        partition: keys.space(spaceId).PK,
        beginsWith: keys.memberPrefix,
        limit: 100,
        cursor,
      });
      found.push(...page.items.map(toMember));
      cursor = page.cursor;
    } while (cursor);
    return found;
  }

  const keyOf = (item: Item) => ({ PK: item.PK, SK: item.SK });

  async function remove(source: string) {
    await table.deleteMany((await itemsOf(source)).map(keyOf));
  }

  async function refresh(change: Extract<FeedChange, { op: 'refresh' }>) {
    const items = await itemsOf(change.source);
    await table.writeMany(
      items.map((item) => ({ ...item, ...change.fields })),
      [],
    );
  }

  async function publish(activity: Activity, coalesce: boolean) {
    const sourceKey =
      activity.kind === 'post'
        ? keys.post(activity.spaceId, activity.id)
        : activity.kind === 'page'
          ? keys.page(activity.spaceId, activity.id)
          : undefined;
    if (!sourceKey) return;
    const [spaceItem, current] = await table.getMany([keys.space(activity.spaceId), sourceKey]);
    const gone =
      !spaceItem ||
      !current ||
      current.deleting ||
      (activity.kind === 'post' && current.status !== 'published');
    if (gone) return remove(sourceOf(activity));
    const space = toSpace(spaceItem);

    let entry: FeedEntry = { ...activity, spaceName: space.name, edits: 1, since: activity.at };
    let replaced: Item[] = [];
    if (coalesce) {
      const existing = await itemsOf(sourceOf(activity));
      const newest = existing[0];
      if (newest && String(newest.at) >= activity.at) return; // a newer edit is shown already
      if (newest && Date.parse(activity.at) - Date.parse(String(newest.at)) < COALESCE_MS) {
        replaced = existing.filter((item) => item.at === newest.at);
        entry = {
          ...entry,
          edits: ((newest.edits as number) ?? 1) + 1,
          since: String(newest.since ?? newest.at),
        };
      }
    }
    const partitions = partitionsFor(space, space.audience === 'employees' ? [] : await members(space.id));
    await table.writeMany(
      partitions.map((partition) => feedItem(partition, entry)),
      replaced.map(keyOf),
    );
  }

  return {
    async apply(before, after) {
      const change = feedChangeOf(before, after);
      if (!change) return;
      if (change.op === 'remove') return remove(change.source);
      if (change.op === 'refresh') return refresh(change);
      return publish(change.activity, change.coalesce);
    },

    async toPeople(activity, spaceName, userIds) {
      const entry: FeedEntry = { ...activity, spaceName, edits: 1, since: activity.at };
      await table.writeMany(
        userIds.map((userId) => feedItem(keys.personalFeed(userId), entry)),
        [],
      );
    },
  };
}
