/** Request and response schemas of the attachments module: uploads, attachments, profile photos. */
import { z } from '@hono/zod-openapi';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../domain/attachments/attachment';
import { ALLOWED_TYPES, PHOTO_TYPES } from '../../domain/attachments/file-type';
import { id, SpaceIdParam } from './common';

export const PageOwnerParams = SpaceIdParam.extend({
  pageId: id.openapi({ param: { name: 'pageId', in: 'path' }, example: 'release-process' }),
});
export const PostOwnerParams = SpaceIdParam.extend({
  postId: id.openapi({ param: { name: 'postId', in: 'path' } }),
});
const attachmentId = id.openapi({ param: { name: 'attachmentId', in: 'path' } });
export const PageAttachmentParams = PageOwnerParams.extend({ attachmentId });
export const PostAttachmentParams = PostOwnerParams.extend({ attachmentId });

const size = z
  .number()
  .int()
  .min(1, 'an empty file cannot be attached')
  .max(2 ** 40)
  .openapi({ description: 'Exactly the bytes that will be sent (the upload form allows this size only)' });
const contentType = z
  .enum(Object.keys(ALLOWED_TYPES) as [string, ...string[]])
  .openapi({ description: 'The media type; it must match the name and, at confirmation, the bytes' });

export const UploadRequestBody = z
  .object({
    name: z.string().max(1000).openapi({
      description: 'The file name as shown (no / or \\, no control characters, at most 200 characters)',
      example: 'forecast.pdf',
    }),
    size,
    contentType,
  })
  .strict()
  .openapi('UploadRequest');
export const PhotoUploadBody = z
  .object({
    size: z.number().int().min(1).max(DEFAULT_ATTACHMENT_LIMITS.photoMaxBytes).openapi({
      description: 'Exactly the bytes that will be sent (the client sends a cropped square, far smaller)',
    }),
    contentType: z.enum(PHOTO_TYPES).openapi({ description: 'A PNG, JPEG or WebP image' }),
  })
  .strict()
  .openapi('PhotoUploadRequest');
export const ConfirmUploadBody = z
  .object({ uploadId: id.openapi({ description: 'The `uploadId` the upload request answered' }) })
  .strict()
  .openapi('ConfirmUpload');

export const UploadGrantView = z
  .object({
    uploadId: z.string(),
    upload: z.object({
      url: z.string().openapi({ description: 'POST multipart/form-data here: every field, then `file`' }),
      fields: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
    maxBytes: z.number().int(),
  })
  .openapi('UploadGrant');

export const AttachmentView = z
  .object({
    id: z.string(),
    spaceId: z.string(),
    owner: z.object({ kind: z.enum(['page', 'post']), id: z.string() }),
    name: z.string(),
    size: z.number().int(),
    contentType: z.string(),
    image: z.boolean(),
    uploadedBy: z.object({ id: z.string(), name: z.string() }),
    createdAt: z.string(),
    path: z.string().openapi({ description: 'The stable link written into Markdown' }),
    markdown: z.string(),
    downloadUrl: z.string().openapi({ description: 'Works for minutes, on the download origin' }),
    downloadExpiresAt: z.string(),
    permissions: z.object({ delete: z.boolean() }),
  })
  .openapi('Attachment');
export const AttachmentList = z.object({ items: z.array(AttachmentView) }).openapi('AttachmentList');

export const PhotoLink = z
  .object({ userId: z.string(), url: z.string(), expiresAt: z.string() })
  .openapi('PhotoLink');
export const PhotoLinks = z.object({ items: z.array(PhotoLink) }).openapi('PhotoLinks');
export const PhotoQuery = z.object({
  ids: z
    .string()
    .max(50 * 65)
    .regex(/^[A-Za-z0-9~._-]{1,64}(,[A-Za-z0-9~._-]{1,64}){0,49}$/, 'up to 50 user ids separated by commas')
    .openapi({ description: 'Up to 50 user ids, comma-separated' }),
});
