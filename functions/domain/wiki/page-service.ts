/**
 * Wiki pages: create, read, edit (optimistic concurrency on `version`: an edit based on an older
 * version is a 409, never a silent overwrite), the full version history, any old version, restore,
 * the page tree of a space, `[[links]]` and backlinks, delete. Every edit writes the current page and
 * its new version item in one transaction, so history can never miss an edit.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import {
  type Item,
  type Key,
  type Page as ListPage,
  MAX_TRANSACTION_ITEMS,
  type TransactItem,
} from '../../data/table';
import { versionedRewrite } from '../../data/versioned-rewrite';
import { loadMarkdown } from '../content/load-markdown';
import { pageSlug } from '../content/names';
import type { DomainContext } from '../context';
import { Conflict, EditConflict, Forbidden, MissingReference, NotFound } from '../errors';
import type { Principal } from '../principal';
import { readWhileChecking } from '../read-while-checking';
import { canContribute, canManage, canSeePerson } from '../spaces/space-access';
import type { LoadedSpace, SpaceService } from '../spaces/space-service';
import {
  type Page,
  type PageVersion,
  pageItem,
  pageLinkItems,
  pageVersionItem,
  toPage,
  toPageVersion,
} from './page';

export interface PageInput {
  title: string;
  body: string;
  parentId?: string | null;
  /** What changed, for the history. */
  summary?: string;
  /** An edit that tells nobody (the editor's "minor edit" box); kept on the page and its version. */
  minorEdit?: boolean;
}

export interface PageView extends Omit<Page, 'text'> {
  permissions: { edit: boolean; delete: boolean };
}
export type PageSummary = Omit<PageView, 'body' | 'html' | 'links'>;
export interface PageVersionView extends PageVersion {
  html: string;
}
export type PageVersionSummary = Omit<PageVersion, 'body'>;

/** How deep the tree may go; also bounds the walk that refuses cycles. */
const MAX_DEPTH = 20;
const MAX_LINKS = 200;

export class PageService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  async create(principal: Principal, spaceId: string, input: PageInput & { id?: string }): Promise<PageView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId);
    this.assertCanEdit(principal, loaded);
    // The id is the title's slug, which is what `[[title]]` links to; a non-Latin title gets a generated one.
    const id = input.id ?? pageSlug(input.title) ?? this.ctx.ids.next();
    const parentId = input.parentId ?? undefined;
    const treeChange = parentId ? await this.treeChange(spaceId, id, parentId) : undefined;
    const now = this.ctx.clock.now().toISOString();
    const editor = editorOf(principal);
    const page: Page = {
      id,
      spaceId,
      ...(parentId ? { parentId } : {}),
      ...(await derived(spaceId, id, input)),
      createdBy: editor.by,
      createdByName: editor.name,
      ...(editor.org ? { createdByOrg: editor.org } : {}),
      updatedBy: editor.by,
      updatedByName: editor.name,
      ...(editor.org ? { updatedByOrg: editor.org } : {}),
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    try {
      await this.writeWithLinks(
        [
          { Put: { Item: pageItem(page), ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { Item: pageVersionItem(versionOf(page, input.summary)) } },
          ...(treeChange ? [treeChange] : []),
        ],
        pageLinkItems(page),
        [],
      );
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0))
        throw new Conflict(`This space already has a page with the id “${id}”; give the page another title`);
      if (error instanceof TransactionFailed && error.failedAt(2)) throw treeChanged();
      throw error;
    }
    return this.view(principal, loaded, page);
  }

  /** One round trip: space, membership and page in a single BatchGetItem. */
  async get(principal: Principal, spaceId: string, pageId: string): Promise<PageView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [keys.page(spaceId, pageId)]);
    return this.view(principal, loaded, existing(loaded.extras[0]));
  }

  async update(
    principal: Principal,
    spaceId: string,
    pageId: string,
    input: PageInput & { version: number },
    restoredFrom?: number,
  ): Promise<PageView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [keys.page(spaceId, pageId)]);
    const current = existing(loaded.extras[0]);
    this.assertCanEdit(principal, loaded);
    if (input.version !== current.version) throw new EditConflict('The page', current.version);
    // `parentId` left out keeps the page where it is; null moves it to the top.
    const parentId = input.parentId === undefined ? current.parentId : (input.parentId ?? undefined);
    const treeChange =
      parentId !== current.parentId ? await this.treeChange(spaceId, pageId, parentId) : undefined;
    const editor = editorOf(principal);
    const updated: Page = {
      ...current,
      ...(await derived(spaceId, pageId, input)),
      updatedBy: editor.by,
      updatedByName: editor.name,
      updatedAt: this.ctx.clock.now().toISOString(),
      version: current.version + 1,
    };
    delete updated.parentId;
    delete updated.updatedByOrg;
    delete updated.minorEdit;
    if (input.minorEdit) updated.minorEdit = true;
    if (parentId) updated.parentId = parentId;
    if (editor.org) updated.updatedByOrg = editor.org;
    const added = updated.links.filter((to) => !current.links.includes(to));
    const removed = current.links.filter((to) => !updated.links.includes(to));
    try {
      await this.writeWithLinks(
        [
          versionedRewrite(pageItem(updated), {
            expectedVersion: current.version,
            counters: [],
            optional: ['parentId', 'updatedByOrg', 'minorEdit'],
          }),
          {
            Put: {
              Item: pageVersionItem(versionOf(updated, input.summary, restoredFrom)),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...(treeChange ? [treeChange] : []),
        ],
        pageLinkItems({ ...updated, links: added }),
        removed.map((to) => keys.pageLink(spaceId, pageId, to)),
      );
    } catch (error) {
      if (error instanceof TransactionFailed && (error.failedAt(0) || error.failedAt(1))) {
        const latest = await this.ctx.table.get(keys.page(spaceId, pageId));
        if (!latest || latest.deleting) throw new NotFound('Page');
        throw new EditConflict('The page', latest.version as number);
      }
      if (error instanceof TransactionFailed && error.failedAt(2)) throw treeChanged();
      throw error;
    }
    return this.view(principal, loaded, updated);
  }

  /** Brings an old version back as a new version; the history keeps everything in between. */
  async restore(
    principal: Principal,
    spaceId: string,
    pageId: string,
    input: { fromVersion: number; version: number },
  ): Promise<PageView> {
    const old = await this.getVersion(principal, spaceId, pageId, input.fromVersion);
    return this.update(
      principal,
      spaceId,
      pageId,
      {
        title: old.title,
        body: old.body,
        // The old parent may be gone or may now sit below this page: then the page stays where it is.
        parentId: undefined,
        summary: `Restored version ${input.fromVersion}`,
        version: input.version,
      },
      input.fromVersion,
    );
  }

  /**
   * Deletes a page with its history (space owners and admins); pages below it must go or move first.
   * The page is marked `deleting` (and so gone for every reader) in a transaction with the tree, then
   * its versions and links are removed, then the page item. A delete that stops half-way is finished
   * by the next one, and until then the id cannot be taken by a new page.
   */
  async delete(principal: Principal, spaceId: string, pageId: string): Promise<void> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [keys.page(spaceId, pageId)]);
    const item = loaded.extras[0];
    if (!item) throw new NotFound('Page');
    if (!canManage(principal, loaded.space, loaded.membership))
      throw new Forbidden('Only space owners and admins can delete a wiki page');
    const page = toPage(item);
    if (!page.deleting) {
      const tree = await this.treeVersion(spaceId);
      const pages = await this.allPages(spaceId);
      if (pages.some((other) => other.parentId === pageId))
        throw new Conflict('This page has pages below it; move or delete them first');
      try {
        await this.ctx.table.transact([
          {
            Update: {
              Key: keys.page(spaceId, pageId),
              UpdateExpression: 'SET deleting = :yes, version = :next',
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: {
                ':yes': true,
                ':version': page.version,
                ':next': page.version + 1,
              },
            },
          },
          bumpTree(spaceId, tree),
        ]);
      } catch (error) {
        if (error instanceof TransactionFailed && error.failedAt(0))
          throw new Conflict('The page changed while it was being deleted; look at it again first');
        if (error instanceof TransactionFailed) throw treeChanged();
        throw error;
      }
    }
    // Links *to* the page stay: its backlinks are there again if the page is written anew.
    for (const prefix of [keys.pageVersionPrefix(pageId), keys.pageLinkPrefix(pageId)])
      await this.ctx.table.deleteAllUnder(keys.space(spaceId).PK, prefix);
    await this.ctx.table.transact([
      { Delete: { Key: keys.page(spaceId, pageId), ConditionExpression: 'attribute_exists(deleting)' } },
    ]);
  }

  /** The pages of a space by title, each with its parentId, so a client can draw the tree. */
  async list(
    principal: Principal,
    spaceId: string,
    limit: number,
    cursor?: string,
  ): Promise<ListPage<PageSummary>> {
    const loaded = await this.spaces.loadReadable(principal, spaceId);
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.spacePages(spaceId),
      limit,
      cursor,
    });
    return {
      items: page.items
        .filter((item) => !item.deleting)
        .map((item) => summary(this.view(principal, loaded, toPage(item)))),
      cursor: page.cursor,
    };
  }

  /** The versions of a page, newest first. */
  async history(
    principal: Principal,
    spaceId: string,
    pageId: string,
    limit: number,
    cursor?: string,
  ): Promise<ListPage<PageVersionSummary>> {
    const [, page] = await readWhileChecking(
      this.spaces
        .loadReadable(principal, spaceId, [keys.page(spaceId, pageId)])
        .then((loaded) => existing(loaded.extras[0])),
      this.ctx.table.query({
        partition: keys.space(spaceId).PK,
        beginsWith: keys.pageVersionPrefix(pageId),
        newestFirst: true,
        limit,
        cursor,
      }),
    );
    return {
      items: page.items.map((item) => {
        const { body: _body, html: _html, ...rest } = visibleEditor(principal, toPageVersion(item));
        return rest;
      }),
      cursor: page.cursor,
    };
  }

  async getVersion(
    principal: Principal,
    spaceId: string,
    pageId: string,
    version: number,
  ): Promise<PageVersionView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      keys.page(spaceId, pageId),
      keys.pageVersion(spaceId, pageId, version),
    ]);
    existing(loaded.extras[0]);
    if (!loaded.extras[1]) throw new NotFound('Version');
    const found = visibleEditor(principal, toPageVersion(loaded.extras[1]));
    // Versions keep their HTML since it was rendered on write; older ones are rendered now.
    const html = found.html ?? (await loadMarkdown()).renderMarkdown(found.body, { pageLinksIn: spaceId });
    return { ...found, html };
  }

  /**
   * The pages whose `[[links]]` point here (the page itself need not exist yet), a page at a time in
   * the order of their ids (slugs of their titles), with a cursor for the next: one Query and one
   * BatchGetItem whatever the number of links.
   */
  async backlinks(
    principal: Principal,
    spaceId: string,
    pageId: string,
    limit = 50,
    cursor?: string,
  ): Promise<ListPage<{ id: string; title: string }>> {
    const [, links] = await readWhileChecking(
      this.spaces.loadReadable(principal, spaceId),
      this.ctx.table.query({ index: 'GSI1', partition: keys.backlinks(spaceId, pageId), limit, cursor }),
    );
    const pages = await this.ctx.table.getMany(
      links.items.map((link) => keys.page(spaceId, link.from as string)),
    );
    const items = pages
      .filter((item): item is Item => !!item && !item.deleting)
      .map((item) => ({ id: item.id as string, title: item.title as string }));
    return { items, cursor: links.cursor };
  }

  private assertCanEdit(principal: Principal, loaded: LoadedSpace) {
    if (!canContribute(principal, loaded.space, loaded.membership))
      throw new Forbidden('You need to be an editor or owner of this space to edit its wiki');
  }

  /**
   * Checks a new place in the tree — the parent must be a live page of the space, and not the page
   * itself or one below it — and returns the transaction item that makes the write fail if the tree
   * changed since it was read (so two moves at once cannot make a cycle, nor a delete an orphan).
   */
  private async treeChange(
    spaceId: string,
    pageId: string,
    parentId: string | undefined,
  ): Promise<TransactItem> {
    const tree = await this.treeVersion(spaceId);
    let ancestorId = parentId;
    for (let depth = 0; ancestorId; depth++) {
      if (ancestorId === pageId || depth >= MAX_DEPTH)
        throw new Conflict('A page cannot sit below itself, nor more than 20 levels deep', [
          { field: 'parentId', message: 'would make a cycle or too deep a tree' },
        ]);
      const ancestor = await this.ctx.table.get(keys.page(spaceId, ancestorId));
      if (!ancestor || ancestor.deleting)
        throw new MissingReference('The parent page does not exist in this space', [
          { field: 'parentId', message: 'no such page' },
        ]);
      ancestorId = ancestor.parentId as string | undefined;
    }
    return bumpTree(spaceId, tree);
  }

  private async treeVersion(spaceId: string): Promise<number> {
    return ((await this.ctx.table.get(keys.pageTree(spaceId)))?.treeVersion as number | undefined) ?? 0;
  }

  /**
   * The page's own items in one transaction, with its link changes when they fit (DynamoDB takes 100
   * items); a page with more link changes than that gets them right after. Links are only the index
   * of backlinks, rewritten from the page's `links` on its next edit.
   */
  private async writeWithLinks(own: TransactItem[], linkPuts: Item[], linkDeletes: Key[]) {
    const fits = own.length + linkPuts.length + linkDeletes.length <= MAX_TRANSACTION_ITEMS;
    await this.ctx.table.transact([
      ...own,
      ...(fits
        ? [
            ...linkPuts.map((Item) => ({ Put: { Item } })),
            ...linkDeletes.map((Key) => ({ Delete: { Key } }) as TransactItem),
          ]
        : []),
    ]);
    if (!fits) await this.ctx.table.writeMany(linkPuts, linkDeletes);
  }

  private async allPages(spaceId: string): Promise<Page[]> {
    const pages: Page[] = [];
    let cursor: string | undefined;
    do {
      const batch = await this.ctx.table.query({
        index: 'GSI1',
        partition: keys.spacePages(spaceId),
        limit: 100,
        cursor,
      });
      pages.push(...batch.items.filter((item) => !item.deleting).map(toPage));
      cursor = batch.cursor;
    } while (cursor);
    return pages;
  }

  private view(
    principal: Principal,
    loaded: Pick<LoadedSpace, 'space' | 'membership'>,
    page: Page,
  ): PageView {
    const { text: _text, ...shown } = page;
    return {
      ...maskPeople(principal, shown),
      permissions: {
        edit: canContribute(principal, loaded.space, loaded.membership),
        delete: canManage(principal, loaded.space, loaded.membership),
      },
    };
  }
}

/** A live page: absent and half-deleted pages are both not found. */
function existing(item: Item | undefined): Page {
  if (!item || item.deleting) throw new NotFound('Page');
  return toPage(item);
}

/** Moves the tree on from the version read; fails the transaction if another change got there first. */
function bumpTree(spaceId: string, read: number): TransactItem {
  return {
    Update: {
      Key: keys.pageTree(spaceId),
      UpdateExpression: 'SET treeVersion = :next',
      ConditionExpression: read === 0 ? 'attribute_not_exists(treeVersion)' : 'treeVersion = :read',
      ExpressionAttributeValues: { ':next': read + 1, ...(read === 0 ? {} : { ':read': read }) },
    },
  };
}

const treeChanged = () => new Conflict('The page tree changed meanwhile; please try again');

function editorOf(principal: Principal) {
  return { by: principal.userId, name: principal.name, org: principal.org };
}

async function derived(spaceId: string, pageId: string, input: PageInput) {
  const { extractMentions, extractPageLinks, extractTags, plainText, renderMarkdown } = await loadMarkdown();
  const links = extractPageLinks(input.body)
    .filter((to) => to !== pageId)
    .slice(0, MAX_LINKS);
  return {
    title: input.title,
    body: input.body,
    html: renderMarkdown(input.body, { pageLinksIn: spaceId }),
    text: plainText(input.body),
    excerpt: plainText(input.body, 280),
    tags: extractTags(input.body).slice(0, 20),
    links,
    mentions: extractMentions(input.body),
  };
}

function versionOf(page: Page, summary?: string, restoredFrom?: number): PageVersion {
  return {
    spaceId: page.spaceId,
    pageId: page.id,
    version: page.version,
    title: page.title,
    ...(page.parentId ? { parentId: page.parentId } : {}),
    body: page.body,
    html: page.html,
    editedBy: page.updatedBy,
    editedByName: page.updatedByName,
    ...(page.updatedByOrg ? { editedByOrg: page.updatedByOrg } : {}),
    editedAt: page.updatedAt,
    ...(summary ? { summary } : {}),
    ...(restoredFrom ? { restoredFrom } : {}),
    ...(page.minorEdit ? { minorEdit: true } : {}),
  };
}

const HIDDEN = { id: 'hidden', name: 'External user' };

/** Another partner organisation's people become "External user", as on posts and comments. */
function maskPeople<T extends Omit<Page, 'text'>>(principal: Principal, page: T): T {
  const masked = { ...page };
  if (!canSeePerson(principal, { org: page.createdByOrg })) {
    masked.createdBy = HIDDEN.id;
    masked.createdByName = HIDDEN.name;
    delete masked.createdByOrg;
  }
  if (!canSeePerson(principal, { org: page.updatedByOrg })) {
    masked.updatedBy = HIDDEN.id;
    masked.updatedByName = HIDDEN.name;
    delete masked.updatedByOrg;
  }
  return masked;
}

function visibleEditor(principal: Principal, version: PageVersion): PageVersion {
  if (canSeePerson(principal, { org: version.editedByOrg })) return version;
  const { editedByOrg: _org, ...rest } = version;
  return { ...rest, editedBy: HIDDEN.id, editedByName: HIDDEN.name };
}

function summary(view: PageView): PageSummary {
  const { body: _body, html: _html, links: _links, ...rest } = view;
  return rest;
}
