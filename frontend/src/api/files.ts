/**
 * Files: uploads go straight from the browser to the blob store with the signed form the API grants
 * (never through the API), then are confirmed; links in Markdown (`/files/<space>/<page|post>/<id>/<file>`)
 * are turned into short-lived download links by asking the API, which checks the reader every time.
 */
import { ApiError, api, enc, get } from './client';

export interface Attachment {
  id: string;
  spaceId: string;
  owner: { kind: 'page' | 'post'; id: string };
  name: string;
  size: number;
  contentType: string;
  image: boolean;
  uploadedBy: { id: string; name: string };
  createdAt: string;
  path: string;
  markdown: string;
  downloadUrl: string;
  downloadExpiresAt: string;
  permissions: { delete: boolean };
}

interface UploadGrant {
  uploadId: string;
  upload: { url: string; fields: Record<string, string>; expiresAt: string };
}

/** `/spaces/<s>/pages/<p>` or `/spaces/<s>/posts/<p>`. */
export const ownerPath = (spaceId: string, kind: 'page' | 'post', id: string) =>
  `/spaces/${enc(spaceId)}/${kind}s/${enc(id)}`;

/** The browser's idea of a file's type, mapped to what the API accepts (an empty type is guessed from the name). */
function typeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  const guess: Record<string, string> = {
    md: 'text/plain',
    txt: 'text/plain',
    csv: 'text/csv',
    svg: 'image/svg+xml',
  };
  return guess[ext] ?? 'application/octet-stream';
}

/** POSTs the form with the file, reporting progress (fetch cannot report upload progress; XHR can). */
export function sendForm(
  grant: UploadGrant,
  file: Blob,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.upload.fields)) form.append(name, value);
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', grant.upload.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(
            new ApiError(
              request.status,
              'upload-refused',
              'Upload refused',
              'The file store refused the upload.',
            ),
          );
    request.onerror = () =>
      reject(
        new ApiError(0, 'network', 'Upload failed', 'The file could not be sent; check your connection.'),
      );
    request.send(form);
  });
}

/** Asks, sends and confirms: the attachment, checked by the server (its real type from its bytes). */
export async function uploadAttachment(
  owner: string,
  file: File,
  onProgress?: (fraction: number) => void,
): Promise<Attachment> {
  const grant = await api<UploadGrant>('POST', `${owner}/attachments/uploads`, {
    name: file.name,
    size: file.size,
    contentType: typeOf(file),
  });
  await sendForm(grant, file, onProgress);
  return api<Attachment>('POST', `${owner}/attachments`, { uploadId: grant.uploadId });
}

export const listAttachments = (owner: string, signal?: AbortSignal) =>
  get<{ items: Attachment[] }>(`${owner}/attachments`, signal);

export const deleteAttachment = (owner: string, id: string) =>
  api<void>('DELETE', `${owner}/attachments/${enc(id)}`);

const FILE_PATH = /^\/files\/([^/]+)\/(page|post)\/([^/]+)\/([^/]+)$/;
const links = new Map<string, { url: string; until: number }>();

/** A fresh download link for a `/files/...` path (cached while it has a minute left). */
export async function downloadLink(path: string): Promise<string> {
  const cached = links.get(path);
  if (cached && cached.until > Date.now() + 60_000) return cached.url;
  const match = FILE_PATH.exec(path);
  if (!match) throw new Error(`Not a file link: ${path}`);
  const [, spaceId, kind, ownerId, id] = match.map(decodeURIComponent);
  const attachment = await get<Attachment>(
    `${ownerPath(spaceId, kind as 'page' | 'post', ownerId)}/attachments/${enc(id)}`,
  );
  links.set(path, { url: attachment.downloadUrl, until: Date.parse(attachment.downloadExpiresAt) });
  return attachment.downloadUrl;
}

export const isFilePath = (path: string) => FILE_PATH.test(path);

/** Crops an image to its centred square, 256 px, as PNG (the profile photo). */
export async function squareCrop(file: File, size = 256): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  canvas
    .getContext('2d')
    ?.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, size, size);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('Could not crop the image'))),
      'image/png',
    ),
  );
}

export async function uploadPhoto(photo: Blob): Promise<void> {
  const grant = await api<UploadGrant>('POST', '/me/photo/uploads', {
    size: photo.size,
    contentType: 'image/png',
  });
  await sendForm(grant, photo);
  await api('PUT', '/me/photo', { uploadId: grant.uploadId });
  photos.clear();
}

export const removePhoto = async () => {
  await api<void>('DELETE', '/me/photo');
  photos.clear();
};

const photos = new Map<string, Promise<{ url?: string; until: number }>>();
let pending:
  | {
      ids: Set<string>;
      timer?: ReturnType<typeof setTimeout>;
      waiters: Map<string, (v: { url?: string; until: number }) => void>;
    }
  | undefined;

/** A person's photo link (or none): asked for in batches of the avatars on screen, cached for minutes. */
export function photoOf(userId: string): Promise<string | undefined> {
  const cached = photos.get(userId);
  if (cached) {
    return cached.then((entry) => {
      if (entry.until > Date.now() + 60_000) return entry.url;
      photos.delete(userId);
      return photoOf(userId);
    });
  }
  const promise = new Promise<{ url?: string; until: number }>((resolve) => {
    pending ??= { ids: new Set(), waiters: new Map() };
    pending.ids.add(userId);
    pending.waiters.set(userId, resolve);
    pending.timer ??= setTimeout(() => {
      const batch = pending!;
      pending = undefined;
      const ids = [...batch.ids].slice(0, 50);
      get<{ items: { userId: string; url: string; expiresAt: string }[] }>(
        `/profile-photos?ids=${ids.map(enc).join(',')}`,
      )
        .then(({ items }) => {
          for (const id of batch.ids) {
            const item = items.find((candidate) => candidate.userId === id);
            batch.waiters.get(id)?.({
              url: item?.url,
              until: item ? Date.parse(item.expiresAt) : Date.now() + 120_000,
            });
          }
        })
        .catch(() => {
          for (const id of batch.ids) batch.waiters.get(id)?.({ until: 0 });
        });
    }, 20);
  });
  photos.set(userId, promise);
  return promise.then((entry) => entry.url);
}
