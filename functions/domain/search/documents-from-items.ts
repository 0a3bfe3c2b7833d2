/**
 * Table items → search documents. Content takes its access fields from its space's item, so a
 * document is built from the current item plus its space (and, for a comment, its post).
 */
import type { Item } from '../../data/table';
import type { SearchDocument } from './search-document';

export const documentId = {
  post: (spaceId: string, postId: string) => `post:${spaceId}:${postId}`,
  comment: (spaceId: string, commentId: string) => `comment:${spaceId}:${commentId}`,
  page: (spaceId: string, pageId: string) => `page:${spaceId}:${pageId}`,
  profile: (userId: string) => `profile:-:${userId}`,
};

/** The item types that become documents (others — likes, members, tag items, versions — do not). */
export const INDEXED_TYPES = ['post', 'comment', 'page', 'profile'] as const;

function access(space: Item) {
  return {
    spaceId: space.id as string,
    spaceName: space.name as string,
    audience: space.audience as SearchDocument['audience'],
    partnerOrgs: (space.partnerOrgs as string[]) ?? [],
  };
}

/** A published post in an existing space; undefined when it should not be in the index. */
export function postDocument(post: Item | undefined, space: Item | undefined): SearchDocument | undefined {
  if (!post || !space || post.status !== 'published') return undefined;
  return {
    id: documentId.post(post.spaceId as string, post.id as string),
    type: 'post',
    title: post.title as string,
    body: (post.text as string | undefined) ?? (post.excerpt as string | undefined) ?? '',
    tags: (post.tags as string[]) ?? [],
    authorId: post.authorId as string,
    authorName: post.authorName as string,
    ...(post.authorOrg ? { authorOrg: post.authorOrg as string } : {}),
    ...access(space),
    createdAt: (post.publishedAt ?? post.createdAt) as string,
    updatedAt: post.updatedAt as string,
    likeCount: (post.likeCount as number) ?? 0,
    commentCount: (post.commentCount as number) ?? 0,
    saveCount: 0,
    url: `/spaces/${encodeURIComponent(post.spaceId as string)}/posts/${post.id}`,
    postId: post.id as string,
  };
}

/** A live comment on a published post. */
export function commentDocument(
  comment: Item | undefined,
  post: Item | undefined,
  space: Item | undefined,
): SearchDocument | undefined {
  if (!comment || comment.deleted || !post || post.status !== 'published' || !space) return undefined;
  return {
    id: documentId.comment(comment.spaceId as string, comment.id as string),
    type: 'comment',
    title: `Comment on “${post.title as string}”`,
    body: (comment.text as string | undefined) ?? '',
    tags: [],
    authorId: comment.authorId as string,
    authorName: comment.authorName as string,
    ...(comment.authorOrg ? { authorOrg: comment.authorOrg as string } : {}),
    ...access(space),
    createdAt: comment.createdAt as string,
    updatedAt: comment.updatedAt as string,
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/spaces/${encodeURIComponent(comment.spaceId as string)}/posts/${comment.postId}#comment-${comment.id}`,
    postId: comment.postId as string,
  };
}

/** A wiki page in an existing space, under its latest editor's name. */
export function pageDocument(page: Item | undefined, space: Item | undefined): SearchDocument | undefined {
  if (!page || page.deleting || !space) return undefined;
  return {
    id: documentId.page(page.spaceId as string, page.id as string),
    type: 'page',
    title: page.title as string,
    body: (page.text as string | undefined) ?? '',
    tags: (page.tags as string[]) ?? [],
    authorId: page.updatedBy as string,
    authorName: page.updatedByName as string,
    ...(page.updatedByOrg ? { authorOrg: page.updatedByOrg as string } : {}),
    ...access(space),
    createdAt: page.createdAt as string,
    updatedAt: page.updatedAt as string,
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/spaces/${encodeURIComponent(page.spaceId as string)}/pages/${page.id}`,
  };
}

export function profileDocument(profile: Item | undefined): SearchDocument | undefined {
  if (!profile) return undefined;
  const skills = (profile.skills as string[]) ?? [];
  return {
    id: documentId.profile(profile.userId as string),
    type: 'profile',
    title: profile.name as string,
    // `aboutText` is the Markdown of `about` as plain text; profiles saved before it have only `about`.
    body: [profile.title, profile.department, profile.location, profile.aboutText ?? profile.about]
      .filter(Boolean)
      .join('. '),
    tags: [],
    authorId: profile.userId as string,
    authorName: profile.name as string,
    ...(profile.org ? { org: profile.org as string, authorOrg: profile.org as string } : {}),
    partnerOrgs: [],
    skills,
    createdAt: profile.createdAt as string,
    updatedAt: (profile.updatedAt ?? profile.createdAt) as string,
    likeCount: 0,
    commentCount: 0,
    saveCount: 0,
    url: `/people/${encodeURIComponent(profile.userId as string)}`,
  };
}
