/**
 * A person's save of a URL, and the items that make each list one Query: pointer entries (tag,
 * favourite, every-employee, space) that change only when the save's tags, favourite mark or
 * visibility change, plus the tag-cloud counters. All of them come from the save alone (`entriesOf`,
 * `tagCountsOf`), so writing a change is a diff of two sets, applied in one transaction.
 */
import { keys } from '../../data/keys';
import type { Item, Key, TransactItem } from '../../data/table';

export type Visibility = 'private' | 'employees' | 'space';
export const VISIBILITIES: readonly Visibility[] = ['private', 'employees', 'space'];

/** Tags a save may carry: keeps the worst edit (every tag swapped, visibility changed) within one transaction. */
export const MAX_BOOKMARK_TAGS = 15;

export interface UrlMeta {
  title?: string;
  description?: string;
  icon?: string;
}

export interface Bookmark {
  userId: string;
  userName: string;
  userOrg?: string;
  urlHash: string;
  url: string;
  host: string;
  title: string;
  description: string;
  tags: string[];
  visibility: Visibility;
  spaceId?: string;
  spaceName?: string;
  favourite: boolean;
  savedAt: string;
  updatedAt: string;
  version: number;
}

/** The shared URL item: one per normalised URL, with a count of every save (private ones too). */
export interface BookmarkUrl {
  urlHash: string;
  url: string;
  host: string;
  firstSavedAt: string;
  saverCount: number;
  /** Saves every employee may see (visibility `employees`): what a list shows without asking who. */
  sharedSaverCount?: number;
  meta?: UrlMeta;
  metaFetchedAt?: string;
}

export const BOOKMARK_TYPE = 'bookmark';
/** The metadata fetcher's stream consumer keys on exactly this type (a contract: do not rename). */
export const BOOKMARK_URL_TYPE = 'bookmarkUrl';
export const BOOKMARK_ENTRY_TYPE = 'bookmarkEntry';

export function bookmarkItem(b: Bookmark): Item {
  return {
    ...keys.bookmark(b.userId, b.urlHash),
    type: BOOKMARK_TYPE,
    GSI1PK: keys.saversOf(b.urlHash),
    GSI1SK: `${b.savedAt}#${b.userId}`,
    GSI2PK: keys.bookmarksOf(b.userId),
    GSI2SK: `${b.savedAt}#${b.urlHash}`,
    ...b,
  };
}

export function toBookmark(item: Item): Bookmark {
  return {
    userId: item.userId as string,
    userName: item.userName as string,
    ...(item.userOrg ? { userOrg: item.userOrg as string } : {}),
    urlHash: item.urlHash as string,
    url: item.url as string,
    host: item.host as string,
    title: (item.title as string) ?? '',
    description: (item.description as string) ?? '',
    tags: (item.tags as string[]) ?? [],
    visibility: item.visibility as Visibility,
    ...(item.spaceId ? { spaceId: item.spaceId as string } : {}),
    ...(item.spaceName ? { spaceName: item.spaceName as string } : {}),
    favourite: item.favourite === true,
    savedAt: item.savedAt as string,
    updatedAt: item.updatedAt as string,
    version: (item.version as number) ?? 1,
  };
}

export function toBookmarkUrl(item: Item): BookmarkUrl {
  const meta = item.meta as UrlMeta | undefined;
  return {
    urlHash: item.urlHash as string,
    url: item.url as string,
    host: item.host as string,
    firstSavedAt: item.firstSavedAt as string,
    saverCount: (item.saverCount as number) ?? 0,
    ...(typeof item.sharedSaverCount === 'number' ? { sharedSaverCount: item.sharedSaverCount } : {}),
    ...(meta && typeof meta === 'object' ? { meta: plainMeta(meta) } : {}),
    ...(item.metaFetchedAt ? { metaFetchedAt: item.metaFetchedAt as string } : {}),
  };
}

/** Only the three plain-text fields, only strings, the icon only as a data: URL (it is shown as an image). */
function plainMeta(meta: UrlMeta): UrlMeta {
  const text = (value: unknown) => (typeof value === 'string' && value ? value.slice(0, 2000) : undefined);
  const icon = typeof meta.icon === 'string' && /^data:image\//.test(meta.icon) ? meta.icon : undefined;
  return JSON.parse(JSON.stringify({ title: text(meta.title), description: text(meta.description), icon }));
}

/**
 * Creates the URL item on the first save and counts every save; `if_not_exists` keeps the first
 * saver's time and leaves the fetcher's `meta` alone. An update that creates the item is an INSERT
 * on the stream, which is what the metadata consumer waits for.
 */
export function countUrlSave(
  url: { url: string; host: string; urlHash: string },
  now: string,
  delta: 1 | -1,
  shared: number,
): TransactItem {
  const sharedCount = shared !== 0 ? ' sharedSaverCount :shared' : '';
  const sharedValue = shared !== 0 ? { ':shared': shared } : {};
  if (delta < 0)
    return {
      Update: {
        Key: keys.bookmarkUrl(url.urlHash),
        UpdateExpression: `ADD saverCount :delta${sharedCount ? `,${sharedCount}` : ''}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':delta': -1, ...sharedValue },
      },
    };
  return {
    Update: {
      Key: keys.bookmarkUrl(url.urlHash),
      UpdateExpression: `SET #type = :type, #url = if_not_exists(#url, :url), urlHash = :hash, host = if_not_exists(host, :host), firstSavedAt = if_not_exists(firstSavedAt, :now) ADD saverCount :delta${sharedCount ? `,${sharedCount}` : ''}`,
      ExpressionAttributeNames: { '#type': 'type', '#url': 'url' },
      ExpressionAttributeValues: {
        ':type': BOOKMARK_URL_TYPE,
        ':url': url.url,
        ':hash': url.urlHash,
        ':host': url.host,
        ':now': now,
        ':delta': 1,
        ...sharedValue,
      },
    },
  };
}

/** How a save's move between states changes the URL's count of saves every employee sees (-1, 0 or 1). */
export function sharedDelta(before: Bookmark | undefined, after: Bookmark | undefined): number {
  const shared = (b: Bookmark | undefined) => (b?.visibility === 'employees' ? 1 : 0);
  return shared(after) - shared(before);
}

/** The URL item's shared count moved by an edit that changes who sees a save (the save count stays). */
export function countSharedChange(urlHash: string, shared: number): TransactItem {
  return {
    Update: {
      Key: keys.bookmarkUrl(urlHash),
      UpdateExpression: 'ADD sharedSaverCount :shared',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':shared': shared },
    },
  };
}

/** The pointer entries a save has in its current state (each names the save by userId and urlHash). */
export function entriesOf(b: Bookmark): Item[] {
  const pointer = { type: BOOKMARK_ENTRY_TYPE, userId: b.userId, urlHash: b.urlHash, savedAt: b.savedAt };
  const entries: Item[] = b.tags.map((tag) => ({
    ...keys.bookmarkTagEntry(b.userId, tag, b.savedAt, b.urlHash),
    ...pointer,
  }));
  if (b.favourite)
    entries.push({ ...keys.bookmarkFavouriteEntry(b.userId, b.savedAt, b.urlHash), ...pointer });
  if (b.visibility === 'employees')
    entries.push({
      ...keys.bookmarkEmployeesEntry(b.userId, b.savedAt, b.urlHash),
      ...pointer,
      GSI1PK: keys.employeeBookmarks,
      GSI1SK: `${b.savedAt}#${b.userId}#${b.urlHash}`,
    });
  if (b.visibility === 'space' && b.spaceId)
    entries.push({
      ...keys.bookmarkSpaceEntry(b.spaceId, b.savedAt, b.userId, b.urlHash),
      ...pointer,
      ...(b.userOrg ? { userOrg: b.userOrg } : {}),
    });
  return entries;
}

/** The tag-cloud counters a save contributes to: its owner's for every tag, the company's when every employee sees it. */
export function tagCountsOf(b: Bookmark | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  if (!b) return counts;
  for (const tag of b.tags) {
    counts.set(`mine|${tag}`, 1);
    if (b.visibility === 'employees') counts.set(`company|${tag}`, 1);
  }
  return counts;
}

/** Everything but the save item itself that moves from `before` to `after`: entries put or deleted, counters added. */
export function derivedChanges(
  userId: string,
  before: Bookmark | undefined,
  after: Bookmark | undefined,
): TransactItem[] {
  const oldEntries = before ? entriesOf(before) : [];
  const newEntries = after ? entriesOf(after) : [];
  const id = (k: Key) => `${k.PK}|${k.SK}`;
  const newIds = new Set(newEntries.map(id));
  const oldIds = new Set(oldEntries.map(id));
  const changes: TransactItem[] = [
    ...newEntries.filter((e) => !oldIds.has(id(e))).map((Item) => ({ Put: { Item } })),
    ...oldEntries.filter((e) => !newIds.has(id(e))).map((e) => ({ Delete: { Key: { PK: e.PK, SK: e.SK } } })),
  ];
  const oldCounts = tagCountsOf(before);
  const newCounts = tagCountsOf(after);
  for (const name of new Set([...oldCounts.keys(), ...newCounts.keys()])) {
    const delta = (newCounts.get(name) ?? 0) - (oldCounts.get(name) ?? 0);
    if (delta !== 0) changes.push(addToTagCount(userId, name, delta));
  }
  return changes;
}

export function addToTagCount(userId: string, name: string, delta: number): TransactItem {
  const [scope, tag] = name.split('|') as ['mine' | 'company', string];
  return {
    Update: {
      Key: scope === 'mine' ? keys.bookmarkTagCount(userId, tag) : keys.companyBookmarkTagCount(tag),
      UpdateExpression: 'SET #type = :type, tag = :tag ADD #count :delta',
      ExpressionAttributeNames: { '#type': 'type', '#count': 'count' },
      ExpressionAttributeValues: { ':type': 'bookmarkTagCount', ':tag': tag, ':delta': delta },
    },
  };
}

export interface Bundle {
  id: string;
  name: string;
  any: string[];
  all: string[];
  none: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function bundleItem(userId: string, bundle: Bundle): Item {
  return { ...keys.bookmarkBundle(userId, bundle.id), type: 'bookmarkBundle', ...bundle };
}

export function toBundle(item: Item): Bundle {
  return {
    id: item.id as string,
    name: item.name as string,
    any: (item.any as string[]) ?? [],
    all: (item.all as string[]) ?? [],
    none: (item.none as string[]) ?? [],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: (item.version as number) ?? 1,
  };
}

/** Whether a save's tags pass a bundle's filter: any (one of, when given), all, none. */
export function matchesBundle(
  tags: readonly string[],
  bundle: Pick<Bundle, 'any' | 'all' | 'none'>,
): boolean {
  const has = new Set(tags);
  if (bundle.any.length && !bundle.any.some((t) => has.has(t))) return false;
  if (!bundle.all.every((t) => has.has(t))) return false;
  return !bundle.none.some((t) => has.has(t));
}
