/**
 * Wiki pages: create, read, edit (optimistic concurrency on `version`: an edit based on an older
 * version is a 409, never a silent overwrite), the full version history, any old version, restore,
 * the page tree of a space read a level at a time, `[[links]]` and backlinks, delete. Every edit writes
 * the current page, its new version item and its tree node in one transaction, so history can never
 * miss an edit and the tree never disagrees with the pages.
 *
 * The tree: each page has a node item (title, parent, child count; no body) in its parent's children
 * partition of GSI1, so a level is one Query. Placing a new page under a parent only adds 1 to the
 * parent's child count (creations never conflict with one another); a move below another page reads
 * the new parent's chain up to the top and the transaction checks that no page of that chain moved
 * meanwhile, so two moves that together would make a cycle cannot both succeed. A page with children
 * cannot be deleted: the delete is conditioned on its child count being 0.
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
  type PageNode,
  type PageVersion,
  pageItem,
  pageLinkItems,
  pageNodeAttributes,
  pageNodeItem,
  pageVersionItem,
  toPage,
  toPageNode,
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
/** A page as a level of the tree shows it: no body, and whether it has pages below (an expander). */
export interface PageTreeEntry extends PageNode {
  hasChildren: boolean;
}

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
    // A new page is a leaf: it cannot close a cycle, so only the depth is checked (and the parent must exist).
    if (parentId) await this.ancestry(spaceId, id, parentId);
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
      editors: [editor.by],
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    try {
      await this.writeWithLinks(
        [
          { Put: { Item: pageItem(page), ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { Item: pageVersionItem(versionOf(page, input.summary)) } },
          { Put: { Item: pageNodeItem(page) } },
          ...(parentId ? [countChild(spaceId, parentId, 1)] : []),
        ],
        pageLinkItems(page),
        [],
      );
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0))
        throw new Conflict(`This space already has a page with the id “${id}”; give the page another title`);
      if (error instanceof TransactionFailed && error.failedAt(3)) throw noSuchParent();
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
    const moved = parentId !== current.parentId;
    // Only a move below another page can close a cycle: read the new parent's chain up to the top.
    const chain = moved && parentId ? await this.ancestry(spaceId, pageId, parentId) : [];
    const editor = editorOf(principal);
    const updated: Page = {
      ...current,
      ...(await derived(spaceId, pageId, input)),
      updatedBy: editor.by,
      updatedByName: editor.name,
      editors: withEditor(current, editor.by),
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
          nodeRewrite(updated),
          ...(moved ? treeMove(spaceId, current.parentId, parentId, chain) : []),
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
      if (error instanceof TransactionFailed && error.reasons.slice(3).includes('ConditionalCheckFailed'))
        throw treeChanged();
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
          // Its node leaves the tree at once, and only while no page sits below it.
          {
            Delete: {
              Key: keys.pageNode(spaceId, pageId),
              ConditionExpression: 'attribute_not_exists(childCount) OR childCount = :none',
              ExpressionAttributeValues: { ':none': 0 },
            },
          },
          ...(page.parentId ? [countChild(spaceId, page.parentId, -1)] : []),
        ]);
      } catch (error) {
        if (error instanceof TransactionFailed && error.failedAt(0))
          throw new Conflict('The page changed while it was being deleted; look at it again first');
        if (error instanceof TransactionFailed && error.failedAt(1))
          throw new Conflict('This page has pages below it; move or delete them first');
        if (error instanceof TransactionFailed) throw treeChanged();
        throw error;
      }
    }
    // Links *to* the page stay: its backlinks are there again if the page is written anew.
    for (const prefix of [keys.pageVersionPrefix(pageId), keys.pageLinkPrefix(pageId)])
      await this.ctx.table.deleteAllUnder(keys.space(spaceId).PK, prefix);
    await this.ctx.table.transact([
      { Delete: { Key: keys.page(spaceId, pageId), ConditionExpression: 'attribute_exists(deleting)' } },
      // Gone already unless the page was marked before tree nodes existed.
      { Delete: { Key: keys.pageNode(spaceId, pageId) } },
    ]);
  }

  /**
   * One level of the tree: the pages right below `parentId` (the top level when absent), by title,
   * without bodies, each saying whether pages sit below it. One Query (and the space check beside it),
   * whatever the size of the wiki.
   */
  async children(
    principal: Principal,
    spaceId: string,
    parentId: string | undefined,
    limit: number,
    cursor?: string,
  ): Promise<ListPage<PageTreeEntry>> {
    const [, level] = await readWhileChecking(
      this.spaces.loadReadable(principal, spaceId),
      this.ctx.table.query({ index: 'GSI1', partition: keys.pageChildren(spaceId, parentId), limit, cursor }),
    );
    return {
      items: level.items.map((item) => {
        const node = toPageNode(item);
        return { ...node, hasChildren: node.childCount > 0 };
      }),
      cursor: level.cursor,
    };
  }

  /**
   * The tree nodes of the pages named, leaving out those that do not exist (or are being deleted): one
   * BatchGetItem beside the space check, for at most 100 ids.
   */
  async nodes(principal: Principal, spaceId: string, pageIds: string[]): Promise<PageTreeEntry[]> {
    const [, items] = await readWhileChecking(
      this.spaces.loadReadable(principal, spaceId),
      this.ctx.table.getMany(pageIds.map((pageId) => keys.pageNode(spaceId, pageId))),
    );
    return items
      .filter((item): item is Item => !!item && !item.deleting)
      .map((item) => {
        const node = toPageNode(item);
        return { ...node, hasChildren: node.childCount > 0 };
      });
  }

  /**
   * A space's pages by title, each with its parentId, a page at a time; with `titlePrefix`, only the
   * titles that start with it (a picker's type-ahead: still one Query). The tree is read by level with
   * `children`.
   */
  async list(
    principal: Principal,
    spaceId: string,
    limit: number,
    cursor?: string,
    titlePrefix?: string,
  ): Promise<ListPage<PageSummary>> {
    const loaded = await this.spaces.loadReadable(principal, spaceId);
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.spacePages(spaceId),
      ...(titlePrefix ? { beginsWith: titlePrefix.toLowerCase() } : {}),
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
   * The chain of tree nodes from `parentId` up to the top, nearest first. Refuses a parent that is not
   * a live page of the space, a place below the page itself (a cycle) and a tree deeper than 20.
   */
  private async ancestry(spaceId: string, pageId: string, parentId: string): Promise<PageNode[]> {
    const chain: PageNode[] = [];
    let ancestorId: string | undefined = parentId;
    for (let depth = 0; ancestorId; depth++) {
      if (ancestorId === pageId || depth >= MAX_DEPTH)
        throw new Conflict('A page cannot sit below itself, nor more than 20 levels deep', [
          { field: 'parentId', message: 'would make a cycle or too deep a tree' },
        ]);
      const item = await this.ctx.table.get(keys.pageNode(spaceId, ancestorId));
      if (!item) {
        if (depth > 0) throw treeChanged();
        const page = await this.ctx.table.get(keys.page(spaceId, ancestorId));
        if (page && !page.deleting) throw unmigrated();
        throw noSuchParent();
      }
      const node = toPageNode(item);
      chain.push(node);
      ancestorId = node.parentId;
    }
    return chain;
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

/** Adds `delta` to a page's child count; fails the transaction when the page has no node (it is gone). */
function countChild(spaceId: string, pageId: string, delta: number): TransactItem {
  return {
    Update: {
      Key: keys.pageNode(spaceId, pageId),
      UpdateExpression: 'ADD childCount :delta',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/**
 * Rewrites a page's node from the page (title, parent), keeping its child count; a page written before
 * tree nodes gets its node here, with a count of 0 until `npm run migrate:page-tree` counts it.
 */
function nodeRewrite(page: Page): TransactItem {
  const attributes: Record<string, unknown> = pageNodeAttributes(page);
  const names: Record<string, string> = {
    '#count': 'childCount',
    ...(page.parentId ? {} : { '#parent': 'parentId' }),
  };
  const values: Record<string, unknown> = { ':zero': 0 };
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:v${i}`] = value;
    return `#a${i} = :v${i}`;
  });
  sets.push('#count = if_not_exists(#count, :zero)');
  return {
    Update: {
      Key: keys.pageNode(page.spaceId, page.id),
      UpdateExpression: `SET ${sets.join(', ')}${page.parentId ? '' : ' REMOVE #parent'}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * The tree side of a move from `from` to `to`: one less child for the old parent, one more for the
 * new, and for every page of the new parent's chain the condition that it still sits where it did
 * when the chain was read. A concurrent move that changes the chain fails this one, so two moves
 * cannot together make a cycle; moves to the top, and creations, read and check no chain.
 */
function treeMove(
  spaceId: string,
  from: string | undefined,
  to: string | undefined,
  chain: PageNode[],
): TransactItem[] {
  const items: TransactItem[] = [];
  const placed = new Set<string>();
  for (const node of chain) {
    const delta = (node.id === to ? 1 : 0) + (node.id === from ? -1 : 0);
    const condition = node.parentId
      ? 'parentId = :parent'
      : 'attribute_exists(PK) AND attribute_not_exists(parentId)';
    const values: Record<string, unknown> = node.parentId ? { ':parent': node.parentId } : {};
    const Key = keys.pageNode(spaceId, node.id);
    placed.add(node.id);
    if (delta === 0)
      items.push({
        ConditionCheck: {
          Key,
          ConditionExpression: condition,
          ...(node.parentId ? { ExpressionAttributeValues: values } : {}),
        },
      });
    else
      items.push({
        Update: {
          Key,
          UpdateExpression: 'ADD childCount :delta',
          ConditionExpression: condition,
          ExpressionAttributeValues: { ...values, ':delta': delta },
        },
      });
  }
  if (from && !placed.has(from)) items.push(countChild(spaceId, from, -1));
  if (to && !placed.has(to)) items.push(countChild(spaceId, to, 1));
  return items;
}

const treeChanged = () => new Conflict('The page tree changed meanwhile; please try again');
const noSuchParent = () =>
  new MissingReference('The parent page does not exist in this space', [
    { field: 'parentId', message: 'no such page' },
  ]);
const unmigrated = () =>
  new Conflict(
    'This wiki was written before page tree nodes existed; an operator runs `npm run migrate:page-tree` once',
  );

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

/** At most this many editors are kept on a page (the most recent), for expertise. */
const MAX_EDITORS = 50;

/** The page's editors with this one last (most recent), each once. */
function withEditor(page: Page, editorId: string): string[] {
  const before = page.editors ?? [...new Set([page.createdBy, page.updatedBy])];
  return [...before.filter((id) => id !== editorId), editorId].slice(-MAX_EDITORS);
}

/** Another partner organisation's people become "External user", as on posts and comments. */
function maskPeople<T extends Omit<Page, 'text'>>(principal: Principal, page: T): T {
  const masked = { ...page };
  // Editors are for the search index (expertise), never shown: they could name other organisations' people.
  delete masked.editors;
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
