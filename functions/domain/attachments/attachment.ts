/** An attached file as stored, as shown, and the limits that apply to attaching. */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';

export type AttachmentOwnerKind = 'page' | 'post';

export interface AttachmentOwner {
  kind: AttachmentOwnerKind;
  id: string;
}

export interface Attachment {
  id: string;
  spaceId: string;
  owner: AttachmentOwner;
  name: string;
  size: number;
  contentType: string;
  blobKey: string;
  uploadedBy: string;
  uploadedByName: string;
  uploadedByOrg?: string;
  createdAt: string;
}

/** An upload asked for and not confirmed yet. */
export interface PendingUpload {
  id: string;
  /** Absent for a profile photo. */
  spaceId?: string;
  owner?: AttachmentOwner;
  name: string;
  size: number;
  contentType: string;
  blobKey: string;
  userId: string;
  createdAt: string;
  /** Epoch seconds: TTL removes it, and the cleanup consumer its bytes. */
  expiresAt: number;
}

export interface AttachmentLimits {
  /** Largest file, bytes. */
  maxBytes: number;
  /** All attachments of one space together, bytes. */
  spaceQuotaBytes: number;
  /** Largest profile photo, bytes (the client sends a cropped square, far smaller). */
  photoMaxBytes: number;
  /** How long a presigned upload form may be used. */
  uploadUrlSeconds: number;
  /** How long a download link works. */
  downloadUrlSeconds: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 25 * MiB,
  spaceQuotaBytes: 10 * 1024 * MiB,
  photoMaxBytes: 5 * MiB,
  uploadUrlSeconds: 10 * 60,
  downloadUrlSeconds: 5 * 60,
};

/** An unconfirmed upload is forgotten (item by TTL, bytes by lifecycle rule or local sweep) after this. */
export const UPLOAD_LIFETIME_SECONDS = 24 * 60 * 60;

/** The limits from ATTACHMENT_MAX_BYTES / ATTACHMENT_SPACE_QUOTA_BYTES (set from cdk.json), else the defaults. */
export function attachmentLimitsFrom(env: Record<string, string | undefined>): AttachmentLimits {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    ...DEFAULT_ATTACHMENT_LIMITS,
    maxBytes: number('ATTACHMENT_MAX_BYTES', DEFAULT_ATTACHMENT_LIMITS.maxBytes),
    spaceQuotaBytes: number('ATTACHMENT_SPACE_QUOTA_BYTES', DEFAULT_ATTACHMENT_LIMITS.spaceQuotaBytes),
  };
}

/**
 * The link written into Markdown: stable (no signature, no expiry), so page versions keep pointing at
 * their files and a restore brings the links back. The web client turns it into a fresh download link
 * after the API has checked the reader (functions/domain/content/sanitize.ts lets exactly these through).
 */
export const attachmentPath = (spaceId: string, owner: AttachmentOwner, attachmentId: string) =>
  `/files/${spaceId}/${owner.kind}/${owner.id}/${attachmentId}`;

export function attachmentItem(attachment: Attachment): Item {
  return {
    ...keys.attachment(attachment.spaceId, attachment.owner.kind, attachment.owner.id, attachment.id),
    type: 'attachment',
    ...attachment,
  };
}

export function toAttachment(item: Item): Attachment {
  return {
    id: item.id as string,
    spaceId: item.spaceId as string,
    owner: item.owner as AttachmentOwner,
    name: item.name as string,
    size: item.size as number,
    contentType: item.contentType as string,
    blobKey: item.blobKey as string,
    uploadedBy: item.uploadedBy as string,
    uploadedByName: item.uploadedByName as string,
    ...(item.uploadedByOrg ? { uploadedByOrg: item.uploadedByOrg as string } : {}),
    createdAt: item.createdAt as string,
  };
}

export function uploadItem(partition: string, upload: PendingUpload): Item {
  return { ...keys.upload(partition, upload.id), type: 'upload', ...upload };
}

/** Markdown that shows (images) or links (everything else) an attachment. */
export function attachmentMarkdown(attachment: Attachment, image: boolean): string {
  const label = attachment.name.replace(/([\\[\]])/g, '\\$1');
  const link = attachmentPath(attachment.spaceId, attachment.owner, attachment.id);
  return image ? `![${label}](${link})` : `[${label}](${link})`;
}
