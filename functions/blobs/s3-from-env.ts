/** The S3 blob store as the Lambdas configure it from their environment (set by lib/constructs/files.ts). */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { ENV, requiredEnv } from '../platform/environment';
import { S3BlobStore } from './s3-blob-store';

export function s3BlobStoreFromEnv(): S3BlobStore {
  return new S3BlobStore({
    bucket: requiredEnv(ENV.filesBucket),
    region: requiredEnv(ENV.region),
    downloadDomain: requiredEnv(ENV.filesDownloadDomain),
    credentials: defaultProvider(),
  });
}
