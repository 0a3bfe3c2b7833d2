/**
 * One link in a bookmark list: its icon (only an image data: URL the metadata fetcher stored), the
 * title as plain text (never HTML: titles and descriptions come from other people's pages), host,
 * description, tags, who saved it, and on my own links a favourite toggle, edit and delete.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useBookmarkLookup } from '../api/bookmarks';
import { type ApiError, api, enc, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Bookmark, PopularBookmark } from '../api/types';
import { Time } from './Time';

/** The stored icon, if it is an image data: URL; anything else (a remote URL, script) is never used. */
export function iconOf(meta: { icon?: string } | undefined): string | undefined {
  const icon = meta?.icon;
  return icon && /^data:image\//i.test(icon) ? icon : undefined;
}

const VISIBILITY: Record<Bookmark['visibility'], string> = {
  private: 'Only you',
  employees: 'All employees',
  space: 'A space',
};

/**
 * Who saved a link. The list already says how many saved it for every employee; the names (what I may
 * see of every save, spaces included) are one lookup, asked for only when the reader opens them, so a
 * list of 50 links costs no 50 extra requests.
 */
export function SavedBy({ url, sharedSaves }: { url: string; sharedSaves?: number }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="saved-by">
      <p className="meta">
        {sharedSaves !== undefined && sharedSaves > 0 && (
          <>
            Saved for everyone by {sharedSaves} {sharedSaves === 1 ? 'person' : 'people'}
            {' · '}
          </>
        )}
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide who saved this' : 'Who saved this?'}
        </button>
      </p>
      {open && <SaverNames url={url} />}
    </div>
  );
}

/** "Saved by 2 people: you, Bob Berg", from the lookup (what I may see of who saved the link). */
function SaverNames({ url }: { url: string }) {
  const lookup = useBookmarkLookup(url);
  if (lookup.isPending) return <p className="meta">Looking…</p>;
  if (lookup.isError) return <p className="meta error-text">Not found out: {lookup.error.message}</p>;
  const { mine, others } = lookup.data;
  const count = others.count + (mine ? 1 : 0);
  if (count === 0) return <p className="meta">Nobody you can see has saved it.</p>;
  const names = [...(mine ? ['you'] : []), ...others.people.map((p) => p.name)];
  return (
    <p className="meta">
      Saved by {count}
      {others.more ? ' or more' : ''} {count === 1 ? 'person' : 'people'}: {names.join(', ')}
    </p>
  );
}

export function BookmarkItem({
  item,
  tagLink,
  onEdit,
  onDone,
}: {
  item: Bookmark | PopularBookmark;
  /** Where a tag on this item leads. */
  tagLink: (tag: string) => string;
  onEdit: (bookmark: Bookmark) => void;
  /** Says what happened (deleted, marked) in the page's live region. */
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const bookmark = 'savedBy' in item ? item : undefined;
  const name = item.title || item.url;
  const icon = iconOf(item.meta);

  const favourite = useMutation<Bookmark, ApiError, boolean>({
    mutationFn: (on) => api<Bookmark>('PUT', `/me/bookmarks/${enc(item.id)}/favourite`, { favourite: on }),
    onSuccess: (saved) => {
      onDone(saved.favourite ? `“${name}” is a favourite.` : `“${name}” is no longer a favourite.`);
      void queryClient.invalidateQueries({ queryKey: keys.bookmarks() });
    },
  });
  const remove = useMutation<void, ApiError>({
    mutationFn: () => api<void>('DELETE', `/me/bookmarks/${enc(item.id)}`),
    onSuccess: () => {
      onDone(`Deleted “${name}”.`);
      void queryClient.invalidateQueries({ queryKey: keys.bookmarks() });
    },
  });
  const failed = favourite.error ?? remove.error;

  return (
    <li className="card bookmark">
      <h3 className="bookmark-title">
        {icon && <img className="bookmark-icon" src={icon} alt="" width={16} height={16} />}
        <a href={item.url} rel="noopener noreferrer nofollow" target="_blank">
          {name}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </h3>
      <p className="meta">
        {item.host}
        {bookmark ? (
          <>
            {' · '}
            {bookmark.mine ? 'saved' : `saved by ${bookmark.savedBy.name}`} <Time iso={bookmark.savedAt} />
            {' · '}
            {bookmark.visibility === 'space' && bookmark.spaceName
              ? `In ${bookmark.spaceName}`
              : VISIBILITY[bookmark.visibility]}
            {bookmark.favourite && ' · Favourite'}
          </>
        ) : (
          <>
            {' · '}
            {(item as PopularBookmark).saveCount} saves in 30 days, last{' '}
            <Time iso={(item as PopularBookmark).lastSavedAt} />
          </>
        )}
      </p>
      {item.description && <p className="bookmark-description">{item.description}</p>}
      {bookmark && bookmark.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {bookmark.tags.map((tag) => (
            <li key={tag}>
              <Link to={tagLink(tag)}>#{tag}</Link>
            </li>
          ))}
        </ul>
      )}
      <SavedBy url={item.url} sharedSaves={'sharedSaves' in item ? item.sharedSaves : undefined} />
      {bookmark?.mine && (
        <div className="actions bookmark-actions">
          <button
            type="button"
            aria-pressed={!!bookmark.favourite}
            disabled={favourite.isPending}
            onClick={() => favourite.mutate(!bookmark.favourite)}
          >
            <span aria-hidden="true">{bookmark.favourite ? '★' : '☆'}</span> Favourite
            <span className="visually-hidden">: {name}</span>
          </button>
          <button type="button" onClick={() => onEdit(bookmark)}>
            Edit<span className="visually-hidden"> {name}</span>
          </button>
          {confirming ? (
            <span className="confirm">
              <span>Delete this link?</span>
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate()}
                // biome-ignore lint/a11y/noAutofocus: the question just asked is where the keyboard should be
                autoFocus
              >
                Yes, delete<span className="visually-hidden"> {name}</span>
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              Delete<span className="visually-hidden"> {name}</span>
            </button>
          )}
        </div>
      )}
      {failed && (
        <p role="alert" className="error-text small">
          Not done: {failed.message}
        </p>
      )}
    </li>
  );
}

/** Search for links with a tag (the company's cloud: there is no company list by tag). */
export const searchTag = (tag: string) => `/search${query({ type: 'bookmark', tag })}`;
