/**
 * Attachments on wiki pages and blog posts, and profile photos. The bytes never pass through the API:
 *
 * 1. `requestUpload` checks that the caller may edit the page or post, the name, the declared type and
 *    size, the space's quota, records a pending upload (gone after a day by TTL) and answers a presigned
 *    form for exactly one key, one content type and exactly the declared size, valid for minutes;
 * 2. the browser sends the file to the blob store with that form;
 * 3. `confirm` reads the first bytes of what arrived, refuses a file whose bytes are not what it was
 *    declared to be (a `.png` that is HTML), moves it to its lasting key and, in one transaction,
 *    records the attachment, removes the pending upload and counts the bytes against the quota.
 *
 * Reading an attachment is allowed to whoever may read its page or post, checked on every request
 * (one BatchGetItem: space, membership, owner, file); only then is a download link minted, which works
 * for minutes. Deleting needs the right to edit the owner, or to manage the space.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import type { DomainContext } from '../context';
import { Conflict, DomainError, Forbidden, InvalidInput, NotFound } from '../errors';
import type { Principal } from '../principal';
import { canContribute, canManage, canSeePerson, visibleAuthor } from '../spaces/space-access';
import { personalSpaceId, type SpaceService } from '../spaces/space-service';
import {
  type Attachment,
  type AttachmentLimits,
  type AttachmentOwner,
  attachmentItem,
  attachmentMarkdown,
  attachmentPath,
  type PendingUpload,
  toAttachment,
  UPLOAD_LIFETIME_SECONDS,
  uploadItem,
} from './attachment';
import { type BlobStore, blobKeys, type PresignedUpload } from './blob-store';
import { fileNameProblem } from './file-name';
import { ALLOWED_TYPES, contentProblem, declaredTypeProblem, PHOTO_TYPES, SNIFF_BYTES } from './file-type';

export interface UploadRequest {
  name: string;
  size: number;
  contentType: string;
}

export interface UploadGrant {
  uploadId: string;
  /** POST the file here as multipart/form-data: every field, then `file`. */
  upload: PresignedUpload;
  maxBytes: number;
}

export interface AttachmentView {
  id: string;
  spaceId: string;
  owner: AttachmentOwner;
  name: string;
  size: number;
  contentType: string;
  image: boolean;
  uploadedBy: { id: string; name: string };
  createdAt: string;
  /** The stable link to put in Markdown (the client resolves it through this API). */
  path: string;
  markdown: string;
  /** Works for `downloadUrlSeconds`, for whoever holds it: fetch a new one each time. */
  downloadUrl: string;
  downloadExpiresAt: string;
  permissions: { delete: boolean };
}

export class FileTooLarge extends DomainError {
  constructor(size: number, max: number) {
    super(
      413,
      'file-too-large',
      'File too large',
      `The file is ${size} bytes; at most ${max} bytes may be attached`,
      {
        errors: [
          { field: 'json.size', message: `at most ${max}`, detail: `Files are limited to ${max} bytes.` },
        ],
      },
    );
  }
}

export class WrongFileType extends DomainError {
  constructor(detail: string) {
    super(422, 'file-type-mismatch', 'File content does not match its type', detail);
  }
}

export class AttachmentService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
    private readonly blobs: BlobStore,
    private readonly limits: AttachmentLimits,
  ) {}

  async requestUpload(
    principal: Principal,
    spaceId: string,
    owner: AttachmentOwner,
    request: UploadRequest,
  ): Promise<UploadGrant> {
    checkDeclared(request, this.limits.maxBytes);
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      ownerKey(spaceId, owner),
      keys.attachmentUsage(spaceId),
    ]);
    const target = this.ownerAccess(principal, loaded, owner, loaded.extras[0]);
    if (!target.edit) throw new Forbidden(editRule(owner));
    const used = (loaded.extras[1]?.bytes as number | undefined) ?? 0;
    if (used + request.size > this.limits.spaceQuotaBytes)
      throw quotaExceeded(used, this.limits.spaceQuotaBytes);
    return this.grant(principal, keys.space(spaceId).PK, spaceId, { ...request, spaceId, owner });
  }

  async confirm(
    principal: Principal,
    spaceId: string,
    owner: AttachmentOwner,
    uploadId: string,
  ): Promise<AttachmentView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      ownerKey(spaceId, owner),
      keys.upload(keys.space(spaceId).PK, uploadId),
    ]);
    const target = this.ownerAccess(principal, loaded, owner, loaded.extras[0]);
    if (!target.edit) throw new Forbidden(editRule(owner));
    const upload = this.pending(principal, loaded.extras[1]);
    if (upload.owner?.kind !== owner.kind || upload.owner.id !== owner.id)
      throw new Conflict(
        `This upload was asked for the ${upload.owner?.kind} "${upload.owner?.id}", not this ${owner.kind}; ask for a new one here`,
        [{ field: 'json.uploadId', message: 'belongs to another page or post' }],
      );
    const contentType = await this.checkArrived(upload);
    const attachment: Attachment = {
      id: upload.id,
      spaceId,
      owner,
      name: upload.name,
      size: upload.size,
      contentType,
      blobKey: blobKeys.attachment(spaceId, upload.id),
      uploadedBy: principal.userId,
      uploadedByName: principal.name,
      ...(principal.org ? { uploadedByOrg: principal.org } : {}),
      createdAt: this.ctx.clock.now().toISOString(),
    };
    await this.blobs.promote(upload.blobKey, attachment.blobKey, contentType);
    try {
      await this.ctx.table.transact([
        { Put: { Item: attachmentItem(attachment), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Delete: {
            Key: keys.upload(keys.space(spaceId).PK, upload.id),
            ConditionExpression: 'attribute_exists(PK)',
          },
        },
        usageChange(spaceId, upload.size, this.limits.spaceQuotaBytes),
      ]);
    } catch (error) {
      // Nothing recorded: the copied bytes go too, so nothing is stored that is not attached.
      await this.blobs.delete(attachment.blobKey);
      if (error instanceof TransactionFailed && error.failedAt(2))
        throw quotaExceeded(undefined, this.limits.spaceQuotaBytes);
      if (error instanceof TransactionFailed) throw new NotFound('Upload');
      throw error;
    }
    return this.view(principal, attachment, { delete: true });
  }

  /** The attachments of a page or post, oldest first, each with a fresh download link (2 requests). */
  async list(
    principal: Principal,
    spaceId: string,
    owner: AttachmentOwner,
  ): Promise<{ items: AttachmentView[] }> {
    const [loaded, page] = await Promise.all([
      this.spaces.loadReadable(principal, spaceId, [ownerKey(spaceId, owner)]),
      this.ctx.table.query({
        partition: keys.space(spaceId).PK,
        beginsWith: keys.attachmentPrefix(owner.kind, owner.id),
        limit: 200,
      }),
    ]);
    const access = this.ownerAccess(principal, loaded, owner, loaded.extras[0]);
    const items = await Promise.all(
      page.items.map((item) => {
        const attachment = toAttachment(item);
        return this.view(principal, attachment, {
          delete: access.manage || attachment.uploadedBy === principal.userId,
        });
      }),
    );
    return { items };
  }

  /** One attachment with a fresh download link: space, membership, owner and file in one BatchGetItem. */
  async get(
    principal: Principal,
    spaceId: string,
    owner: AttachmentOwner,
    attachmentId: string,
  ): Promise<AttachmentView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      ownerKey(spaceId, owner),
      keys.attachment(spaceId, owner.kind, owner.id, attachmentId),
    ]);
    const access = this.ownerAccess(principal, loaded, owner, loaded.extras[0]);
    if (!loaded.extras[1]) throw new NotFound('Attachment');
    const attachment = toAttachment(loaded.extras[1]);
    return this.view(principal, attachment, {
      delete: access.manage || attachment.uploadedBy === principal.userId,
    });
  }

  async delete(
    principal: Principal,
    spaceId: string,
    owner: AttachmentOwner,
    attachmentId: string,
  ): Promise<void> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      ownerKey(spaceId, owner),
      keys.attachment(spaceId, owner.kind, owner.id, attachmentId),
    ]);
    const access = this.ownerAccess(principal, loaded, owner, loaded.extras[0]);
    if (!loaded.extras[1]) throw new NotFound('Attachment');
    const attachment = toAttachment(loaded.extras[1]);
    if (!access.manage && attachment.uploadedBy !== principal.userId)
      throw new Forbidden(
        `Only who may ${owner.kind === 'page' ? 'edit the page' : 'edit or moderate the post'} can remove its files`,
      );
    await removeAttachment(this.ctx, attachment);
  }

  /** A profile photo upload: an image the caller's client has cropped to a square. */
  async requestPhotoUpload(principal: Principal, request: Omit<UploadRequest, 'name'>): Promise<UploadGrant> {
    if (!(PHOTO_TYPES as readonly string[]).includes(request.contentType))
      throw new InvalidInput(`A profile photo is ${PHOTO_TYPES.join(', ')}`, [
        { field: 'json.contentType', message: `one of ${PHOTO_TYPES.join(', ')}` },
      ]);
    if (request.size > this.limits.photoMaxBytes)
      throw new FileTooLarge(request.size, this.limits.photoMaxBytes);
    const extension = ALLOWED_TYPES[request.contentType].extensions[0];
    return this.grant(principal, keys.profile(principal.userId).PK, personalSpaceId(principal.userId), {
      ...request,
      name: `photo.${extension}`,
    });
  }

  /** Makes a confirmed upload the caller's photo; the previous photo's bytes go (cleanup consumer). */
  async confirmPhoto(
    principal: Principal,
    uploadId: string,
  ): Promise<{ userId: string; url: string; expiresAt: string }> {
    const partition = keys.profile(principal.userId).PK;
    const upload = this.pending(principal, await this.ctx.table.get(keys.upload(partition, uploadId)));
    if (upload.owner || upload.spaceId) throw new NotFound('Upload');
    const contentType = await this.checkArrived(upload);
    const photo = { id: upload.id, blobKey: blobKeys.photo(principal.userId, upload.id), contentType };
    await this.blobs.promote(upload.blobKey, photo.blobKey, contentType);
    try {
      await this.ctx.table.transact([
        {
          Update: {
            Key: keys.profile(principal.userId),
            UpdateExpression: 'SET photo = :photo',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: {
              ':photo': { ...photo, updatedAt: this.ctx.clock.now().toISOString() },
            },
          },
        },
        { Delete: { Key: keys.upload(partition, upload.id), ConditionExpression: 'attribute_exists(PK)' } },
      ]);
    } catch (error) {
      await this.blobs.delete(photo.blobKey);
      if (error instanceof TransactionFailed) throw new NotFound('Upload');
      throw error;
    }
    return { userId: principal.userId, ...(await this.photoLink(photo)) };
  }

  async deletePhoto(principal: Principal): Promise<void> {
    await this.ctx.table.update({
      Key: keys.profile(principal.userId),
      UpdateExpression: 'REMOVE photo',
      ConditionExpression: 'attribute_exists(PK)',
    });
  }

  /**
   * Photo links of the given people, for those the caller may see who have a photo (one BatchGetItem).
   * A partner gets none of another organisation's people: they are absent, as from every other list.
   */
  async photos(
    principal: Principal,
    userIds: string[],
  ): Promise<{ items: { userId: string; url: string; expiresAt: string }[] }> {
    const unique = [...new Set(userIds)];
    const profiles = await this.ctx.table.getMany(unique.map((id) => keys.profile(id)));
    const items = [];
    for (const profile of profiles) {
      if (!profile?.photo || !canSeePerson(principal, { org: profile.org as string | undefined })) continue;
      const photo = profile.photo as { blobKey: string; contentType: string };
      items.push({ userId: profile.userId as string, ...(await this.photoLink(photo)) });
    }
    return { items };
  }

  private async photoLink(photo: { blobKey: string; contentType: string }) {
    const expiresAt = this.expiry(this.limits.downloadUrlSeconds);
    const url = await this.blobs.downloadUrl({
      key: photo.blobKey,
      fileName: `photo.${ALLOWED_TYPES[photo.contentType]?.extensions[0] ?? 'png'}`,
      contentType: photo.contentType,
      inline: true,
      expiresInSeconds: this.limits.downloadUrlSeconds,
    });
    return { url, expiresAt };
  }

  private async grant(
    principal: Principal,
    partition: string,
    blobOwner: string,
    request: UploadRequest & { spaceId?: string; owner?: AttachmentOwner },
  ): Promise<UploadGrant> {
    const id = this.ctx.ids.next();
    const now = this.ctx.clock.now();
    const upload: PendingUpload = {
      id,
      ...(request.spaceId && request.owner ? { spaceId: request.spaceId, owner: request.owner } : {}),
      name: request.name,
      size: request.size,
      contentType: request.contentType,
      blobKey: blobKeys.upload(blobOwner, id),
      userId: principal.userId,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + UPLOAD_LIFETIME_SECONDS,
    };
    await this.ctx.table.put(uploadItem(partition, upload), { expression: 'attribute_not_exists(PK)' });
    const form = await this.blobs.presignUpload({
      key: upload.blobKey,
      contentType: upload.contentType,
      size: upload.size,
      expiresInSeconds: this.limits.uploadUrlSeconds,
    });
    return { uploadId: id, upload: form, maxBytes: this.limits.maxBytes };
  }

  /** The caller's own pending upload (another person's is refused; an expired or unknown one is 404). */
  private pending(principal: Principal, item: Item | undefined): PendingUpload {
    if (!item)
      throw new NotFound('Upload (it may have expired: uploads not confirmed within a day are removed)');
    const upload = item as unknown as PendingUpload;
    if (upload.userId !== principal.userId)
      throw new Forbidden('Only who asked for an upload can confirm it');
    return upload;
  }

  /** The bytes that arrived for an upload, checked: present, the declared size, the declared type. */
  private async checkArrived(upload: PendingUpload): Promise<string> {
    const head = await this.blobs.head(upload.blobKey, SNIFF_BYTES);
    if (!head)
      throw new Conflict('Nothing has been uploaded for this upload yet: send the file with the form first');
    const problem =
      head.size !== upload.size
        ? `The upload holds ${head.size} bytes, not the ${upload.size} declared`
        : contentProblem(upload.contentType, head.start);
    if (problem) {
      // Refused bytes are not kept, and the upload cannot be confirmed again.
      await this.blobs.delete(upload.blobKey);
      await this.ctx.table.delete({
        PK: (upload as unknown as Item).PK as string,
        SK: (upload as unknown as Item).SK as string,
      });
      throw new WrongFileType(problem);
    }
    return upload.contentType;
  }

  private ownerAccess(
    principal: Principal,
    loaded: Awaited<ReturnType<SpaceService['loadReadable']>>,
    owner: AttachmentOwner,
    item: Item | undefined,
  ): { edit: boolean; manage: boolean } {
    const manager = canManage(principal, loaded.space, loaded.membership);
    if (owner.kind === 'page') {
      if (!item || item.deleting) throw new NotFound('Page');
      const edit = canContribute(principal, loaded.space, loaded.membership);
      return { edit, manage: edit || manager };
    }
    if (!item) throw new NotFound('Post');
    const author = item.authorId === principal.userId;
    if (item.status !== 'published' && !author) throw new NotFound('Post');
    return { edit: author, manage: author || manager };
  }

  private async view(
    principal: Principal,
    attachment: Attachment,
    permissions: { delete: boolean },
  ): Promise<AttachmentView> {
    const type = ALLOWED_TYPES[attachment.contentType];
    const uploader = visibleAuthor(principal, {
      authorId: attachment.uploadedBy,
      authorName: attachment.uploadedByName,
      authorOrg: attachment.uploadedByOrg,
    });
    const downloadUrl = await this.blobs.downloadUrl({
      key: attachment.blobKey,
      fileName: attachment.name,
      contentType: attachment.contentType,
      inline: type?.inline ?? false,
      expiresInSeconds: this.limits.downloadUrlSeconds,
    });
    return {
      id: attachment.id,
      spaceId: attachment.spaceId,
      owner: attachment.owner,
      name: attachment.name,
      size: attachment.size,
      contentType: attachment.contentType,
      image: type?.image ?? false,
      uploadedBy: { id: uploader.authorId!, name: uploader.authorName! },
      createdAt: attachment.createdAt,
      path: attachmentPath(attachment.spaceId, attachment.owner, attachment.id),
      markdown: attachmentMarkdown(attachment, type?.image ?? false),
      downloadUrl,
      downloadExpiresAt: this.expiry(this.limits.downloadUrlSeconds),
      permissions,
    };
  }

  private expiry(seconds: number) {
    return new Date(this.ctx.clock.now().getTime() + seconds * 1000).toISOString();
  }
}

/**
 * Removes an attachment record and gives its bytes back to the quota, in one transaction (a second
 * removal finds nothing and changes nothing). The bytes themselves go when the cleanup consumer sees the
 * record's REMOVE. Used by the API and by the cleanup of a deleted page or post.
 */
export async function removeAttachment(
  ctx: Pick<DomainContext, 'table'>,
  attachment: Attachment,
): Promise<boolean> {
  try {
    await ctx.table.transact([
      {
        Delete: {
          Key: keys.attachment(attachment.spaceId, attachment.owner.kind, attachment.owner.id, attachment.id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      {
        Update: {
          Key: keys.attachmentUsage(attachment.spaceId),
          UpdateExpression: 'ADD #bytes :minus, #count :minusOne',
          ExpressionAttributeNames: { '#bytes': 'bytes', '#count': 'count' },
          ExpressionAttributeValues: { ':minus': -attachment.size, ':minusOne': -1 },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionFailed) return false;
    throw error;
  }
}

function ownerKey(spaceId: string, owner: AttachmentOwner) {
  return owner.kind === 'page' ? keys.page(spaceId, owner.id) : keys.post(spaceId, owner.id);
}

function editRule(owner: AttachmentOwner) {
  return owner.kind === 'page'
    ? 'You need to be an editor or owner of this space to attach files to its pages'
    : "Only a post's author can attach files to it";
}

function checkDeclared(request: UploadRequest, maxBytes: number) {
  const nameProblem = fileNameProblem(request.name);
  if (nameProblem)
    throw new InvalidInput(nameProblem, [{ field: 'json.name', message: 'not a valid file name' }]);
  const typeProblem = declaredTypeProblem(request.name, request.contentType);
  if (typeProblem)
    throw new InvalidInput(typeProblem, [{ field: 'json.contentType', message: 'not allowed' }]);
  if (request.size > maxBytes) throw new FileTooLarge(request.size, maxBytes);
}

function usageChange(spaceId: string, size: number, quota: number): TransactItem {
  return {
    Update: {
      Key: keys.attachmentUsage(spaceId),
      UpdateExpression: 'SET #type = :type ADD #bytes :size, #count :one',
      ConditionExpression: 'attribute_not_exists(#bytes) OR #bytes <= :room',
      ExpressionAttributeNames: { '#bytes': 'bytes', '#count': 'count', '#type': 'type' },
      ExpressionAttributeValues: {
        ':size': size,
        ':one': 1,
        ':room': quota - size,
        ':type': 'attachmentUsage',
      },
    },
  };
}

function quotaExceeded(used: number | undefined, quota: number) {
  return new Conflict(
    `This space has used ${used ?? 'all'}${used === undefined ? '' : ' bytes'} of its ${quota}-byte quota for files; remove some first`,
    [{ field: 'json.size', message: 'over the space quota' }],
  );
}
