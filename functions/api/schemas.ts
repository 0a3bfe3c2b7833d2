/**
 * Request and response schemas. They validate input (unknown fields are refused) and generate the
 * OpenAPI document, so the two cannot drift apart.
 */
import { z } from '@hono/zod-openapi';
import { normalizeTag } from '../domain/content/markdown';

const id = z.string().regex(/^[A-Za-z0-9~._-]{1,64}$/, 'must be 1-64 letters, digits, ~ . _ or -');

export const SpaceIdParam = z.object({
  spaceId: id.openapi({ param: { name: 'spaceId', in: 'path' }, example: 'engineering' }),
});
export const PostParams = SpaceIdParam.extend({
  postId: id.openapi({ param: { name: 'postId', in: 'path' } }),
});
export const CommentParams = PostParams.extend({
  commentId: id.openapi({ param: { name: 'commentId', in: 'path' } }),
});
export const MemberParams = SpaceIdParam.extend({
  userId: id.openapi({ param: { name: 'userId', in: 'path' } }),
});
export const UserIdParam = z.object({ userId: id.openapi({ param: { name: 'userId', in: 'path' } }) });

// Tags as a post's body yields them (normalizeTag: a letter of any script, then letters, digits, - and
// _; NFC, lower case). Input is normalised, not refused, so #Café, /tags/Café and /tags/café agree.
const tag = z
  .string()
  .max(51)
  .refine((t) => normalizeTag(t) !== null, 'tags start with a letter and hold letters, digits, - and _')
  .transform((t) => normalizeTag(t)!);
export const TagParam = z.object({ tag: tag.openapi({ param: { name: 'tag', in: 'path' } }) });
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export const SpaceListQuery = PageQuery.extend({
  scope: z.enum(['mine', 'directory', 'all']).default('mine'),
});

const version = z
  .number()
  .int()
  .min(1)
  .openapi({ description: 'The version you edited; a stale one gets 409' });

export const CreateSpaceBody = z
  .object({
    id: id.optional().openapi({ description: 'A readable id for the URL; generated when absent' }),
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).optional(),
    audience: z.enum(['employees', 'members']).default('employees'),
  })
  .strict()
  .openapi('CreateSpace');

export const UpdateSpaceBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    description: z.string().max(2000).optional(),
    audience: z.enum(['employees', 'members']).optional(),
    version,
  })
  .strict()
  .openapi('UpdateSpace');

export const SharingBody = z
  .object({ partnerOrgs: z.array(id).max(50), version })
  .strict()
  .openapi('Sharing');
export const MemberBody = z
  .object({ role: z.enum(['owner', 'editor', 'reader']) })
  .strict()
  .openapi('MemberRole');

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

export const PageParams = SpaceIdParam.extend({
  pageId: id.openapi({ param: { name: 'pageId', in: 'path' }, example: 'release-process' }),
});
export const PageVersionParams = PageParams.extend({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'n', in: 'path' }, description: 'A version number' }),
});
const pageFields = {
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000),
  parentId: id.nullable().optional().openapi({ description: 'The page above; null moves it to the top' }),
  summary: z.string().trim().max(300).optional().openapi({ description: 'What changed, for the history' }),
};
export const CreatePageBody = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters and digits in words joined by -')
      .max(64)
      .optional()
      .openapi({ description: "The page's id; by default the slug of its title (what [[title]] links to)" }),
    ...pageFields,
  })
  .strict()
  .openapi('CreatePage');
export const UpdatePageBody = z
  .object({ ...pageFields, version })
  .strict()
  .openapi('UpdatePage');
export const RestorePageBody = z
  .object({
    fromVersion: z.number().int().min(1).openapi({ description: 'The version to bring back' }),
    version,
  })
  .strict()
  .openapi('RestorePage');

const profileText = (max: number) => z.string().max(max).optional();
export const UpdateProfileBody = z
  .object({
    title: profileText(120).openapi({ description: 'Job title; an empty string clears it' }),
    department: profileText(120),
    location: profileText(120),
    phone: profileText(40),
    about: profileText(2000),
    skills: z
      .array(z.string().max(60))
      .max(30)
      .optional()
      .openapi({ description: 'Replaces the list; normalised like tags' }),
    version,
  })
  .strict()
  .openapi('UpdateProfile');
export const SkillQuery = PageQuery.extend({
  skill: z.string().trim().min(1).max(50).openapi({ description: 'A skill, e.g. kubernetes' }),
});

export const OrganisationBody = z
  .object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/), name: z.string().trim().min(1).max(120) })
  .strict()
  .openapi('OrganisationInput');

/** Response bodies are documented loosely: the domain's view types are the source of truth. */
export const Json = z.record(z.string(), z.unknown()).openapi('Object');
export const PageOf = (name: string) =>
  z.object({ items: z.array(Json), cursor: z.string().optional() }).openapi(`${name}Page`);
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string(), detail: z.string().optional() }))
      .optional(),
  })
  .openapi('Problem');
