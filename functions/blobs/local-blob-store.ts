/**
 * The blob store of the local runtime: files under `<data folder>/blobs/`, served by the runtime's blob
 * server (local/blobs/blob-server.ts) on an origin of its own (`http://127.0.0.1:<port>`, never the
 * app's `http://localhost:<port>`). Upload forms and download links are signed with an HMAC key kept in
 * the data folder and carry the same rules as S3's presigned POST and GET: one key, one content type,
 * an exact size, an expiry; downloads with fixed Content-Type and Content-Disposition, and nosniff.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BLOB_KEY,
  type BlobHead,
  type BlobStore,
  blobKeys,
  type DownloadRules,
  type PresignedUpload,
  type UploadRules,
} from '../domain/attachments/blob-store';

export interface UploadPolicy {
  key: string;
  contentType: string;
  size: number;
  /** Epoch milliseconds. */
  expires: number;
}

export interface DownloadGrant {
  key: string;
  type: string;
  name: string;
  inline: boolean;
  expires: number;
}

export class LocalBlobStore implements BlobStore {
  /** Set when the blob server listens: `http://127.0.0.1:<port>`. */
  baseUrl = '';
  private readonly secret: Buffer;

  constructor(
    readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(directory, { recursive: true });
    const keyFile = path.join(directory, '.signing.key');
    if (!fs.existsSync(keyFile)) {
      const temp = `${keyFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, randomBytes(32).toString('base64'), { mode: 0o600 });
      fs.renameSync(temp, keyFile);
    }
    this.secret = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
  }

  async presignUpload(rules: UploadRules): Promise<PresignedUpload> {
    const policy: UploadPolicy = {
      key: rules.key,
      contentType: rules.contentType,
      size: rules.size,
      expires: this.now() + rules.expiresInSeconds * 1000,
    };
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64url');
    return {
      url: `${this.baseUrl}/upload`,
      fields: {
        key: rules.key,
        'Content-Type': rules.contentType,
        policy: encoded,
        signature: this.sign(`upload:${encoded}`),
      },
      expiresAt: new Date(policy.expires).toISOString(),
    };
  }

  async head(key: string, bytes: number): Promise<BlobHead | undefined> {
    const file = this.pathOf(key);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = fs.fstatSync(fd).size;
      const start = Buffer.alloc(Math.min(bytes, size));
      fs.readSync(fd, start, 0, start.length, 0);
      return { size, start: new Uint8Array(start) };
    } finally {
      fs.closeSync(fd);
    }
  }

  async promote(from: string, to: string, _contentType: string): Promise<void> {
    const target = this.pathOf(to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(this.pathOf(from), target);
  }

  async delete(key: string): Promise<void> {
    fs.rmSync(this.pathOf(key), { force: true });
  }

  async downloadUrl(rules: DownloadRules): Promise<string> {
    const grant: DownloadGrant = {
      key: rules.key,
      type: rules.contentType,
      name: rules.fileName,
      inline: rules.inline,
      expires: this.now() + rules.expiresInSeconds * 1000,
    };
    const encoded = Buffer.from(JSON.stringify(grant)).toString('base64url');
    return `${this.baseUrl}/blobs/${rules.key}?grant=${encoded}&sig=${this.sign(`download:${encoded}`)}`;
  }

  /** The policy of a signed upload form, or why it is refused. */
  verifyUpload(fields: { policy?: string; signature?: string }): UploadPolicy | string {
    if (
      !fields.policy ||
      !fields.signature ||
      !this.signatureMatches(`upload:${fields.policy}`, fields.signature)
    )
      return 'The upload form is not signed by this server';
    const policy = JSON.parse(Buffer.from(fields.policy, 'base64url').toString('utf8')) as UploadPolicy;
    if (policy.expires < this.now()) return 'The upload form has expired; ask the API for a new one';
    return policy;
  }

  /** The grant of a signed download link, or why it is refused. */
  verifyDownload(key: string, encoded: string | null, signature: string | null): DownloadGrant | string {
    if (!encoded || !signature || !this.signatureMatches(`download:${encoded}`, signature))
      return 'The download link is not signed by this server';
    const grant = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as DownloadGrant;
    if (grant.key !== key) return 'The download link is for another file';
    if (grant.expires < this.now())
      return 'The download link has expired; open the file again from its page or post';
    return grant;
  }

  /** Stores the bytes of a verified upload (written beside, then renamed: never a torn file). */
  write(key: string, bytes: Uint8Array): void {
    const file = this.pathOf(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, file);
  }

  /**
   * The local stand-in for the S3 lifecycle rule: uploads (never confirmed, or sent again after their
   * confirmation) older than `maxAgeMs` are removed. Returns how many.
   */
  sweepUploads(maxAgeMs: number): number {
    const root = this.pathOf(blobKeys.uploadsPrefix.replace(/\/$/, ''), true);
    if (!fs.existsSync(root)) return 0;
    let removed = 0;
    for (const owner of fs.readdirSync(root)) {
      const folder = path.join(root, owner);
      for (const name of fs.readdirSync(folder)) {
        const file = path.join(folder, name);
        if (this.now() - fs.statSync(file).mtimeMs > maxAgeMs) {
          fs.rmSync(file, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  /** A key's file; a key that is not of the blob key form is refused (no path can leave the folder). */
  pathOf(key: string, prefixOnly = false): string {
    if (!prefixOnly && !BLOB_KEY.test(key)) throw new Error(`Not a blob key: ${key}`);
    const file = path.resolve(this.directory, key);
    if (!file.startsWith(path.resolve(this.directory) + path.sep)) throw new Error(`Not a blob key: ${key}`);
    return file;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }

  private signatureMatches(data: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(data));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
