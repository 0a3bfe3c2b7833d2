/**
 * Files of a page or post: the list (name, size, who, when, delete), an Attach button and a drop zone
 * with a progress bar per file; and the profile photo picker (cropped to a square in the browser).
 * Links open through the API (read access checked), from the download origin.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useId, useRef, useState } from 'react';
import { isApiError } from '../api/client';
import {
  type Attachment,
  deleteAttachment,
  listAttachments,
  removePhoto,
  squareCrop,
  uploadAttachment,
  uploadPhoto,
} from '../api/files';
import { Time } from './Time';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Sending {
  key: number;
  name: string;
  progress: number;
  error?: string;
}

let nextKey = 0;

/** Uploads files one after another, with progress; `onDone` gets each attachment made. */
export function useUploads(owner: string, onDone: (attachment: Attachment) => void) {
  const [sending, setSending] = useState<Sending[]>([]);
  const queryClient = useQueryClient();
  async function send(files: File[]) {
    for (const file of files) {
      const key = ++nextKey;
      setSending((all) => [...all, { key, name: file.name, progress: 0 }]);
      const update = (change: Partial<Sending>) =>
        setSending((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));
      try {
        const attachment = await uploadAttachment(owner, file, (progress) => update({ progress }));
        setSending((all) => all.filter((item) => item.key !== key));
        onDone(attachment);
      } catch (error) {
        update({ error: isApiError(error) ? error.message : 'The file could not be attached.' });
      }
    }
    await queryClient.invalidateQueries({ queryKey: ['attachments', owner] });
  }
  return { sending, send };
}

export function SendingList({ sending }: { sending: Sending[] }) {
  if (!sending.length) return null;
  return (
    <ul className="uploads" aria-live="polite">
      {sending.map((item) => (
        <li key={item.key}>
          {item.name}{' '}
          {item.error ? (
            <span className="error" role="alert">
              {item.error}
            </span>
          ) : (
            <progress max={1} value={item.progress} aria-label={`Uploading ${item.name}`} />
          )}
        </li>
      ))}
    </ul>
  );
}

export function Attachments({ owner, canAttach }: { owner: string; canAttach: boolean }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['attachments', owner],
    queryFn: ({ signal }) => listAttachments(owner, signal),
    // The download links in the list last minutes.
    staleTime: 60_000,
    refetchInterval: 4 * 60_000,
  });
  const { sending, send } = useUploads(owner, () => undefined);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (canAttach && event.dataTransfer.files.length) void send([...event.dataTransfer.files]);
  };
  const items = list.data?.items ?? [];
  if (!canAttach && items.length === 0) return null;
  return (
    <section
      className={`attachments${over ? ' attachments-over' : ''}`}
      aria-labelledby={`${id}-title`}
      data-testid="attachments"
      onDragOver={(event) => {
        if (!canAttach) return;
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <h2 id={`${id}-title`}>Files</h2>
      {items.length > 0 && (
        <ul className="attachment-list">
          {items.map((file) => (
            <li key={file.id}>
              <a href={file.downloadUrl} target="_blank" rel="noopener noreferrer">
                {file.name}
              </a>{' '}
              <span className="muted small">
                {formatSize(file.size)} · {file.uploadedBy.name} · <Time iso={file.createdAt} />
              </span>{' '}
              {file.permissions.delete && (
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    if (!window.confirm(`Remove ${file.name}?`)) return;
                    await deleteAttachment(owner, file.id);
                    await queryClient.invalidateQueries({ queryKey: ['attachments', owner] });
                  }}
                >
                  Delete<span className="visually-hidden"> {file.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAttach && (
        <p>
          <input
            ref={input}
            id={`${id}-file`}
            type="file"
            multiple
            hidden
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void send(files);
            }}
          />
          <button type="button" onClick={() => input.current?.click()}>
            Attach files
          </button>{' '}
          <span className="muted small">or drop them here (up to 25 MB each)</span>
        </p>
      )}
      <SendingList sending={sending} />
    </section>
  );
}

export function PhotoPicker({ onChanged }: { onChanged: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  return (
    <p className="photo-picker">
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        hidden
        data-testid="photo-input"
        onChange={async (event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (!file) return;
          setState({ busy: true });
          try {
            await uploadPhoto(await squareCrop(file));
            setState({});
            onChanged();
          } catch (error) {
            setState({ error: isApiError(error) ? error.message : 'That image could not be used.' });
          }
        }}
      />
      <button
        type="button"
        className="link-button"
        disabled={state.busy}
        onClick={() => input.current?.click()}
      >
        {state.busy ? 'Uploading…' : 'Change photo'}
      </button>{' '}
      <button
        type="button"
        className="link-button"
        onClick={async () => {
          await removePhoto();
          onChanged();
        }}
      >
        Remove photo
      </button>
      {state.error && (
        <span className="error" role="alert">
          {state.error}
        </span>
      )}
    </p>
  );
}
