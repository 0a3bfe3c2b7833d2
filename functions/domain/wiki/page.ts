/**
 * Wiki pages as the domain sees them, and their items: the current page, one item per version (the
 * full text of every version, so any version can be shown or restored without replaying diffs), and
 * one item per `[[link]]` from the page, which is what backlinks are read from.
 */
import { keys, timeKey } from '../../data/keys';
import { type Item, withoutKeys } from '../../data/table';

export interface Page {
  id: string;
  spaceId: string;
  title: string;
  /** The page above this one in the space's tree; absent at the top. */
  parentId?: string;
  /** Markdown as written. */
  body: string;
  /** Sanitized HTML, `[[links]]` resolved to this space's pages. */
  html: string;
  /** Plain text of `body`, for search. */
  text: string;
  excerpt: string;
  tags: string[];
  /** Ids of the pages `[[links]]` point to (they need not exist yet). */
  links: string[];
  /** Handles @mentioned in the text (absent on pages written before notifications). */
  mentions?: string[];
  createdBy: string;
  createdByName: string;
  createdByOrg?: string;
  updatedBy: string;
  updatedByName: string;
  updatedByOrg?: string;
  /**
   * Everyone who edited the page, most recent last (at most 50): its contributors in the search index.
   * Absent on pages written before it; read as the creator and the last editor.
   */
  editors?: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
  /** The last edit was a minor one ("notify nobody"): the fan-out tells nobody of it. */
  minorEdit?: boolean;
  /**
   * Set while the page is being deleted (its versions and links go first, the page item last), so a
   * delete that stops half-way is finished by the next one and a new page of the same id always
   * starts with an empty history.
   */
  deleting?: true;
}

export interface PageVersion {
  spaceId: string;
  pageId: string;
  version: number;
  title: string;
  parentId?: string;
  body: string;
  /** Rendered on write; absent on versions stored before HTML was kept with them. */
  html?: string;
  editedBy: string;
  editedByName: string;
  editedByOrg?: string;
  editedAt: string;
  /** What the editor said about the change. */
  summary?: string;
  /** Set when this version brought back an older one. */
  restoredFrom?: number;
  /** A minor edit: nobody was told of it. */
  minorEdit?: boolean;
}

export function pageItem(page: Page): Item {
  return {
    ...keys.page(page.spaceId, page.id),
    type: 'page',
    ...page,
    GSI1PK: keys.spacePages(page.spaceId),
    GSI1SK: `${page.title.toLowerCase()}#${page.id}`,
  };
}

export function pageVersionItem(version: PageVersion): Item {
  return {
    ...keys.pageVersion(version.spaceId, version.pageId, version.version),
    type: 'pageVersion',
    ...version,
    GSI2PK: keys.editsBy(version.editedBy),
    GSI2SK: timeKey(version.editedAt, `${version.spaceId}#${version.pageId}`),
  };
}

export function pageLinkItems(page: Pick<Page, 'spaceId' | 'id' | 'links'>): Item[] {
  return page.links.map((to) => ({
    ...keys.pageLink(page.spaceId, page.id, to),
    type: 'pageLink',
    spaceId: page.spaceId,
    from: page.id,
    to,
    GSI1PK: keys.backlinks(page.spaceId, to),
    GSI1SK: page.id,
  }));
}

/**
 * A page's place in the tree: what a tree level shows, without the body. `childCount` is changed with
 * ADD in the transaction that places, moves or deletes a child, so it is exact; a page with children
 * cannot be deleted (the delete is conditioned on it being 0).
 */
export interface PageNode {
  id: string;
  spaceId: string;
  title: string;
  parentId?: string;
  childCount: number;
  updatedAt: string;
}

/** The node's attributes without `childCount`, which only ADD changes (or a backfill sets). */
export function pageNodeAttributes(page: Pick<Page, 'id' | 'spaceId' | 'title' | 'parentId' | 'updatedAt'>) {
  return {
    type: 'pageNode',
    id: page.id,
    spaceId: page.spaceId,
    title: page.title,
    ...(page.parentId ? { parentId: page.parentId } : {}),
    updatedAt: page.updatedAt,
    GSI1PK: keys.pageChildren(page.spaceId, page.parentId),
    GSI1SK: `${page.title.toLowerCase()}#${page.id}`,
  };
}

export function pageNodeItem(
  page: Pick<Page, 'id' | 'spaceId' | 'title' | 'parentId' | 'updatedAt'>,
  childCount = 0,
): Item {
  return { ...keys.pageNode(page.spaceId, page.id), ...pageNodeAttributes(page), childCount };
}

export const toPageNode = (item: Item): PageNode => ({
  ...(withoutKeys(item) as unknown as PageNode),
  childCount: Number(item.childCount ?? 0),
});

export const toPage = (item: Item) => withoutKeys(item) as unknown as Page;
export const toPageVersion = (item: Item) => withoutKeys(item) as unknown as PageVersion;
