/**
 * Social bookmarks: save, edit, delete and favourite a link; who else saved it, trimmed to what the
 * caller may see; the lists (mine, by tag, favourites, everyone's recent, popular, by person, by
 * space, a bundle's); tag clouds, rename/merge; bundles. Each list is one Query of a partition that
 * holds only what the list shows, then one BatchGetItem of the saves and their URL items (for the
 * fetched metadata); docs/data-model.md lists the keys.
 *
 * Who sees a save: its owner always; `private` nobody else; `employees` every employee; `space` the
 * space's readers — and a partner never sees another partner organisation's saves.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import { encodeCursor, type Item, type Page, type TransactItem } from '../../data/table';
import type { DomainContext } from '../context';
import { DomainError, EditConflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { isEmployee, isPartner, type Principal } from '../principal';
import { canContribute, canSeePerson } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import {
  type Bookmark,
  type BookmarkUrl,
  type Bundle,
  bookmarkItem,
  bundleItem,
  countSharedChange,
  countUrlSave,
  derivedChanges,
  MAX_BOOKMARK_TAGS,
  matchesBundle,
  sharedDelta,
  toBookmark,
  toBookmarkUrl,
  toBundle,
  type UrlMeta,
  type Visibility,
} from './bookmark';
import { isUrlProblem, type NormalisedUrl, normaliseUrl } from './url';

export interface SaveInput {
  url: string;
  title?: string;
  description?: string;
  tags?: string[];
  visibility?: Visibility;
  spaceId?: string;
  favourite?: boolean;
}

export interface EditInput {
  title?: string;
  description?: string;
  tags?: string[];
  visibility?: Visibility;
  spaceId?: string | null;
  favourite?: boolean;
  version: number;
}

export interface BookmarkView {
  id: string;
  url: string;
  host: string;
  /** The saver's own title, else the fetched page title, else empty. */
  title: string;
  description: string;
  tags: string[];
  visibility: Visibility;
  spaceId?: string;
  spaceName?: string;
  savedAt: string;
  updatedAt: string;
  savedBy: { userId: string; name: string; org?: string };
  meta?: UrlMeta;
  /** How many people saved this link for every employee (employees only; absent when not counted). */
  sharedSaves?: number;
  mine: boolean;
  /** Only on the caller's own saves. */
  favourite?: boolean;
  version?: number;
}

export interface PopularView {
  id: string;
  url: string;
  host: string;
  title: string;
  description: string;
  meta?: UrlMeta;
  saveCount: number;
  lastSavedAt: string;
}

export interface Lookup {
  url: string;
  id: string;
  host: string;
  meta?: UrlMeta;
  mine?: BookmarkView;
  others: {
    count: number;
    /** More saves exist than were looked at (the newest 100). */
    more: boolean;
    people: { userId: string; name: string; org?: string; savedAt: string }[];
  };
}

export type TagCount = { tag: string; count: number };

/** Popular: the newest saves of the last 30 days every employee sees, at most this many (one Query page). */
export const POPULAR_WINDOW_SAVES = 1000;
const POPULAR_DAYS = 30;
const SAVERS_LOOKED_AT = 100;
const BUNDLE_SCAN_WINDOW = 200;

type Pointer = { userId: string; urlHash: string };

export class BookmarkService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  // ------------------------------------------------------------------ writes

  async save(principal: Principal, input: SaveInput): Promise<BookmarkView> {
    assertMaySave(principal);
    const url = normalised(input.url);
    const visibility = input.visibility ?? 'private';
    const space = await this.placeFor(principal, visibility, input.spaceId);
    const now = this.ctx.clock.now().toISOString();
    const bookmark: Bookmark = {
      userId: principal.userId,
      userName: principal.name,
      ...(principal.org ? { userOrg: principal.org } : {}),
      ...url,
      title: input.title?.trim() ?? '',
      description: input.description?.trim() ?? '',
      tags: uniqueTags(input.tags),
      visibility,
      ...space,
      favourite: input.favourite ?? false,
      savedAt: now,
      updatedAt: now,
      version: 1,
    };
    try {
      await this.ctx.table.transact([
        { Put: { Item: bookmarkItem(bookmark), ConditionExpression: 'attribute_not_exists(PK)' } },
        countUrlSave(url, now, 1, sharedDelta(undefined, bookmark)),
        ...derivedChanges(principal.userId, undefined, bookmark),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0)) throw new AlreadySaved(url.urlHash);
      throw error;
    }
    return view(principal, bookmark);
  }

  async get(principal: Principal, id: string): Promise<BookmarkView> {
    const [item, urlItem] = await this.ctx.table.getMany([
      keys.bookmark(principal.userId, id),
      keys.bookmarkUrl(id),
    ]);
    if (!item) throw new NotFound('Bookmark');
    return view(principal, toBookmark(item), urlItem && toBookmarkUrl(urlItem));
  }

  async edit(principal: Principal, id: string, input: EditInput): Promise<BookmarkView> {
    const current = await this.own(principal, id);
    if (current.version !== input.version) throw new EditConflict('The bookmark', current.version);
    const visibility = input.visibility ?? current.visibility;
    const spaceId = input.spaceId === null ? undefined : (input.spaceId ?? current.spaceId);
    const movesPlace = visibility !== current.visibility || spaceId !== current.spaceId;
    const place = movesPlace
      ? await this.placeFor(principal, visibility, visibility === 'space' ? spaceId : undefined)
      : { spaceId: current.spaceId, spaceName: current.spaceName };
    const next: Bookmark = {
      ...current,
      title: input.title?.trim() ?? current.title,
      description: input.description?.trim() ?? current.description,
      tags: input.tags ? uniqueTags(input.tags) : current.tags,
      visibility,
      spaceId: place.spaceId,
      spaceName: place.spaceName,
      favourite: input.favourite ?? current.favourite,
      updatedAt: this.ctx.clock.now().toISOString(),
      version: current.version + 1,
    };
    if (!next.spaceId) delete next.spaceId;
    if (!next.spaceName) delete next.spaceName;
    await this.rewrite(principal, current, next);
    return view(principal, next);
  }

  /** Marking a favourite is not an edit of the content: no new version, but never over a concurrent edit. */
  async setFavourite(principal: Principal, id: string, favourite: boolean): Promise<BookmarkView> {
    const current = await this.own(principal, id);
    const next = { ...current, favourite };
    if (current.favourite !== favourite) await this.rewrite(principal, current, next);
    return view(principal, next);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const current = await this.own(principal, id);
    try {
      await this.ctx.table.transact([
        {
          Delete: {
            Key: keys.bookmark(principal.userId, id),
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        countUrlSave(current, current.updatedAt, -1, sharedDelta(current, undefined)),
        ...derivedChanges(principal.userId, current, undefined),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new EditConflict('The bookmark', current.version);
      throw error;
    }
  }

  // ------------------------------------------------------------------ who else saved this

  async lookup(principal: Principal, rawUrl: string): Promise<Lookup> {
    const url = normalised(rawUrl);
    const [[urlItem, myItem], savers] = await Promise.all([
      this.ctx.table.getMany([keys.bookmarkUrl(url.urlHash), keys.bookmark(principal.userId, url.urlHash)]),
      this.ctx.table.query({
        index: 'GSI1',
        partition: keys.saversOf(url.urlHash),
        newestFirst: true,
        limit: SAVERS_LOOKED_AT,
      }),
    ]);
    const others = savers.items.map(toBookmark).filter((b) => b.userId !== principal.userId);
    const spaceIds = others.filter((b) => b.visibility === 'space' && b.spaceId).map((b) => b.spaceId!);
    const readable = spaceIds.length
      ? await this.spaces.readableAmong(principal, spaceIds)
      : new Map<string, unknown>();
    const visible = others.filter((b) => visibleTo(principal, b, readable.has(b.spaceId ?? '')));
    const known = urlItem ? toBookmarkUrl(urlItem) : undefined;
    return {
      url: url.url,
      id: url.urlHash,
      host: url.host,
      ...(known?.meta ? { meta: known.meta } : {}),
      ...(myItem ? { mine: view(principal, toBookmark(myItem), known) } : {}),
      others: {
        count: visible.length,
        more: savers.cursor !== undefined,
        people: visible.map((b) => ({
          userId: b.userId,
          name: b.userName,
          ...(b.userOrg ? { org: b.userOrg } : {}),
          savedAt: b.savedAt,
        })),
      },
    };
  }

  // ------------------------------------------------------------------ lists

  /** Mine, newest first; or with one tag; or my favourites. */
  async mine(
    principal: Principal,
    filter: { tag?: string; favourites?: boolean },
    limit: number,
    cursor?: string,
  ): Promise<Page<BookmarkView>> {
    const me = principal.userId;
    if (!filter.tag && !filter.favourites) {
      const page = await this.ctx.table.query({
        index: 'GSI2',
        partition: keys.bookmarksOf(me),
        newestFirst: true,
        limit,
        cursor,
      });
      return this.withUrls(principal, page.items.map(toBookmark), page.cursor);
    }
    const page = await this.ctx.table.query({
      partition: `USER#${me}`,
      beginsWith: filter.tag ? keys.bookmarkTagEntryPrefix(filter.tag) : keys.bookmarkFavouritePrefix,
      newestFirst: true,
      limit,
      cursor,
    });
    const { saves, urls } = await this.resolve(pointers(page.items));
    const shown = saves.filter((b) => !filter.favourites || b.favourite);
    return { items: shown.map((b) => view(principal, b, urls.get(b.urlHash))), cursor: page.cursor };
  }

  /** Everyone's newest saves that every employee may see (partners see links through their spaces). */
  async recent(principal: Principal, limit: number, cursor?: string): Promise<Page<BookmarkView>> {
    assertEmployee(principal, 'Everyone’s recent links');
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.employeeBookmarks,
      newestFirst: true,
      limit,
      cursor,
    });
    const { saves, urls } = await this.resolve(pointers(page.items));
    return {
      items: saves
        .filter((b) => visibleTo(principal, b, false))
        .map((b) => view(principal, b, urls.get(b.urlHash))),
      cursor: page.cursor,
    };
  }

  /**
   * The links most saved in the last 30 days, counted over the newest saves every employee may see
   * (one Query page of at most POPULAR_WINDOW_SAVES, ranked here): cheap, and no counter to decay.
   */
  async popular(principal: Principal, limit: number, cursor?: string): Promise<Page<PopularView>> {
    assertEmployee(principal, 'Popular links');
    const offset = decodeOffset(cursor);
    const since = new Date(this.ctx.clock.now().getTime() - POPULAR_DAYS * 86_400_000).toISOString();
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.employeeBookmarks,
      newestFirst: true,
      limit: POPULAR_WINDOW_SAVES,
    });
    const byUrl = new Map<string, { count: number; lastSavedAt: string; latest: Pointer }>();
    for (const entry of page.items) {
      const savedAt = entry.savedAt as string;
      if (savedAt < since) break;
      const hash = entry.urlHash as string;
      const seen = byUrl.get(hash);
      if (seen) seen.count++;
      else
        byUrl.set(hash, {
          count: 1,
          lastSavedAt: savedAt,
          latest: { userId: entry.userId as string, urlHash: hash },
        });
    }
    const ranked = [...byUrl.entries()].sort(
      ([, a], [, b]) => b.count - a.count || b.lastSavedAt.localeCompare(a.lastSavedAt),
    );
    const shown = ranked.slice(offset, offset + limit);
    const { saves, urls } = await this.resolve(shown.map(([, s]) => s.latest));
    const saveOf = new Map(saves.map((b) => [b.urlHash, b]));
    return {
      items: shown.flatMap(([hash, stats]) => {
        const url = urls.get(hash);
        const save = saveOf.get(hash);
        if (!url) return [];
        return [
          {
            id: hash,
            url: url.url,
            host: url.host,
            title: save?.title || url.meta?.title || '',
            description: save?.description || url.meta?.description || '',
            ...(url.meta ? { meta: url.meta } : {}),
            saveCount: stats.count,
            lastSavedAt: stats.lastSavedAt,
          },
        ];
      }),
      cursor: offset + limit < ranked.length ? encodeOffset(offset + limit) : undefined,
    };
  }

  /** A person's saves that every employee may see; a partner sees none of them (their links live in spaces). */
  async byPerson(
    principal: Principal,
    userId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<BookmarkView>> {
    if (!isEmployee(principal)) {
      const [profile] = await this.ctx.table.getMany([keys.profile(userId)]);
      if (!profile || !canSeePerson(principal, profile as { org?: string })) throw new NotFound('Person');
      return { items: [] };
    }
    const page = await this.ctx.table.query({
      partition: `USER#${userId}`,
      beginsWith: keys.bookmarkEmployeesPrefix,
      newestFirst: true,
      limit,
      cursor,
    });
    const { saves, urls, extras } = await this.resolve(pointers(page.items), [keys.profile(userId)]);
    if (!extras[0]) throw new NotFound('Person');
    return {
      items: saves
        .filter((b) => visibleTo(principal, b, false))
        .map((b) => view(principal, b, urls.get(b.urlHash))),
      cursor: page.cursor,
    };
  }

  /** Links saved into a space, for its readers; the space check rides in the same BatchGetItem. */
  async bySpace(
    principal: Principal,
    spaceId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<BookmarkView>> {
    const page = await this.ctx.table.query({
      partition: keys.space(spaceId).PK,
      beginsWith: keys.bookmarkSpacePrefix,
      newestFirst: true,
      limit,
      cursor,
    });
    const wanted = pointers(page.items);
    const loaded = await this.spaces.loadReadable(principal, spaceId, resolveKeys(wanted));
    const { saves, urls } = resolved(wanted, loaded.extras);
    return {
      items: saves
        .filter((b) => b.spaceId === spaceId && visibleTo(principal, b, true))
        .map((b) => view(principal, b, urls.get(b.urlHash))),
      cursor: page.cursor,
    };
  }

  // ------------------------------------------------------------------ tags

  async myTags(principal: Principal): Promise<TagCount[]> {
    const page = await this.ctx.table.query({
      partition: `USER#${principal.userId}`,
      beginsWith: keys.bookmarkTagCountPrefix,
      limit: 1000,
    });
    return tagCounts(page.items).sort((a, b) => a.tag.localeCompare(b.tag));
  }

  /** The company's cloud: tags of saves every employee sees, most used first. */
  async companyTags(principal: Principal, limit: number): Promise<TagCount[]> {
    assertEmployee(principal, 'The company’s tags');
    const page = await this.ctx.table.query({
      partition: keys.companyBookmarkTagCountPartition,
      limit: 1000,
    });
    return tagCounts(page.items)
      .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag))
      .slice(0, limit);
  }

  /**
   * Renames one of my tags on every save of mine; onto a tag I already use, the two merge. One save
   * per transaction (a save and its entries stay consistent); a rename stopped half-way is finished
   * by asking again.
   */
  async renameTag(principal: Principal, from: string, to: string) {
    // The same name (after normalising: "Ops" is "ops") renames nothing: done already.
    if (from === to) return { from, to, renamed: 0, merged: false };
    const me = principal.userId;
    const [existing] = await this.ctx.table.getMany([keys.bookmarkTagCount(me, to)]);
    const merged = ((existing?.count as number) ?? 0) > 0;
    let renamed = 0;
    for (let round = 0; round < 10_000; round++) {
      const page = await this.ctx.table.query({
        partition: `USER#${me}`,
        beginsWith: keys.bookmarkTagEntryPrefix(from),
        limit: 25,
      });
      if (page.items.length === 0) break;
      const saves = (
        await this.ctx.table.getMany(page.items.map((e) => keys.bookmark(me, e.urlHash as string)))
      )
        .filter((item): item is Item => !!item)
        .map(toBookmark);
      for (const save of saves) {
        const next: Bookmark = {
          ...save,
          tags: uniqueTags(save.tags.map((t) => (t === from ? to : t))),
          updatedAt: this.ctx.clock.now().toISOString(),
          version: save.version + 1,
        };
        try {
          await this.rewrite(principal, save, next);
          renamed++;
        } catch (error) {
          // Edited meanwhile: the next round reads it again.
          if (!(error instanceof EditConflict)) throw error;
        }
      }
    }
    return { from, to, renamed, merged };
  }

  // ------------------------------------------------------------------ bundles

  async bundles(principal: Principal): Promise<Bundle[]> {
    const page = await this.ctx.table.query({
      partition: `USER#${principal.userId}`,
      beginsWith: keys.bookmarkBundlePrefix,
      limit: 100,
    });
    return page.items.map(toBundle).sort((a, b) => a.name.localeCompare(b.name));
  }

  async bundle(principal: Principal, bundleId: string): Promise<Bundle> {
    const item = await this.ctx.table.get(keys.bookmarkBundle(principal.userId, bundleId));
    if (!item) throw new NotFound('Bundle');
    return toBundle(item);
  }

  async createBundle(
    principal: Principal,
    input: Pick<Bundle, 'name' | 'any' | 'all' | 'none'>,
  ): Promise<Bundle> {
    assertMaySave(principal);
    const now = this.ctx.clock.now().toISOString();
    const bundle: Bundle = { id: this.ctx.ids.next(), ...input, createdAt: now, updatedAt: now, version: 1 };
    await this.ctx.table.put(bundleItem(principal.userId, bundle), {
      expression: 'attribute_not_exists(PK)',
    });
    return bundle;
  }

  async updateBundle(
    principal: Principal,
    bundleId: string,
    input: Pick<Bundle, 'name' | 'any' | 'all' | 'none' | 'version'>,
  ): Promise<Bundle> {
    const current = await this.bundle(principal, bundleId);
    if (current.version !== input.version) throw new EditConflict('The bundle', current.version);
    const next: Bundle = {
      ...current,
      ...input,
      updatedAt: this.ctx.clock.now().toISOString(),
      version: current.version + 1,
    };
    try {
      await this.ctx.table.put(bundleItem(principal.userId, next), {
        expression: 'version = :expected',
        values: { ':expected': current.version },
      });
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new EditConflict('The bundle', current.version);
      throw error;
    }
    return next;
  }

  async deleteBundle(principal: Principal, bundleId: string): Promise<void> {
    await this.ctx.table.delete(keys.bookmarkBundle(principal.userId, bundleId));
  }

  /**
   * My saves that pass a bundle's filter, newest first: one Query of my saves (a window of up to
   * BUNDLE_SCAN_WINDOW), filtered here; the cursor continues after the last save looked at, so a
   * page may hold fewer than `limit` and still have a next one.
   */
  async bundleBookmarks(
    principal: Principal,
    bundleId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<BookmarkView>> {
    const bundle = await this.bundle(principal, bundleId);
    const page = await this.ctx.table.query({
      index: 'GSI2',
      partition: keys.bookmarksOf(principal.userId),
      newestFirst: true,
      limit: BUNDLE_SCAN_WINDOW,
      cursor,
    });
    const matches: Item[] = [];
    let next = page.cursor;
    for (const item of page.items) {
      if (!matchesBundle((item.tags as string[]) ?? [], bundle)) continue;
      matches.push(item);
      if (matches.length === limit) {
        const last = item === page.items.at(-1);
        next = last
          ? page.cursor
          : encodeCursor({ PK: item.PK, SK: item.SK, GSI2PK: item.GSI2PK, GSI2SK: item.GSI2SK });
        break;
      }
    }
    return this.withUrls(principal, matches.map(toBookmark), next);
  }

  // ------------------------------------------------------------------ helpers

  /** The caller's own save, or 404 (another person's save is never addressed by id). */
  private async own(principal: Principal, id: string): Promise<Bookmark> {
    const item = await this.ctx.table.get(keys.bookmark(principal.userId, id));
    if (!item) throw new NotFound('Bookmark');
    return toBookmark(item);
  }

  /** Writes a save's new state with its entries and counters, conditioned on the version read. */
  private async rewrite(principal: Principal, current: Bookmark, next: Bookmark) {
    const changes: TransactItem[] = [
      {
        Put: {
          Item: bookmarkItem(next),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': current.version },
        },
      },
      ...derivedChanges(principal.userId, current, next),
    ];
    const shared = sharedDelta(current, next);
    if (shared !== 0) changes.push(countSharedChange(current.urlHash, shared));
    try {
      await this.ctx.table.transact(changes);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0)) {
        const now = await this.ctx.table.get(keys.bookmark(principal.userId, current.urlHash));
        throw new EditConflict('The bookmark', (now?.version as number) ?? current.version);
      }
      throw error;
    }
  }

  /** Where a save goes: nowhere (private), everyone (employees only), or a space the caller may post in. */
  private async placeFor(
    principal: Principal,
    visibility: Visibility,
    spaceId: string | undefined,
  ): Promise<{ spaceId?: string; spaceName?: string }> {
    if (visibility !== 'space') {
      if (spaceId)
        throw new InvalidInput('A space is given only with visibility “space”', [
          { field: 'json.spaceId', message: 'only with visibility space' },
        ]);
      if (visibility === 'employees' && !isEmployee(principal))
        throw new Forbidden('Partners save links privately or into a space shared with them');
      return {};
    }
    if (!spaceId)
      throw new InvalidInput('Saving into a space needs the space', [
        { field: 'json.spaceId', message: 'required with visibility space' },
      ]);
    const { space, membership } = await this.spaces.loadReadable(principal, spaceId);
    if (!canContribute(principal, space, membership))
      throw new Forbidden('You need to be an editor or owner of this space to save links into it');
    return { spaceId: space.id, spaceName: space.name };
  }

  private async withUrls(principal: Principal, saves: Bookmark[], cursor: string | undefined) {
    const urlItems = await this.ctx.table.getMany(saves.map((b) => keys.bookmarkUrl(b.urlHash)));
    return {
      items: saves.map((b, i) => view(principal, b, urlItems[i] && toBookmarkUrl(urlItems[i]!))),
      cursor,
    };
  }

  /** The saves the pointers name and their URL items, with `extra` items first: one BatchGetItem. */
  private async resolve(wanted: Pointer[], extra: { PK: string; SK: string }[] = []) {
    const records = await this.ctx.table.getMany([...extra, ...resolveKeys(wanted)]);
    return { ...resolved(wanted, records.slice(extra.length)), extras: records.slice(0, extra.length) };
  }
}

export class AlreadySaved extends DomainError {
  constructor(id: string) {
    super(
      409,
      'already-saved',
      'Already saved',
      'You have saved this link already; edit that bookmark instead',
      {
        bookmarkId: id,
      },
    );
  }
}

/** Whether the caller may see someone's save (`spaceReadable`: the caller may read its space). */
export function visibleTo(principal: Principal, save: Bookmark, spaceReadable: boolean): boolean {
  if (save.userId === principal.userId) return true;
  if (save.visibility === 'private') return false;
  if (save.visibility === 'employees') return isEmployee(principal);
  // A space shared with two organisations: neither learns what the other's people saved.
  if (isPartner(principal) && save.userOrg && save.userOrg !== principal.org) return false;
  return spaceReadable;
}

function view(principal: Principal, b: Bookmark, url?: BookmarkUrl): BookmarkView {
  const mine = b.userId === principal.userId;
  return {
    id: b.urlHash,
    url: b.url,
    host: b.host,
    title: b.title || url?.meta?.title || '',
    description: b.description || url?.meta?.description || '',
    tags: b.tags,
    visibility: b.visibility,
    ...(b.spaceId ? { spaceId: b.spaceId } : {}),
    ...(b.spaceName ? { spaceName: b.spaceName } : {}),
    savedAt: b.savedAt,
    updatedAt: b.updatedAt,
    savedBy: { userId: b.userId, name: b.userName, ...(b.userOrg ? { org: b.userOrg } : {}) },
    ...(url?.meta ? { meta: url.meta } : {}),
    ...(isEmployee(principal) && url?.sharedSaverCount !== undefined
      ? { sharedSaves: Math.max(0, url.sharedSaverCount) }
      : {}),
    mine,
    ...(mine ? { favourite: b.favourite, version: b.version } : {}),
  };
}

function normalised(raw: string): NormalisedUrl {
  const url = normaliseUrl(raw);
  if (isUrlProblem(url))
    throw new InvalidInput(url.detail, [{ field: 'url', message: url.message, detail: url.detail }]);
  return url;
}

function assertMaySave(principal: Principal) {
  if (!isEmployee(principal) && !(isPartner(principal) && principal.org))
    throw new Forbidden('Only employees and partners can save links');
}

function assertEmployee(principal: Principal, what: string) {
  if (!isEmployee(principal))
    throw new Forbidden(`${what} are for employees; partners find links in the spaces shared with them`);
}

export function uniqueTags(tags: readonly string[] | undefined): string[] {
  return [...new Set(tags ?? [])].slice(0, MAX_BOOKMARK_TAGS);
}

const pointers = (items: Item[]): Pointer[] =>
  items.map((e) => ({ userId: e.userId as string, urlHash: e.urlHash as string }));

function resolveKeys(wanted: Pointer[]) {
  return wanted.flatMap((p) => [keys.bookmark(p.userId, p.urlHash), keys.bookmarkUrl(p.urlHash)]);
}

function resolved(wanted: Pointer[], records: (Item | undefined)[]) {
  const saves: Bookmark[] = [];
  const urls = new Map<string, BookmarkUrl>();
  wanted.forEach((_, i) => {
    const save = records[2 * i];
    const url = records[2 * i + 1];
    if (save) saves.push(toBookmark(save));
    if (url) urls.set(url.urlHash as string, toBookmarkUrl(url));
  });
  return { saves, urls };
}

function tagCounts(items: Item[]): TagCount[] {
  return items
    .map((item) => ({ tag: item.tag as string, count: (item.count as number) ?? 0 }))
    .filter((t) => t.count > 0);
}

function encodeOffset(offset: number) {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(offset) && offset >= 0 && offset <= POPULAR_WINDOW_SAVES) return offset;
  } catch {
    // fall through
  }
  throw new InvalidInput('This list position is not valid here; start again from the first page', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}
