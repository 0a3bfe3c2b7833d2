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
  .object({ ...postFields, version })
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
