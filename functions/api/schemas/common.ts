/**
 * Schemas every module's routes share: ids, paging, versions, the problem body. Each module keeps its
 * own request schemas beside it (posts.ts, spaces.ts, …), so a module's Lambda builds only its own.
 * They validate input (unknown fields are refused) and generate the OpenAPI document, so the two
 * cannot drift apart.
 */
import { z } from '@hono/zod-openapi';

export const id = z.string().regex(/^[A-Za-z0-9~._-]{1,64}$/, 'must be 1-64 letters, digits, ~ . _ or -');

export const SpaceIdParam = z.object({
  spaceId: id.openapi({ param: { name: 'spaceId', in: 'path' }, example: 'engineering' }),
});
export const UserIdParam = z.object({ userId: id.openapi({ param: { name: 'userId', in: 'path' } }) });
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
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
