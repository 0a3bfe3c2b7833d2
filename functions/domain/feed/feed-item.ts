/**
 * Home-feed items: what one card shows (never a body), where they are kept, and which change of a
 * post, page or comment makes, refreshes or removes them. Pure functions; the writer is
 * functions/streams/feed-writer.ts, the reader feed-service.ts, the design docs/data-model.md.
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import type { Space } from '../spaces/space';

export type FeedKind = 'post' | 'page' | 'comment';

/** One thing that happened, as its card shows it. */
export interface Activity {
  kind: FeedKind;
  /** The post, page or comment id. */
  id: string;
  spaceId: string;
  /** When it happened: a post's publishedAt, a page's updatedAt, a comment's createdAt. */
  at: string;
  title: string;
  excerpt: string;
  authorId: string;
  authorName: string;
  authorOrg?: string;
  postId?: string;
  pageId?: string;
  commentId?: string;
  tags: string[];
}

/** What a feed item adds to its activity: the space's name and, for coalesced page edits, their count. */
export interface FeedEntry extends Activity {
  spaceName: string;
  /** Edits of a page within COALESCE_MS of each other are one item; this counts them. */
  edits: number;
  /** The first edit coalesced into this item. */
  since: string;
}

/** Page edits closer than this to the page's previous feed item replace it (one card, `edits` counted). */
export const COALESCE_MS = 60 * 60 * 1000;

/** One source's identity: every item made from it is found again by it (GSI2). */
export const sourceOf = (a: Pick<Activity, 'spaceId' | 'kind' | 'id'>) => `${a.spaceId}#${a.kind}#${a.id}`;

export function feedItem(partition: string, entry: FeedEntry): Item {
  return {
    PK: partition,
    SK: `${keys.feedPrefix}${entry.at}#${entry.spaceId}#${entry.kind}#${entry.id}`,
    type: 'feed',
    ...entry,
    GSI2PK: keys.feedItemsOf(sourceOf(entry)),
    GSI2SK: `${entry.at}#${partition}`,
  };
}

export function toFeedEntry(item: Item): FeedEntry {
  return {
    kind: item.kind as FeedKind,
    id: item.id as string,
    spaceId: item.spaceId as string,
    spaceName: (item.spaceName as string) ?? '',
    at: item.at as string,
    since: (item.since as string) ?? (item.at as string),
    edits: (item.edits as number) ?? 1,
    title: (item.title as string) ?? '',
    excerpt: (item.excerpt as string) ?? '',
    authorId: item.authorId as string,
    authorName: (item.authorName as string) ?? '',
    ...(item.authorOrg ? { authorOrg: item.authorOrg as string } : {}),
    ...(item.postId ? { postId: item.postId as string } : {}),
    ...(item.pageId ? { pageId: item.pageId as string } : {}),
    ...(item.commentId ? { commentId: item.commentId as string } : {}),
    tags: (item.tags as string[]) ?? [],
  };
}

/**
 * The partitions an activity in a space goes to, given the space's members now: the employees'
 * partition for spaces every employee reads; each sharing organisation's partition and every employee
 * member's own partition for spaces shared with partners; every employee member's own partition for
 * members-only spaces (partners never read those). Partners who are members of a shared space read it
 * through their organisation's partition, so they get no copy of their own.
 */
export function partitionsFor(
  space: Pick<Space, 'audience' | 'partnerOrgs'>,
  members: { userId: string; org?: string }[],
) {
  if (space.audience === 'employees') return [keys.employeesFeed];
  const people = members.filter((m) => !m.org).map((m) => keys.personalFeed(m.userId));
  if (space.audience === 'partners') return [...space.partnerOrgs.map(keys.organisationFeed), ...people];
  return people;
}

type Image = Record<string, unknown>;

/** What a change of an item does to the feed. */
export type FeedChange =
  | { op: 'publish'; activity: Activity; coalesce: boolean }
  | { op: 'refresh'; source: string; fields: Partial<Pick<Activity, 'title' | 'excerpt' | 'tags'>> }
  | { op: 'remove'; source: string };

const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);
const by = (image: Image, prefix: 'author' | 'updatedBy') => {
  const id = prefix === 'author' ? image.authorId : image.updatedBy;
  const name = prefix === 'author' ? image.authorName : image.updatedByName;
  const org = prefix === 'author' ? image.authorOrg : image.updatedByOrg;
  return {
    authorId: id as string,
    authorName: (name as string) ?? '',
    ...(org ? { authorOrg: org as string } : {}),
  };
};

/** A post's activity: published, at its publishing time. */
export function postActivity(post: Image): Activity {
  return {
    kind: 'post',
    id: post.id as string,
    spaceId: post.spaceId as string,
    at: (post.publishedAt as string) ?? (post.updatedAt as string),
    title: (post.title as string) ?? '',
    excerpt: (post.excerpt as string) ?? '',
    ...by(post, 'author'),
    postId: post.id as string,
    tags: list(post.tags),
  };
}

/** A page's activity: its latest edit (or creation). */
export function pageActivity(page: Image): Activity {
  return {
    kind: 'page',
    id: page.id as string,
    spaceId: page.spaceId as string,
    at: page.updatedAt as string,
    title: (page.title as string) ?? '',
    excerpt: (page.excerpt as string) ?? '',
    ...by(page, 'updatedBy'),
    pageId: page.id as string,
    tags: [],
  };
}

/** A comment's activity, under its post's title. */
export function commentActivity(comment: Image, postTitle: string): Activity {
  return {
    kind: 'comment',
    id: comment.id as string,
    spaceId: comment.spaceId as string,
    at: comment.createdAt as string,
    title: postTitle,
    excerpt: ((comment.text as string) ?? '').slice(0, 280),
    ...by(comment, 'author'),
    postId: comment.postId as string,
    commentId: comment.id as string,
    tags: [],
  };
}

const kindOf = (image: Image): FeedKind | undefined =>
  image.type === 'post' || image.type === 'page' || image.type === 'comment' ? image.type : undefined;
const sourceOfImage = (image: Image) =>
  sourceOf({ spaceId: image.spaceId as string, kind: kindOf(image)!, id: image.id as string });

/**
 * The feed change a stream record makes (old and new images), or none. New comments are not here:
 * who sees a comment is the fan-out's decision (functions/streams/fanout.ts), made once for the inbox
 * and the feed alike.
 */
export function feedChangeOf(before: Image | undefined, after: Image | undefined): FeedChange | undefined {
  const image = after ?? before;
  if (!image || !kindOf(image)) return undefined;
  const source = sourceOfImage(image);
  if (!after) return { op: 'remove', source };
  const changedText = !!before && before.version !== after.version;
  switch (after.type) {
    case 'post':
      if (after.status !== 'published')
        return before?.status === 'published' ? { op: 'remove', source } : undefined;
      if (before?.status !== 'published')
        return { op: 'publish', activity: postActivity(after), coalesce: false };
      if (!changedText) return undefined; // a counter moved
      return {
        op: 'refresh',
        source,
        fields: {
          title: after.title as string,
          excerpt: (after.excerpt as string) ?? '',
          tags: list(after.tags),
        },
      };
    case 'page':
      if (after.deleting) return before?.deleting ? undefined : { op: 'remove', source };
      if (before && !changedText) return undefined;
      return { op: 'publish', activity: pageActivity(after), coalesce: true };
    case 'comment':
      if (after.deleted) return before?.deleted ? undefined : { op: 'remove', source };
      if (!changedText) return undefined;
      return { op: 'refresh', source, fields: { excerpt: ((after.text as string) ?? '').slice(0, 280) } };
    default:
      return undefined;
  }
}

/** Where a card links to in the web client. */
export function linkOf(entry: Pick<Activity, 'kind' | 'spaceId' | 'postId' | 'pageId' | 'commentId'>) {
  const space = `/spaces/${encodeURIComponent(entry.spaceId)}`;
  if (entry.kind === 'page') return `${space}/pages/${encodeURIComponent(entry.pageId!)}`;
  const post = `${space}/posts/${encodeURIComponent(entry.postId!)}`;
  return entry.kind === 'comment' ? `${post}#comment-${encodeURIComponent(entry.commentId!)}` : post;
}
