/**
 * The blob store port: where attachment and profile-photo bytes live. The domain never sees the bytes
 * pass through the API — the browser sends them straight to the store with a presigned form and
 * fetches them with a presigned link. Adapters: S3 (functions/blobs/s3-blob-store.ts) and a folder under
 * the local data folder served by the local runtime's own blob server (functions/blobs/local-blob-store.ts).
 */

/** A form the browser POSTs (multipart/form-data: every field, then `file`) to `url`. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface UploadRules {
  /** The only key the form may write. */
  key: string;
  /** The only Content-Type the form may declare. */
  contentType: string;
  /** The exact size in bytes (the form's content-length range is [size, size]). */
  size: number;
  expiresInSeconds: number;
}

export interface DownloadRules {
  key: string;
  /** The name in Content-Disposition. */
  fileName: string;
  contentType: string;
  /** Shown in the browser (images, PDF) or always saved (everything else, SVG included). */
  inline: boolean;
  expiresInSeconds: number;
}

export interface BlobHead {
  size: number;
  /** The first bytes (up to what was asked), for sniffing the real type. */
  start: Uint8Array;
}

export interface BlobStore {
  presignUpload(rules: UploadRules): Promise<PresignedUpload>;
  /** The object's size and first `bytes` bytes; undefined when there is no such object. */
  head(key: string, bytes: number): Promise<BlobHead | undefined>;
  /** Copies an upload to its lasting key with the checked content type, then removes the upload. */
  promote(from: string, to: string, contentType: string): Promise<void>;
  /** Removes an object; removing one that is gone is not an error. */
  delete(key: string): Promise<void>;
  /** A short-lived link that serves the object with the given headers (and nosniff). */
  downloadUrl(rules: DownloadRules): Promise<string>;
}

/** Blob keys: each segment an id (ids never hold `/`), so a key can never leave its prefix. */
export const blobKeys = {
  upload: (owner: string, uploadId: string) => `uploads/${owner}/${uploadId}`,
  attachment: (spaceId: string, attachmentId: string) => `files/${spaceId}/${attachmentId}`,
  photo: (userId: string, photoId: string) => `photos/${userId}/${photoId}`,
  /** The prefix the S3 lifecycle rule (and the local sweep) empties of uploads older than a day. */
  uploadsPrefix: 'uploads/',
} as const;

/** A key as the adapters accept it: 2-4 segments of id characters, no `.` or `..` segment. */
export const BLOB_KEY = /^(?:uploads|files|photos)(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9~._-]{1,64}){2}$/;
