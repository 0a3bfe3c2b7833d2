/**
 * The page the bookmarklet opens: `/save?url=…&title=…`. It says whether I saved the link already
 * (then the form changes my save) and who else did, and offers the form prefilled.
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useBookmarkLookup } from '../api/bookmarks';
import type { Bookmark } from '../api/types';
import { BookmarkForm } from '../components/BookmarkForm';
import { Loading } from '../components/States';
import { Time } from '../components/Time';
import { useTitle } from '../lib/useTitle';

export default function SaveBookmark() {
  const [params] = useSearchParams();
  const url = params.get('url') ?? '';
  const title = params.get('title') ?? '';
  const lookup = useBookmarkLookup(url || undefined);
  const [saved, setSaved] = useState<Bookmark | null>(null);
  useTitle('Save a link');

  const mine = lookup.data?.mine;
  const others = lookup.data?.others;
  // Opened by the bookmarklet (its window has this name): offer to close it when done.
  const popup = typeof window !== 'undefined' && window.name === 'commonplace-save';

  return (
    <div className="page page-narrow">
      <h1>Save a link</h1>
      {url && lookup.isPending ? (
        <Loading label="Checking whether this link is saved" />
      ) : (
        <>
          <div role="status" aria-live="polite">
            {mine && !saved && (
              <p className="notice">
                You already saved this link <Time iso={mine.savedAt} />. Change it below, or{' '}
                <Link to="/bookmarks">go to your bookmarks</Link>.
              </p>
            )}
            {others &&
              !saved &&
              (others.count > 0 ? (
                <p className="meta">
                  Also saved by {others.count}
                  {others.more ? ' or more' : ''} {others.count === 1 ? 'other person' : 'other people'}:{' '}
                  {others.people.map((p) => p.name).join(', ')}
                </p>
              ) : (
                <p className="meta">No one else has saved this link{mine ? '' : ' yet'}.</p>
              ))}
            {saved && (
              <div className="notice">
                <p>Saved “{saved.title || saved.url}”.</p>
                <p>
                  <Link to="/bookmarks">Go to my bookmarks</Link>
                  {popup && (
                    <>
                      {' '}
                      <button type="button" onClick={() => window.close()}>
                        Close this window
                      </button>
                    </>
                  )}
                </p>
              </div>
            )}
          </div>
          {lookup.isError && (
            <p className="notice notice-warning">
              This address cannot be saved as it is: {lookup.error.message}
            </p>
          )}
          {!saved && (
            <BookmarkForm
              key={mine?.id ?? 'new'}
              bookmark={mine}
              url={url}
              title={title}
              onSaved={setSaved}
            />
          )}
        </>
      )}
    </div>
  );
}
