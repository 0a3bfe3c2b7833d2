/** Request schemas of the posts module: posts, comments, likes, tags. */
import { z } from '@hono/zod-openapi';
import { id, optionalOrg, pageOf, SpaceIdParam, someText, tag, timestamp, version } from './common';

export const PostParams = SpaceIdParam.extend({
  postId: id.openapi({ param: { name: 'postId', in: 'path' } }),
});
export const CommentParams = PostParams.extend({
  commentId: id.openapi({ param: { name: 'commentId', in: 'path' } }),
});

// Tags as a post's body yields them (normalizeTag: a letter of any script, then letters, digits, - and
// _; NFC, lower case). Input is normalised, not refused, so #Café, /tags/Café and /tags/café agree.
export const TagParam = z.object({ tag: tag.openapi({ param: { name: 'tag', in: 'path' } }) });
const postFields = {
  title: someText(200),
  body: z.string().max(100_000),
  tags: z.array(tag).max(20).optional(),
  status: z.enum(['draft', 'published']).default('published'),
};
export const PostBody = z.object(postFields).strict().openapi('PostInput');
// Its own object, not PostBody.extend(): the OpenAPI document would say allOf[PostInput, {version}],
// which no body can satisfy because PostInput refuses unknown fields.
export const PostUpdateBody = z
  .object({
    ...postFields,
    version,
    minorEdit: z.boolean().optional().openapi({
      description: 'Minor edit of a published post: notify nobody (not even newly mentioned people)',
    }),
  })
  .strict()
  .openapi('PostUpdate');
export const LikeBody = z.object({ liked: z.boolean() }).strict().openapi('Like');

export const CommentBody = z
  .object({ body: someText(10_000), parentId: id.optional() })
  .strict()
  .openapi('CommentInput');
export const CommentUpdateBody = z
  .object({ body: someText(10_000), version })
  .strict()
  .openapi('CommentUpdate');

const postFieldsOut = {
  id: z.string(),
  spaceId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  authorOrg: optionalOrg,
  title: z.string(),
  excerpt: z.string(),
  tags: z.array(z.string()),
  mentions: z.array(z.string()),
  status: z.enum(['draft', 'published']),
  createdAt: timestamp,
  updatedAt: timestamp,
  publishedAt: timestamp.optional(),
  version: z.number().int(),
  minorEdit: z.boolean().optional().openapi({ description: 'The last edit was minor: nobody was told' }),
  likeCount: z.number().int(),
  commentCount: z.number().int(),
  likedByMe: z.boolean(),
  permissions: z.object({ edit: z.boolean(), delete: z.boolean(), comment: z.boolean() }),
};
export const PostSummary = z.object(postFieldsOut).openapi('PostSummary');
export const PostView = z
  .object({
    ...postFieldsOut,
    body: z.string().openapi({ description: 'Markdown as written' }),
    html: z.string().openapi({ description: 'Sanitized HTML rendered from body' }),
  })
  .openapi('Post');
export const PostPage = pageOf(PostSummary, 'PostSummary');
/** A home-feed card: what happened, where and by whom — never a body. */
export const FeedItem = z
  .object({
    kind: z.enum(['post', 'page', 'comment']),
    id: z.string().openapi({ description: 'The post, page or comment id' }),
    spaceId: z.string(),
    spaceName: z.string(),
    at: timestamp.openapi({ description: 'When it happened (the latest edit of coalesced page edits)' }),
    since: timestamp.openapi({ description: 'The first of the coalesced page edits; `at` otherwise' }),
    edits: z.number().int().openapi({ description: 'Page edits shown as this one item' }),
    title: z.string().openapi({ description: 'The post or page title (a comment: its post’s)' }),
    excerpt: z.string(),
    authorId: z.string().openapi({ description: 'Who wrote it (a page: who edited it last)' }),
    authorName: z.string(),
    authorOrg: optionalOrg,
    postId: z.string().optional(),
    pageId: z.string().optional(),
    commentId: z.string().optional(),
    tags: z.array(z.string()),
    link: z.string().openapi({ description: 'Where the card leads in the web client' }),
  })
  .openapi('FeedItem');
export const FeedPage = pageOf(FeedItem, 'FeedItem');
export const LikeResult = z
  .object({ likeCount: z.number().int(), likedByMe: z.boolean() })
  .openapi('LikeResult');
export const CommentView = z
  .object({
    id: z.string(),
    spaceId: z.string(),
    postId: z.string(),
    parentId: z.string().optional(),
    authorId: z.string(),
    authorName: z.string(),
    authorOrg: optionalOrg,
    body: z.string(),
    html: z.string(),
    mentions: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
    deleted: z.boolean().optional(),
    permissions: z.object({ edit: z.boolean(), delete: z.boolean() }),
  })
  .openapi('Comment');
export const CommentPage = pageOf(CommentView, 'Comment');
