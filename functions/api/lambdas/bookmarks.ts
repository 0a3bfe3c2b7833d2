/**
 * Lambda entry of the bookmarks module (routes in functions/api/modules/bookmarks.ts). Imports: it
 * presigns the upload form (s3:PutObject under uploads/), checks the upload arrived (s3:GetObject) and
 * queues the job (SQS SendMessage); the import worker does the rest (bookmark-import-lambda.ts).
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { s3BlobStoreFromEnv } from '../../blobs/s3-from-env';
import { BOOKMARK_IMPORT_QUEUE_URL_ENV, type ImportJobMessage } from '../../domain/bookmarks/import-job';
import { SqsQueue } from '../../platform/sqs-queue';
import { bookmarksModule } from '../modules/bookmarks';
import { moduleLambda } from './module-lambda';

const queueUrl = process.env[BOOKMARK_IMPORT_QUEUE_URL_ENV];
if (!queueUrl) throw new Error(`Environment variable ${BOOKMARK_IMPORT_QUEUE_URL_ENV} is not set`);

export const handler = moduleLambda(bookmarksModule, {
  blobs: s3BlobStoreFromEnv(),
  bookmarkImportQueue: new SqsQueue<ImportJobMessage>(queueUrl, {
    region: process.env.AWS_REGION ?? '',
    credentials: defaultProvider(),
  }),
});
