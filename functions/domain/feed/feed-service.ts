/**
 * The home feed, read in a constant number of requests whatever the number of spaces, people followed
 * and tags watched (docs/data-model.md, "Home feed"):
 *
 * 1. one Query per partition the reader reads — the employees' partition (a partner: their
 *    organisation's) and their own — in parallel, each newest first from where the cursor left it;
 * 2. merged by time, the first `limit` kept; the cursor is each partition's last item shown (a
 *    partition all of whose items were shown and that has no more is marked done), so paging has no
 *    gaps and no duplicates;
 * 3. one BatchGetItem of the spaces on the page and the reader's membership of each (readableAmong):
 *    an item the reader can no longer read (removed from a members-only space, a share revoked, an
 *    audience narrowed, the space deleted) is left out. A page can therefore hold fewer than `limit`
 *    items and still have a cursor; nothing is left out that the reader may read.
 */
import { InvalidCursor } from '../../data/errors';
import { keys } from '../../data/keys';
import { encodeCursor, type Item, type Page } from '../../data/table';
import type { DomainContext } from '../context';
import { isEmployee, isPartner, type Principal } from '../principal';
import { visibleAuthor } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import { type FeedEntry, linkOf, sourceOf, toFeedEntry } from './feed-item';

export interface FeedEntryView extends FeedEntry {
  link: string;
}

interface FeedCursor {
  /** Per partition, the sort key of the last item shown, or null before the first. */
  after: (string | null)[];
  /** Per partition, whether every item of it has been shown. */
  done: boolean[];
}

/** The partitions a reader's feed is merged from (at most two), in a fixed order the cursor relies on. */
export function feedPartitions(principal: Principal): string[] {
  if (isPartner(principal))
    return principal.org ? [keys.organisationFeed(principal.org), keys.personalFeed(principal.userId)] : [];
  if (isEmployee(principal)) return [keys.employeesFeed, keys.personalFeed(principal.userId)];
  return [];
}

export class FeedService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  async feed(principal: Principal, limit: number, cursor?: string): Promise<Page<FeedEntryView>> {
    const partitions = feedPartitions(principal);
    const state = cursor ? decodeFeedCursor(cursor, partitions.length) : undefined;
    const pages = await Promise.all(
      partitions.map((partition, i) =>
        state?.done[i]
          ? { items: [] as Item[], cursor: undefined }
          : this.ctx.table.query({
              partition,
              beginsWith: keys.feedPrefix,
              newestFirst: true,
              limit,
              cursor: state?.after[i] ? encodeCursor({ PK: partition, SK: state.after[i] }) : undefined,
            }),
      ),
    );
    const merged = pages
      .flatMap((page, i) => page.items.map((item) => ({ item, from: i })))
      .sort((a, b) => (a.item.SK < b.item.SK ? 1 : a.item.SK > b.item.SK ? -1 : a.from - b.from))
      .slice(0, limit);
    const next: FeedCursor = {
      after: partitions.map((_, i) => {
        const shown = merged.filter((m) => m.from === i);
        return shown.length ? shown[shown.length - 1].item.SK : (state?.after[i] ?? null);
      }),
      done: partitions.map((_, i) => {
        if (state?.done[i]) return true;
        const shown = merged.filter((m) => m.from === i).length;
        return !pages[i].cursor && shown === pages[i].items.length;
      }),
    };

    // Trim to what the reader may read now: one BatchGetItem of the page's spaces and memberships.
    const entries = merged.map(({ item }) => toFeedEntry(item));
    const readable = await this.spaces.readableAmong(
      principal,
      entries.map((entry) => entry.spaceId),
    );
    const seen = new Set<string>();
    const items = entries.filter((entry) => {
      const source = sourceOf(entry);
      if (seen.has(source) || !readable.has(entry.spaceId)) return false;
      seen.add(source);
      return true;
    });
    return {
      items: items.map((entry) => ({ ...visibleAuthor(principal, entry), link: linkOf(entry) })),
      cursor: next.done.every(Boolean) ? undefined : Buffer.from(JSON.stringify(next)).toString('base64url'),
    };
  }
}

function decodeFeedCursor(cursor: string, partitions: number): FeedCursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after: unknown[] = value?.after;
    const done: unknown[] = value?.done;
    if (
      Array.isArray(after) &&
      Array.isArray(done) &&
      after.length === partitions &&
      done.length === partitions &&
      after.every(
        (sk) => sk === null || (typeof sk === 'string' && sk.startsWith(keys.feedPrefix) && sk.length < 1024),
      ) &&
      done.every((flag) => typeof flag === 'boolean')
    )
      return { after: after as (string | null)[], done: done as boolean[] };
  } catch {
    // fall through
  }
  throw new InvalidCursor();
}
