/**
 * Files on pages and posts, and profile photos. The routes only hand out signed forms and links; the
 * bytes go between the browser and the blob store (docs/architecture.md, "Attachments").
 */
import { createRoute } from '@hono/zod-openapi';
import type { AttachmentOwner } from '../../domain/attachments/attachment';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import {
  AttachmentList,
  AttachmentView,
  ConfirmUploadBody,
  PageAttachmentParams,
  PageOwnerParams,
  PhotoLink,
  PhotoLinks,
  PhotoQuery,
  PhotoUploadBody,
  PostAttachmentParams,
  PostOwnerParams,
  UploadGrantView,
  UploadRequestBody,
} from '../schemas/attachments';

const tags = ['attachments'];
const fileErrors = {
  ...standardErrors,
  413: standardErrors[413],
  422: {
    description: 'The uploaded bytes are not what the file was declared to be (e.g. HTML named .png)',
    content: {
      'application/problem+json': { schema: standardErrors[400].content['application/problem+json'].schema },
    },
  },
};

export function attachmentRoutes() {
  const app = createRouter();

  const owners = [
    { kind: 'page', segment: 'pages', param: 'pageId', params: PageOwnerParams, one: PageAttachmentParams },
    { kind: 'post', segment: 'posts', param: 'postId', params: PostOwnerParams, one: PostAttachmentParams },
  ] as const;

  for (const { kind, segment, param, params, one } of owners) {
    const base = `/spaces/{spaceId}/${segment}/{${param}}/attachments`;
    const ownerOf = (values: Record<string, string>): AttachmentOwner => ({ kind, id: values[param] });
    const who = kind === 'page' ? 'editors and owners of the space' : "the post's author";

    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/uploads`,
        tags,
        ...secured,
        summary: `Ask to upload a file to a ${kind} (${who}): a presigned form for exactly this file, valid for minutes`,
        request: { params, ...jsonBody(UploadRequestBody) },
        responses: { 201: ok(UploadGrantView, 'Created'), ...fileErrors },
      }),
      async (c) => {
        const values = c.req.valid('param') as Record<string, string>;
        const grant = await c.var.services.attachments.requestUpload(
          c.var.principal,
          values.spaceId,
          ownerOf(values),
          c.req.valid('json'),
        );
        return c.json(grant, 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'post',
        path: base,
        tags,
        ...secured,
        summary: `Confirm an upload: its bytes are checked (type from the first bytes, size) and it is attached to the ${kind}`,
        request: { params, ...jsonBody(ConfirmUploadBody) },
        responses: { 201: ok(AttachmentView, 'Created'), ...fileErrors },
      }),
      async (c) => {
        const values = c.req.valid('param') as Record<string, string>;
        const attachment = await c.var.services.attachments.confirm(
          c.var.principal,
          values.spaceId,
          ownerOf(values),
          c.req.valid('json').uploadId,
        );
        return c.json(attachment, 201);
      },
    );

    app.openapi(
      createRoute({
        method: 'get',
        path: base,
        tags,
        ...secured,
        summary: `The files of a ${kind}, each with a download link that works for minutes`,
        request: { params },
        responses: { 200: ok(AttachmentList), ...standardErrors },
      }),
      async (c) => {
        const values = c.req.valid('param') as Record<string, string>;
        return c.json(
          await c.var.services.attachments.list(c.var.principal, values.spaceId, ownerOf(values)),
          200,
        );
      },
    );

    app.openapi(
      createRoute({
        method: 'get',
        path: `${base}/{attachmentId}`,
        tags,
        ...secured,
        summary: 'One file with a fresh download link (read access is checked on every request)',
        request: { params: one },
        responses: { 200: ok(AttachmentView), ...standardErrors },
      }),
      async (c) => {
        const values = c.req.valid('param') as Record<string, string>;
        c.header('cache-control', 'no-store');
        return c.json(
          await c.var.services.attachments.get(
            c.var.principal,
            values.spaceId,
            ownerOf(values),
            values.attachmentId,
          ),
          200,
        );
      },
    );

    app.openapi(
      createRoute({
        method: 'delete',
        path: `${base}/{attachmentId}`,
        tags,
        ...secured,
        summary: `Remove a file (who may edit the ${kind}, space owners, admins, its uploader)`,
        request: { params: one },
        responses: { 204: { description: 'Deleted' }, ...standardErrors },
      }),
      async (c) => {
        const values = c.req.valid('param') as Record<string, string>;
        await c.var.services.attachments.delete(
          c.var.principal,
          values.spaceId,
          ownerOf(values),
          values.attachmentId,
        );
        return c.body(null, 204);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/photo/uploads',
      tags,
      ...secured,
      summary: 'Ask to upload a profile photo (PNG, JPEG or WebP, a square the client cropped)',
      request: jsonBody(PhotoUploadBody),
      responses: { 201: ok(UploadGrantView, 'Created'), ...fileErrors },
    }),
    async (c) =>
      c.json(await c.var.services.attachments.requestPhotoUpload(c.var.principal, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/photo',
      tags,
      ...secured,
      summary: 'Make an uploaded photo your profile photo (its bytes are checked to be the image declared)',
      request: jsonBody(ConfirmUploadBody),
      responses: { 200: ok(PhotoLink), ...fileErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.attachments.confirmPhoto(c.var.principal, c.req.valid('json').uploadId),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/photo',
      tags,
      ...secured,
      summary: 'Remove your profile photo',
      responses: { 204: { description: 'Deleted' }, ...standardErrors },
    }),
    async (c) => {
      await c.var.services.attachments.deletePhoto(c.var.principal);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/profile-photos',
      tags,
      ...secured,
      summary: 'Photo links of up to 50 people (those you may see who have one), each working for minutes',
      request: { query: PhotoQuery },
      responses: { 200: ok(PhotoLinks), ...standardErrors },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(
        await c.var.services.attachments.photos(c.var.principal, c.req.valid('query').ids.split(',')),
        200,
      );
    },
  );

  return app;
}
