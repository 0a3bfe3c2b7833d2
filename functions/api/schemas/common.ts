/**
 * Schemas every module's routes share: ids, paging, versions, the problem body. Each module keeps its
 * own request schemas beside it (posts.ts, spaces.ts, …), so a module's Lambda builds only its own.
 * They validate input (unknown fields are refused) and generate the OpenAPI document, so the two
 * cannot drift apart.
 */
import { z } from '@hono/zod-openapi';
import { NOT_BLANK, normalizeTag, SKILL_INPUT, TAG_INPUT } from '../../domain/content/names';

export const id = z.string().regex(/^[A-Za-z0-9~._-]{1,64}$/, 'must be 1-64 letters, digits, ~ . _ or -');
/** An id a person may choose: `~<userId>` is every person's own blog, so `~` cannot come first. */
export const chosenId = z
  .string()
  .regex(
    /^[A-Za-z0-9._-][A-Za-z0-9~._-]{0,63}$/,
    'must be 1-64 letters, digits, ~ . _ or -, not starting with ~',
  );

/**
 * A list position, as the previous page's `cursor` gave it. Opaque: the list decodes it and refuses
 * with 400 (problem field `cursor`) one it did not hand out, so only the form is stated here.
 */
export const cursor = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'must be a cursor a previous page returned')
    .optional()
    .openapi({
      description:
        'The `cursor` of the previous page (base64url). Opaque: a value this list did not hand out is refused with 400 and the field `cursor`.',
    });

/**
 * Text that must hold more than white space: checked as sent (at most `max` characters, something
 * besides white space), then trimmed. The document states both, so what it allows is what is taken.
 */
export const someText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(NOT_BLANK, 'cannot be empty')
    .transform((text) => text.trim());

/** A tag as written (TAG_INPUT: a letter of any script first), given to the route normalised. */
export const tag = z
  .string()
  .max(51)
  .regex(TAG_INPUT, 'tags start with a letter and hold letters, digits, - and _')
  .transform((t) => normalizeTag(t)!);
/** A skill as written (SKILL_INPUT): a tag in which spaces stand for `-`. */
export const skill = z
  .string()
  .max(60)
  .regex(SKILL_INPUT, 'skills start with a letter and hold letters, digits, spaces, - and _');

export const SpaceIdParam = z.object({
  spaceId: id.openapi({ param: { name: 'spaceId', in: 'path' }, example: 'engineering' }),
});
export const UserIdParam = z.object({ userId: id.openapi({ param: { name: 'userId', in: 'path' } }) });
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursor(2048),
});

export const version = z
  .number()
  .int()
  .min(1)
  .openapi({ description: 'The version you edited; a stale one gets 409' });

/** One page of a list: the items and, when there are more, the opaque cursor of the next page. */
export const pageOf = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      cursor: z.string().optional().openapi({ description: 'Pass as `cursor` for the next page' }),
    })
    .openapi(`${name}Page`);

/** Who did something, as every view names them; `org` marks a partner organisation's person. */
export const optionalOrg = z.string().optional().openapi({ description: "A partner's organisation" });
export const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-30T09:00:00.000Z' });
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
