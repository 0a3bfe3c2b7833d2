/** Request schemas of the posts module: posts, comments, likes, tags. */
import { z } from '@hono/zod-openapi';
import { normalizeTag } from '../../domain/content/names';
import { id, SpaceIdParam, version } from './common';

export const PostParams = SpaceIdParam.extend({
  postId: id.openapi({ param: { name: 'postId', in: 'path' } }),
});
export const CommentParams = PostParams.extend({
  commentId: id.openapi({ param: { name: 'commentId', in: 'path' } }),
});

// Tags as a post's body yields them (normalizeTag: a letter of any script, then letters, digits, - and
// _; NFC, lower case). Input is normalised, not refused, so #Café, /tags/Café and /tags/café agree.
const tag = z
  .string()
  .max(51)
  .refine((t) => normalizeTag(t) !== null, 'tags start with a letter and hold letters, digits, - and _')
  .transform((t) => normalizeTag(t)!);
export const TagParam = z.object({ tag: tag.openapi({ param: { name: 'tag', in: 'path' } }) });
const postFields = {
  title: z.string().trim().min(1).max(200),
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
  .object({ body: z.string().trim().min(1).max(10_000), parentId: id.optional() })
  .strict()
  .openapi('CommentInput');
export const CommentUpdateBody = z
  .object({ body: z.string().trim().min(1).max(10_000), version })
  .strict()
  .openapi('CommentUpdate');
