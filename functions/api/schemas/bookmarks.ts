/** Request and response schemas of the bookmarks module. */
import { z } from '@hono/zod-openapi';
import { MAX_BOOKMARK_TAGS, VISIBILITIES } from '../../domain/bookmarks/bookmark';
import { MAX_IMPORT_BYTES, MAX_STORED_ERRORS } from '../../domain/bookmarks/netscape';
import { isUrlProblem, MAX_URL_LENGTH, normaliseUrl } from '../../domain/bookmarks/url';
import { id, optionalOrg, pageOf, tag, timestamp, version } from './common';

/** http or https, a host name (or address) without spaces or credentials, a port, then anything but white space. */
const URL_FORM = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[A-Za-z0-9._~-]+(?::[0-9]{1,4})?(?:[/?#]\S*)?$/;

/** An http(s) URL of at most 2,048 characters; the refusal says why in words (the problem names the field). */
const url = z
  .string()
  .min(1)
  .max(MAX_URL_LENGTH)
  // What the document states (so what it calls valid is taken); the normaliser has the last word.
  .regex(URL_FORM, 'an http(s) address such as https://example.com/page')
  .superRefine((value, ctx) => {
    const result = normaliseUrl(value);
    if (isUrlProblem(result))
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.detail.replace(/\.$/, '') });
  })
  .openapi({ example: 'https://example.com/article?id=42' });

const visibility = z.enum(VISIBILITIES as [string, ...string[]]).openapi({
  description: 'private: only you; employees: every employee; space: the readers of `spaceId`',
}) as z.ZodType<'private' | 'employees' | 'space'>;

export const BookmarkIdParam = z.object({
  bookmarkId: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'must be a bookmark id (32 hex digits)')
    .openapi({ param: { name: 'bookmarkId', in: 'path' } }),
});
export const BundleIdParam = z.object({ bundleId: id.openapi({ param: { name: 'bundleId', in: 'path' } }) });
export const PersonParam = z.object({ userId: id.openapi({ param: { name: 'userId', in: 'path' } }) });

export const BookmarkPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(40).default(20),
  cursor: z.string().max(2048).optional(),
});
export const MyBookmarksQuery = BookmarkPageQuery.extend({
  tag: tag.optional(),
  favourites: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const LookupQuery = z.object({ url });
export const TagCloudQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const text = {
  title: z.string().max(500).optional(),
  description: z.string().max(5000).optional(),
  tags: z.array(tag).max(MAX_BOOKMARK_TAGS).optional(),
};
export const SaveBookmarkBody = z
  .object({
    url,
    ...text,
    visibility: visibility.optional(),
    spaceId: id.optional().openapi({ description: 'Only with visibility "space", which it then needs' }),
    favourite: z.boolean().optional(),
  })
  .strict()
  .openapi('BookmarkInput');
export const EditBookmarkBody = z
  .object({
    ...text,
    visibility: visibility.optional(),
    spaceId: id
      .nullable()
      .optional()
      .openapi({ description: 'Only with visibility "space" (the save\'s, or the one given)' }),
    favourite: z.boolean().optional(),
    version,
  })
  .strict()
  .openapi('BookmarkEdit');
export const FavouriteBody = z.object({ favourite: z.boolean() }).strict().openapi('BookmarkFavourite');
export const RenameTagBody = z.object({ from: tag, to: tag }).strict().openapi('BookmarkTagRename');
/** A Netscape bookmark file names itself in its first line; the document says so. */
export const ImportUploadBody = z
  .object({
    size: z
      .number()
      .int()
      .min(1)
      .max(MAX_IMPORT_BYTES)
      .openapi({ description: 'Exactly the bytes that will be sent (a bookmark file is at most 5 MB)' }),
  })
  .strict()
  .openapi('BookmarkImportUploadRequest');
export const StartImportBody = z
  .object({
    uploadId: id.openapi({ description: 'From POST /me/bookmarks/imports/uploads, after the file was sent' }),
    visibility: z.enum(['private', 'employees']).default('private'),
  })
  .strict()
  .openapi('BookmarkImportStart');
export const ImportIdParam = z.object({ importId: id });

const bundleFields = {
  name: z.string().trim().min(1).max(100),
  any: z.array(tag).max(20).default([]),
  all: z.array(tag).max(20).default([]),
  none: z.array(tag).max(20).default([]),
};
export const BundleBody = z.object(bundleFields).strict().openapi('BookmarkBundleInput');
export const BundleUpdateBody = z
  .object({ ...bundleFields, version })
  .strict()
  .openapi('BookmarkBundleUpdate');

const Meta = z
  .object({
    title: z.string().optional(),
    description: z.string().optional(),
    icon: z.string().optional().openapi({ description: 'A small data: URL image' }),
  })
  .openapi('UrlMeta', { description: 'What the metadata fetcher found (plain text)' });

export const BookmarkView = z
  .object({
    id: z.string(),
    url: z.string(),
    host: z.string(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    visibility,
    spaceId: z.string().optional(),
    spaceName: z.string().optional(),
    savedAt: timestamp,
    updatedAt: timestamp,
    savedBy: z.object({ userId: z.string(), name: z.string(), org: optionalOrg }),
    meta: Meta.optional(),
    sharedSaves: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'How many people saved this link for every employee (employees only)' }),
    mine: z.boolean(),
    favourite: z.boolean().optional(),
    version: z.number().int().optional(),
  })
  .openapi('Bookmark');
export const BookmarkPage = pageOf(BookmarkView, 'Bookmark');

export const PopularView = z
  .object({
    id: z.string(),
    url: z.string(),
    host: z.string(),
    title: z.string(),
    description: z.string(),
    meta: Meta.optional(),
    saveCount: z.number().int(),
    lastSavedAt: timestamp,
  })
  .openapi('PopularBookmark');
export const PopularPage = pageOf(PopularView, 'PopularBookmark');

export const LookupView = z
  .object({
    url: z.string().openapi({ description: 'The URL as normalised' }),
    id: z.string(),
    host: z.string(),
    meta: Meta.optional(),
    mine: BookmarkView.optional(),
    others: z.object({
      count: z.number().int(),
      more: z.boolean(),
      people: z.array(
        z.object({ userId: z.string(), name: z.string(), org: optionalOrg, savedAt: timestamp }),
      ),
    }),
  })
  .openapi('BookmarkLookup');

export const TagCloud = z
  .object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) })
  .openapi('BookmarkTagCloud');
export const RenameResult = z
  .object({ from: z.string(), to: z.string(), renamed: z.number().int(), merged: z.boolean() })
  .openapi('BookmarkTagRenamed');

export const BundleView = z
  .object({
    id: z.string(),
    name: z.string(),
    any: z.array(z.string()),
    all: z.array(z.string()),
    none: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .openapi('BookmarkBundle');
export const BundleList = z.object({ items: z.array(BundleView) }).openapi('BookmarkBundleList');

export const ImportUploadGrant = z
  .object({
    uploadId: z.string(),
    upload: z.object({
      url: z.string().openapi({ description: 'POST multipart/form-data here: every field, then `file`' }),
      fields: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
    contentType: z.string(),
    maxBytes: z.number().int(),
  })
  .openapi('BookmarkImportUploadGrant');

const lineError = z.object({ line: z.number().int(), url: z.string(), message: z.string() });
export const ImportJobView = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'refused']),
    visibility: z.enum(['private', 'employees']),
    progress: z
      .object({ done: z.number().int(), total: z.number().int() })
      .openapi({ description: 'Links handled so far of the links in the file (total is 0 until read)' }),
    counts: z.object({
      links: z.number().int(),
      added: z.number().int(),
      alreadySaved: z.number().int(),
      duplicates: z.number().int(),
      refused: z
        .number()
        .int()
        .openapi({ description: 'Lines refused (all of them; `errors` may be capped)' }),
    }),
    errors: z.array(lineError),
    errorsCapped: z.boolean().openapi({
      description: `True when more lines were refused than \`errors\` lists (at most ${MAX_STORED_ERRORS})`,
    }),
    reason: z
      .object({ type: z.string(), title: z.string(), detail: z.string() })
      .optional()
      .openapi({ description: 'Why the whole file was refused (status refused): nothing was imported' }),
    createdAt: timestamp,
    updatedAt: timestamp,
    finishedAt: timestamp.optional(),
  })
  .openapi('BookmarkImportJob');
