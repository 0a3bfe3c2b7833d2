/**
 * Table items → search documents, through the domain's own item → object mappers (toPost, toSpace, …),
 * so a document is built from typed domain objects. Content takes its access fields from its space, so
 * a document is built from the current item plus its space (and, for a comment, its post).
 */
import type { Item } from '../../data/table';
import { type Bookmark, toBookmark } from '../bookmarks/bookmark';
import { type Comment, toComment } from '../comments/comment';
import { type Post, toPost } from '../posts/post';
import { type Profile, toProfile } from '../profiles/profile';
import { type Space, toSpace } from '../spaces/space';
import { type Page, toPage } from '../wiki/page';
import type { SearchDocument } from './search-document';

export const documentId = {
  post: (spaceId: string, postId: string) => `post:${spaceId}:${postId}`,
  comment: (spaceId: string, commentId: string) => `comment:${spaceId}:${commentId}`,
  page: (spaceId: string, pageId: string) => `page:${spaceId}:${pageId}`,
  profile: (userId: string) => `profile:-:${userId}`,
  /** Not under its space: a save moved between spaces (or out of one) keeps its one document. */
  bookmark: (userId: string, urlHash: string) => `bookmark:-:${userId}~${urlHash}`,
};

/** The item types that become documents (others — likes, members, tag items, versions — do not). */
export const INDEXED_TYPES = ['post', 'comment', 'page', 'profile', 'bookmark'] as const;

const NO_SIGNALS = { likeCount: 0, commentCount: 0, saveCount: 0 };

/**
 * The names of a page's or post's attached files, searchable as part of its document (so they are
 * trimmed exactly as it is). Only names: the text inside PDFs and Office files is not extracted
 * (docs/search.md, "Attachments").
 */
function withAttachments(body: string, attachmentNames: readonly string[]): string {
  return attachmentNames.length ? `${body}\n\nAttached: ${attachmentNames.join(', ')}` : body;
}

function access(space: Space) {
  return {
    spaceId: space.id,
    spaceName: space.name,
    audience: space.audience,
    partnerOrgs: space.partnerOrgs,
  };
}

const author = (id: string, name: string, org: string | undefined) => ({
  authorId: id,
  authorName: name,
  ...(org ? { authorOrg: org } : {}),
  contributors: [id],
});

/** A published post in an existing space; undefined when it should not be in the index. */
export function postDocument(
  postItem: Item | undefined,
  spaceItem: Item | undefined,
  attachmentNames: readonly string[] = [],
): SearchDocument | undefined {
  if (!postItem || !spaceItem) return undefined;
  const post: Post = toPost(postItem);
  if (post.status !== 'published') return undefined;
  return {
    id: documentId.post(post.spaceId, post.id),
    type: 'post',
    title: post.title,
    body: withAttachments(post.text ?? post.excerpt ?? '', attachmentNames),
    tags: post.tags ?? [],
    ...author(post.authorId, post.authorName, post.authorOrg),
    ...access(toSpace(spaceItem)),
    createdAt: post.publishedAt ?? post.createdAt,
    updatedAt: post.updatedAt,
    ...NO_SIGNALS,
    likeCount: post.likeCount,
    commentCount: post.commentCount,
    url: `/spaces/${encodeURIComponent(post.spaceId)}/posts/${post.id}`,
    postId: post.id,
  };
}

/** A live comment on a published post. */
export function commentDocument(
  commentItem: Item | undefined,
  postItem: Item | undefined,
  spaceItem: Item | undefined,
): SearchDocument | undefined {
  if (!commentItem || !postItem || !spaceItem) return undefined;
  const comment: Comment = toComment(commentItem);
  const post: Post = toPost(postItem);
  if (comment.deleted || post.status !== 'published') return undefined;
  return {
    id: documentId.comment(comment.spaceId, comment.id),
    type: 'comment',
    title: `Comment on “${post.title}”`,
    body: comment.text ?? '',
    tags: [],
    ...author(comment.authorId, comment.authorName, comment.authorOrg),
    ...access(toSpace(spaceItem)),
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    ...NO_SIGNALS,
    url: `/spaces/${encodeURIComponent(comment.spaceId)}/posts/${comment.postId}#comment-${comment.id}`,
    postId: comment.postId,
  };
}

/** A wiki page in an existing space, under its latest editor's name. */
export function pageDocument(
  pageItem: Item | undefined,
  spaceItem: Item | undefined,
  attachmentNames: readonly string[] = [],
): SearchDocument | undefined {
  if (!pageItem || !spaceItem) return undefined;
  const page: Page = toPage(pageItem);
  if (page.deleting) return undefined;
  return {
    id: documentId.page(page.spaceId, page.id),
    type: 'page',
    title: page.title,
    body: withAttachments(page.text ?? '', attachmentNames),
    tags: page.tags ?? [],
    ...author(page.updatedBy, page.updatedByName, page.updatedByOrg),
    contributors: page.editors ?? [...new Set([page.createdBy, page.updatedBy])],
    ...access(toSpace(spaceItem)),
    createdAt: page.createdAt,
    updatedAt: page.updatedAt,
    ...NO_SIGNALS,
    url: `/spaces/${encodeURIComponent(page.spaceId)}/pages/${page.id}`,
  };
}

export function profileDocument(profileItem: Item | undefined): SearchDocument | undefined {
  if (!profileItem) return undefined;
  const profile: Profile = toProfile(profileItem);
  return {
    id: documentId.profile(profile.userId),
    type: 'profile',
    title: profile.name,
    // `aboutText` is the Markdown of `about` as plain text; profiles saved before it have only `about`.
    body: [profile.title, profile.department, profile.location, profile.aboutText ?? profile.about]
      .filter(Boolean)
      .join('. '),
    tags: [],
    ...author(profile.userId, profile.name, profile.org),
    ...(profile.org ? { org: profile.org } : {}),
    partnerOrgs: [],
    skills: profile.skills,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt ?? profile.createdAt,
    ...NO_SIGNALS,
    url: `/people/${encodeURIComponent(profile.userId)}`,
  };
}

/**
 * A person's save of a link, trimmed like everything else: private to its saver (`audience:
 * 'private'`), every employee's, or the readers of its space (with the space's access fields). A
 * save into a space that no longer exists is not indexed.
 */
export function bookmarkDocument(
  bookmarkItem: Item | undefined,
  spaceItem: Item | undefined,
): SearchDocument | undefined {
  if (!bookmarkItem) return undefined;
  const save: Bookmark = toBookmark(bookmarkItem);
  const placement =
    save.visibility === 'private'
      ? { audience: 'private' as const, partnerOrgs: [] }
      : save.visibility === 'employees'
        ? { audience: 'employees' as const, partnerOrgs: [] }
        : spaceItem
          ? access(toSpace(spaceItem))
          : undefined;
  if (!placement) return undefined;
  return {
    id: documentId.bookmark(save.userId, save.urlHash),
    type: 'bookmark',
    title: save.title || save.url,
    // The host and the URL's words are searchable too ("the github link about …").
    body: [save.description, save.host, save.url].filter(Boolean).join(' — '),
    tags: save.tags,
    ...author(save.userId, save.userName, save.userOrg),
    ...placement,
    createdAt: save.savedAt,
    updatedAt: save.updatedAt,
    ...NO_SIGNALS,
    // The save page shows the link, whether I saved it and who else did (the bookmarklet's page).
    url: `/save?url=${encodeURIComponent(save.url)}`,
  };
}
