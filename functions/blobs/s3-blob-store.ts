/**
 * The blob store in AWS: one private S3 bucket (lib/constructs/files.ts). Uploads are presigned POSTs
 * to the bucket's regional endpoint (its CORS allows the app's origin only); downloads are presigned
 * GETs served through the download distribution — a CloudFront domain of its own, never the app's
 * origin, that forwards the signed query to S3 and adds `nosniff` and a sandboxing CSP to every answer.
 * A file GuardDuty tagged as infected is refused by the bucket policy, whoever asks.
 * The REST calls (ranged GET, copy, delete) are signed here (sigv4.ts): no S3 client is bundled.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type {
  BlobHead,
  BlobStore,
  DownloadRules,
  PresignedUpload,
  UploadRules,
} from '../domain/attachments/blob-store';
import { contentDisposition } from '../domain/attachments/file-name';
import { presignGet, presignPost, signRequest } from './sigv4';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** The download distribution's domain (`dxxxx.cloudfront.net`); downloads never use the bucket's own host. */
  downloadDomain: string;
  now?: () => Date;
}

export class S3BlobStore implements BlobStore {
  private readonly host: string;
  private readonly now: () => Date;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.host = `${options.bucket}.s3.${options.region}.amazonaws.com`;
    this.now = options.now ?? (() => new Date());
  }

  async presignUpload(rules: UploadRules): Promise<PresignedUpload> {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + rules.expiresInSeconds * 1000);
    const fields = presignPost({
      bucket: this.options.bucket,
      key: rules.key,
      contentType: rules.contentType,
      minBytes: rules.size,
      maxBytes: rules.size,
      region: this.options.region,
      credentials: await this.options.credentials(),
      expiresAt,
      now,
    });
    return { url: `https://${this.host}/`, fields, expiresAt: expiresAt.toISOString() };
  }

  async head(key: string, bytes: number): Promise<BlobHead | undefined> {
    const response = await this.send('GET', key, { range: `bytes=0-${bytes - 1}` });
    if (response.status === 404 || response.status === 403) return undefined;
    if (response.status !== 206 && response.status !== 200)
      throw new Error(`S3 GetObject ${key}: ${response.status}`);
    const start = new Uint8Array(await response.arrayBuffer()).subarray(0, bytes);
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    return { size: total ? Number(total) : start.length, start };
  }

  async promote(from: string, to: string, contentType: string): Promise<void> {
    const response = await this.send('PUT', to, {
      'x-amz-copy-source': `/${this.options.bucket}/${from}`,
      'x-amz-metadata-directive': 'REPLACE',
      'content-type': contentType,
    });
    // CopyObject can answer 200 with an error in the body.
    const body = await response.text();
    if (response.status !== 200 || body.includes('<Error>'))
      throw new Error(`S3 CopyObject ${from}: ${response.status}`);
    await this.delete(from);
  }

  async delete(key: string): Promise<void> {
    const response = await this.send('DELETE', key);
    if (response.status !== 204 && response.status !== 200 && response.status !== 404)
      throw new Error(`S3 DeleteObject ${key}: ${response.status}`);
  }

  async downloadUrl(rules: DownloadRules): Promise<string> {
    const url = presignGet({
      host: this.host,
      key: rules.key,
      region: this.options.region,
      credentials: await this.options.credentials(),
      expiresIn: rules.expiresInSeconds,
      now: this.now(),
      responseHeaders: {
        'response-content-type': rules.contentType,
        'response-content-disposition': contentDisposition(rules.fileName, rules.inline),
        'response-cache-control': `private, max-age=${rules.expiresInSeconds}`,
      },
    });
    // Signed for the bucket's host (CloudFront sends that Host to S3), fetched from the download domain.
    return url.replace(`https://${this.host}/`, `https://${this.options.downloadDomain}/`);
  }

  private async send(method: string, key: string, headers: Record<string, string> = {}) {
    const signed = signRequest({
      method,
      host: this.host,
      key,
      region: this.options.region,
      credentials: await this.options.credentials(),
      now: this.now(),
      headers,
    });
    return fetch(`https://${this.host}/${key}`, { method, headers: signed });
  }
}
