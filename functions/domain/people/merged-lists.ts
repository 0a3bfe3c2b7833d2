/**
 * Reads one page of several index lists merged by sort key, as if they were one list: each list is
 * queried once (in parallel), the results merged, the first `limit` kept. The cursor holds, per list,
 * the sort key of the last item shown and whether the list is done, so a page has no gaps and no
 * duplicates and costs one Query per list that is not done, whatever the size of the lists. A partner's
 * directory (employees and their own organisation) is two lists read this way.
 */
import { encodeCursor, type Item, type Key, type Table } from '../../data/table';
import { InvalidInput } from '../errors';

export interface MergedList {
  index: 'GSI1' | 'GSI2';
  partition: string;
  /** The table key of the item with this index sort key (to continue after it). */
  keyOf(sortKey: string): Key;
  /** Only sort keys starting with this (type-ahead). */
  beginsWith?: string;
}

export interface MergedPage {
  items: Item[];
  cursor?: string;
}

interface CursorState {
  after: (string | null)[];
  done: boolean[];
}

export async function readMerged(
  table: Table,
  lists: MergedList[],
  options: { limit: number; cursor?: string; descending?: boolean },
): Promise<MergedPage> {
  if (lists.length === 0) return { items: [] };
  const state = decodeState(options.cursor, lists.length);
  const pages = await Promise.all(
    lists.map(async (list, i) => {
      if (state.done[i]) return { items: [] as Item[], more: false };
      const after = state.after[i];
      const page = await table.query({
        index: list.index,
        partition: list.partition,
        beginsWith: list.beginsWith,
        newestFirst: options.descending,
        limit: options.limit,
        cursor:
          after === null
            ? undefined
            : encodeCursor({
                ...list.keyOf(after),
                [`${list.index}PK`]: list.partition,
                [`${list.index}SK`]: after,
              }),
      });
      return { items: page.items, more: page.cursor !== undefined };
    }),
  );
  const sortKey = (item: Item, i: number) => item[`${lists[i].index}SK`] as string;
  const merged = pages
    .flatMap((page, i) => page.items.map((item) => ({ item, list: i, key: sortKey(item, i) })))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.list - b.list));
  if (options.descending) merged.reverse();
  const shown = merged.slice(0, options.limit);
  const next: CursorState = { after: [...state.after], done: [...state.done] };
  lists.forEach((_, i) => {
    if (state.done[i]) return;
    const mine = shown.filter((entry) => entry.list === i);
    if (mine.length) next.after[i] = mine[mine.length - 1].key;
    next.done[i] = !pages[i].more && mine.length === pages[i].items.length;
  });
  return {
    items: shown.map((entry) => entry.item),
    cursor: next.done.every(Boolean) ? undefined : Buffer.from(JSON.stringify(next)).toString('base64url'),
  };
}

function decodeState(cursor: string | undefined, lists: number): CursorState {
  if (!cursor) return { after: Array(lists).fill(null), done: Array(lists).fill(false) };
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value?.after) &&
      Array.isArray(value?.done) &&
      value.after.length === lists &&
      value.done.length === lists &&
      value.after.every(
        (a: unknown) => a === null || (typeof a === 'string' && a.length > 0 && a.length < 1024),
      ) &&
      value.done.every((d: unknown) => typeof d === 'boolean')
    )
      return value as CursorState;
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not valid for this list', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}

/** The user id at the end of a `<…>#<userId>` sort key (ids never contain '#'). */
export const userIdOfSortKey = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf('#') + 1);
