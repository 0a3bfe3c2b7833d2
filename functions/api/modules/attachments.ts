import { DEFAULT_ATTACHMENT_LIMITS } from '../../domain/attachments/attachment';
import { AttachmentService } from '../../domain/attachments/attachment-service';
import type { BlobStore } from '../../domain/attachments/blob-store';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

export const attachmentsModule: ApiModule = {
  name: 'attachments',
  description:
    'Commonplace files: attachments on pages and posts, profile photos (presigned S3 uploads and downloads)',
  routes: [
    { name: 'attachments', load: async () => (await import('../routes/attachments')).attachmentRoutes },
  ],
  manifest: manifests.attachments,
  services: ({ spaces }, ctx) => {
    // Without a blob store (an app built for its routes only) every file operation fails loudly.
    ctx.blobs ??= new Proxy({} as BlobStore, {
      get: () => () => Promise.reject(new Error('No blob store is configured for the attachments module')),
    });
    return {
      attachments: new AttachmentService(
        ctx,
        spaces,
        ctx.blobs,
        ctx.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS,
      ),
    };
  },
};
