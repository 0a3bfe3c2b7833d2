/**
 * Import and export in the Netscape bookmark format. An import runs as a job (import-job.ts): a file
 * is refused as a whole (nothing written) when it is too large, not a bookmark file or holds too many
 * links (`refusalOf`); otherwise `planImport` reports each bad line and lists one save per distinct
 * URL, and the job writes them chunk after chunk (`importChunk`). Importing the same file twice adds
 * nothing: links I have saved already are skipped (one BatchGetItem per chunk), and each new save is
 * written with `attribute_not_exists`, so a concurrent save of the same link is not overwritten either.
 *
 * Writes go in transactions of up to 100 items (a save, its URL count and its tag entries, plus the
 * chunk's tag counters summed), so every save and its counters land together — in order, one
 * transaction at a time, because concurrent ones would collide on the same tag counters.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import { MAX_TRANSACTION_ITEMS, type TransactItem } from '../../data/table';
import { normalizeTag } from '../content/names';
import type { DomainContext } from '../context';
import { DomainError, Forbidden } from '../errors';
import { isEmployee, isPartner, type Principal } from '../principal';
import {
  addToTagCount,
  type Bookmark,
  bookmarkItem,
  countUrlSave,
  entriesOf,
  MAX_BOOKMARK_TAGS,
  sharedDelta,
  tagCountsOf,
  toBookmark,
} from './bookmark';
import { MAX_IMPORT_BYTES, MAX_IMPORT_LINKS, type NetscapeLink, renderNetscape } from './netscape';
import { isUrlProblem, normaliseUrl } from './url';

/** What a file holds, worked out before anything is written (the same file gives the same plan). */
export interface ImportPlan {
  /** Links found in the file. */
  links: number;
  /** One save per distinct normalised URL, in file order: a job's position indexes into this. */
  candidates: Bookmark[];
  /** Links that appear more than once in the file, after normalisation. */
  duplicates: number;
  errors: ImportLineError[];
}

export interface ImportLineError {
  line: number;
  url: string;
  message: string;
}

/** Who imports: what the saves carry of their owner (a job keeps it, the worker has no principal). */
export interface ImportOwner {
  userId: string;
  name: string;
  org?: string;
}

const MAX_TITLE = 500;
const MAX_DESCRIPTION = 5000;

/** Why a file is refused as a whole (nothing written), or undefined when it may be imported. */
export function refusalOf(size: number, links: readonly NetscapeLink[] | null): DomainError | undefined {
  if (size > MAX_IMPORT_BYTES)
    return new DomainError(
      413,
      'import-too-large',
      'File too large',
      `Bookmark files are limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB; nothing was imported`,
    );
  if (!links)
    return new DomainError(
      422,
      'not-a-bookmark-file',
      'Not a bookmark file',
      'This is not a Netscape bookmark file (it has no <!DOCTYPE NETSCAPE-Bookmark-file-1>); nothing was imported',
    );
  if (links.length > MAX_IMPORT_LINKS)
    return new DomainError(
      413,
      'too-many-links',
      'Too many links',
      `A file may hold at most ${MAX_IMPORT_LINKS.toLocaleString('en')} links; this one has ${links.length.toLocaleString('en')}; nothing was imported`,
    );
  return undefined;
}

/** Who may import, and with which visibility (checked when the job is created). */
export function checkImporter(principal: Principal, visibility: 'private' | 'employees') {
  if (!isEmployee(principal) && !(isPartner(principal) && principal.org))
    throw new Forbidden('Only employees and partners can import links');
  if (visibility === 'employees' && !isEmployee(principal))
    throw new Forbidden('Partners import links privately');
}

/** The saves a parsed file makes, the bad lines and the duplicates; `now` is the job's creation time. */
export function planImport(
  owner: ImportOwner,
  links: readonly NetscapeLink[],
  visibility: 'private' | 'employees',
  now: string,
): ImportPlan {
  const plan: ImportPlan = { links: links.length, candidates: [], duplicates: 0, errors: [] };
  const seen = new Set<string>();
  for (const link of links) {
    const url = normaliseUrl(link.href);
    if (isUrlProblem(url)) {
      plan.errors.push({ line: link.line, url: link.href.slice(0, 200), message: url.detail });
      continue;
    }
    if (seen.has(url.urlHash)) {
      plan.duplicates++;
      continue;
    }
    seen.add(url.urlHash);
    const tags = [...new Set(link.tags.map(normalizeTag).filter((t): t is string => t !== null))];
    plan.candidates.push({
      userId: owner.userId,
      userName: owner.name,
      ...(owner.org ? { userOrg: owner.org } : {}),
      ...url,
      title: link.title.slice(0, MAX_TITLE),
      description: link.description.slice(0, MAX_DESCRIPTION),
      tags: tags.slice(0, MAX_BOOKMARK_TAGS),
      visibility,
      favourite: false,
      savedAt: link.addedAt ?? now,
      updatedAt: now,
      version: 1,
    });
  }
  return plan;
}

export class BookmarkTransfer {
  constructor(private readonly ctx: DomainContext) {}

  /**
   * Writes one chunk of a job's candidates (distinct URLs). Links among mine already are skipped;
   * those this job wrote itself in an earlier, interrupted run of the same chunk (marked `importJob`)
   * count as added again, so re-running a chunk adds nothing and reports the same counts.
   */
  async importChunk(
    userId: string,
    candidates: readonly Bookmark[],
    jobId: string,
    now: string,
  ): Promise<{ added: number; alreadySaved: number }> {
    const existing = await this.ctx.table.getMany(candidates.map((b) => keys.bookmark(userId, b.urlHash)));
    let added = existing.filter((item) => item?.importJob === jobId).length;
    const alreadySaved = existing.filter((item) => item && item.importJob !== jobId).length;
    const fresh = candidates.filter((_, i) => !existing[i]);
    for (const chunk of chunks(fresh)) added += await this.writeChunk(userId, chunk, now, jobId);
    return { added, alreadySaved };
  }

  /** Writes one transaction; saves that appeared meanwhile (a concurrent save) are dropped and the rest retried once. */
  private async writeChunk(userId: string, chunk: Bookmark[], now: string, jobId: string): Promise<number> {
    let pending = chunk;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { items, saveAt } = transactionOf(userId, pending, now, jobId);
      try {
        await this.ctx.table.transact(items);
        return pending.length;
      } catch (error) {
        if (!(error instanceof TransactionFailed)) throw error;
        const taken = new Set(saveAt.filter((index) => error.failedAt(index)));
        if (taken.size === 0) throw error;
        pending = pending.filter((_, i) => !taken.has(saveAt[i]));
        if (pending.length === 0) return 0;
      }
    }
    return 0;
  }

  /** Mine as a Netscape bookmark file, newest first. */
  async export(principal: Principal): Promise<string> {
    const saves: Bookmark[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ctx.table.query({
        index: 'GSI2',
        partition: keys.bookmarksOf(principal.userId),
        newestFirst: true,
        limit: 1000,
        cursor,
      });
      saves.push(...page.items.map(toBookmark));
      cursor = page.cursor;
    } while (cursor);
    // Saves without a title of their own get the fetched page title, as everywhere else.
    const untitled = saves.filter((b) => !b.title);
    const urls = await this.ctx.table.getMany(untitled.map((b) => keys.bookmarkUrl(b.urlHash)));
    const fetchedTitle = new Map(
      untitled.map((b, i) => [b.urlHash, ((urls[i]?.meta as { title?: string }) ?? {}).title ?? '']),
    );
    return renderNetscape(
      saves.map((b) => ({
        url: b.url,
        title: b.title || fetchedTitle.get(b.urlHash) || '',
        description: b.description,
        tags: b.tags,
        savedAt: b.savedAt,
        private: b.visibility !== 'employees',
      })),
    );
  }
}

/** Items of one save (without counters): the save, its URL count, its entries. */
const itemsPerSave = (b: Bookmark) => 2 + entriesOf(b).length;

/** Groups saves so each group's items plus its summed tag counters fit in one transaction. */
function* chunks(saves: Bookmark[]): Generator<Bookmark[]> {
  let current: Bookmark[] = [];
  let items = 0;
  let counters = new Set<string>();
  for (const save of saves) {
    const names = [...tagCountsOf(save).keys()];
    const newCounters = names.filter((n) => !counters.has(n)).length;
    if (current.length && items + itemsPerSave(save) + counters.size + newCounters > MAX_TRANSACTION_ITEMS) {
      yield current;
      current = [];
      items = 0;
      counters = new Set();
    }
    current.push(save);
    items += itemsPerSave(save);
    for (const n of names) counters.add(n);
  }
  if (current.length) yield current;
}

function transactionOf(userId: string, saves: Bookmark[], now: string, jobId: string) {
  const items: TransactItem[] = [];
  const saveAt: number[] = [];
  const counts = new Map<string, number>();
  for (const save of saves) {
    saveAt.push(items.length);
    items.push({
      Put: {
        Item: { ...bookmarkItem(save), importJob: jobId },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    items.push(countUrlSave(save, now, 1, sharedDelta(undefined, save)));
    for (const Item of entriesOf(save)) items.push({ Put: { Item } });
    for (const [name, n] of tagCountsOf(save)) counts.set(name, (counts.get(name) ?? 0) + n);
  }
  for (const [name, delta] of counts) items.push(addToTagCount(userId, name, delta));
  return { items, saveAt };
}
