/** Request schemas of the wiki module: pages, versions, restore. */
import { z } from '@hono/zod-openapi';
import { id, optionalOrg, PageQuery, pageOf, SpaceIdParam, someText, timestamp, version } from './common';

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
  title: someText(200),
  body: z.string().max(100_000),
  parentId: id.nullable().optional().openapi({ description: 'The page above; null moves it to the top' }),
  summary: z
    .string()
    .max(300)
    .transform((text) => text.trim())
    .optional()
    .openapi({ description: 'What changed, for the history' }),
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
  .object({
    ...pageFields,
    version,
    minorEdit: z.boolean().optional().openapi({
      description: 'A minor edit: notify nobody (not its watchers, not newly mentioned people)',
    }),
  })
  .strict()
  .openapi('UpdatePage');
export const RestorePageBody = z
  .object({
    fromVersion: z.number().int().min(1).openapi({ description: 'The version to bring back' }),
    version,
  })
  .strict()
  .openapi('RestorePage');

const pageFieldsOut = {
  id: z.string(),
  spaceId: z.string(),
  title: z.string(),
  parentId: z.string().optional(),
  excerpt: z.string(),
  tags: z.array(z.string()),
  createdBy: z.string(),
  createdByName: z.string(),
  createdByOrg: optionalOrg,
  updatedBy: z.string(),
  updatedByName: z.string(),
  updatedByOrg: optionalOrg,
  createdAt: timestamp,
  updatedAt: timestamp,
  version: z.number().int(),
  minorEdit: z.boolean().optional().openapi({ description: 'The last edit was minor: nobody was told' }),
  permissions: z.object({ edit: z.boolean(), delete: z.boolean() }),
};
export const PageSummary = z.object(pageFieldsOut).openapi('PageSummary');
export const PageView = z
  .object({
    ...pageFieldsOut,
    body: z.string(),
    html: z.string(),
    links: z.array(z.string()).openapi({ description: 'Ids of the pages its [[links]] point to' }),
    mentions: z.array(z.string()).optional().openapi({ description: 'Handles @mentioned in the text' }),
  })
  .openapi('Page');
export const WikiPagePage = pageOf(PageSummary, 'PageSummary');
const versionFields = {
  spaceId: z.string(),
  pageId: z.string(),
  version: z.number().int(),
  title: z.string(),
  parentId: z.string().optional(),
  editedBy: z.string(),
  editedByName: z.string(),
  editedByOrg: optionalOrg,
  editedAt: timestamp,
  summary: z.string().optional(),
  restoredFrom: z.number().int().optional(),
  minorEdit: z.boolean().optional().openapi({ description: 'A minor edit: nobody was told' }),
};
export const PageVersionSummary = z.object(versionFields).openapi('PageVersionSummary');
export const PageVersionView = z
  .object({ ...versionFields, body: z.string(), html: z.string() })
  .openapi('PageVersion');
export const PageVersionPage = pageOf(PageVersionSummary, 'PageVersionSummary');
export const Backlink = z.object({ id: z.string(), title: z.string() }).openapi('Backlink');
export const BacklinkPage = pageOf(Backlink, 'Backlink');

export const PageTreeQuery = PageQuery.extend({
  parent: id.optional().openapi({ description: 'The page whose children to list; absent: the top level' }),
});
export const WikiPageListQuery = PageQuery.extend({
  title: z
    .string()
    .max(200)
    .transform((text) => text.trim())
    .optional()
    .openapi({ description: 'Only pages whose title starts with this (any case): a picker’s type-ahead' }),
});
export const PageNodesQuery = z.object({
  ids: z
    .string()
    .regex(
      /^[A-Za-z0-9~._-]{1,64}(?:,[A-Za-z0-9~._-]{1,64}){0,99}$/,
      'must be 1 to 100 page ids, comma-separated',
    )
    .transform((text) => [...new Set(text.split(','))])
    .openapi({ description: 'Up to 100 page ids, comma-separated', example: 'release-process,onboarding' }),
});
export const PageTreeEntry = z
  .object({
    id: z.string(),
    spaceId: z.string(),
    title: z.string(),
    parentId: z.string().optional(),
    childCount: z.number().int().openapi({ description: 'How many pages sit right below this one' }),
    hasChildren: z.boolean().openapi({ description: 'Whether to offer an expander' }),
    updatedAt: timestamp,
  })
  .openapi('PageTreeEntry');
export const PageTreeLevel = pageOf(PageTreeEntry, 'PageTreeEntry');
export const PageNodes = z
  .object({ items: z.array(PageTreeEntry) })
  .openapi('PageNodes', { description: 'The named pages that exist (a missing one is left out)' });
