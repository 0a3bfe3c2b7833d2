/**
 * Lambda entry of the attachments module: the only API Lambda that signs S3 requests (uploads, downloads,
 * the checks at confirmation). Its role may read, write and delete objects in the files bucket only.
 */

import { s3BlobStoreFromEnv } from '../../blobs/s3-from-env';
import { attachmentLimitsFrom } from '../../domain/attachments/attachment';
import { attachmentsModule } from '../modules/attachments';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(attachmentsModule, {
  blobs: s3BlobStoreFromEnv(),
  attachmentLimits: attachmentLimitsFrom(process.env),
});
