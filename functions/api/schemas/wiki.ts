/** Request schemas of the wiki module: pages, versions, restore. */
import { z } from '@hono/zod-openapi';
import { id, SpaceIdParam, version } from './common';

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
