/** Blog posts as the domain sees them, and their items: the post itself plus one item per tag. */
import { keys, timeKey } from '../../data/keys';
import { type Item, withoutKeys } from '../../data/table';

export type PostStatus = 'draft' | 'published';

export interface Post {
  id: string;
  spaceId: string;
  authorId: string;
  authorName: string;
  /** Set when the author is a partner user, so clients can mark them as external. */
  authorOrg?: string;
  title: string;
  /** Markdown as written. */
  body: string;
  /** Sanitized HTML rendered from `body`. */
  html: string;
  /** Plain text of `body`, for search (so the indexer needs no Markdown parser). */
  text: string;
  excerpt: string;
  tags: string[];
  mentions: string[];
  status: PostStatus;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  version: number;
  /** The last edit was a minor one: it told nobody. */
  minorEdit?: boolean;
  likeCount: number;
  commentCount: number;
}

export function postItem(post: Post): Item {
  const sortTime = post.publishedAt ?? post.updatedAt;
  return {
    ...keys.post(post.spaceId, post.id),
    type: 'post',
    ...post,
    // Only published posts appear in the space's list (a sparse index).
    ...(post.status === 'published'
      ? { GSI1PK: keys.spacePosts(post.spaceId), GSI1SK: timeKey(post.publishedAt!, post.id) }
      : {}),
    GSI2PK: keys.authorPosts(post.authorId),
    GSI2SK: `${post.status === 'published' ? 'P' : 'D'}#${timeKey(sortTime, post.id)}`,
  };
}

/** Tag items let "posts tagged X" be one Query across spaces; they exist only for published posts. */
export function postTagItems(post: Post): Item[] {
  if (post.status !== 'published') return [];
  return post.tags.map((tag) => ({
    ...keys.postTag(post.spaceId, post.id, tag),
    type: 'postTag',
    spaceId: post.spaceId,
    postId: post.id,
    tag,
    GSI1PK: keys.taggedPosts(tag),
    GSI1SK: timeKey(post.publishedAt!, post.id),
  }));
}

export function toPost(item: Item): Post {
  return { likeCount: 0, commentCount: 0, ...withoutKeys(item) } as unknown as Post;
}
