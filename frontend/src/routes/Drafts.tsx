/** Drafts: posts saved as drafts on the server, and text that never reached the server (this device). */
import { useState } from 'react';
import { Link } from 'react-router';
import { useSpaceNames } from '../api/queries';
import { keys } from '../api/query-keys';
import { spaceLabel } from '../components/PostCard';
import { PostFeed } from '../components/PostFeed';
import { Empty } from '../components/States';
import { formatDate } from '../lib/time';
import { listUnsaved, removeUnsavedKey } from '../lib/unsaved';
import { useTitle } from '../lib/useTitle';

interface UnsavedPost {
  title: string;
  body: string;
}

export default function Drafts() {
  useTitle('Drafts');
  const spaceNames = useSpaceNames();
  const [unsaved, setUnsaved] = useState(() =>
    listUnsaved<UnsavedPost>('post:').filter((entry) => !entry.scope.endsWith(':kept')),
  );
  return (
    <div className="page">
      <h1>Drafts</h1>
      <section aria-labelledby="unsaved-heading">
        <h2 id="unsaved-heading">Unsaved on this device</h2>
        {unsaved.length === 0 ? (
          <Empty title="Nothing unsaved" />
        ) : (
          <ul className="plain-list">
            {unsaved.map((entry) => {
              const [spaceId, postId] = entry.scope.slice('post:'.length).split('/');
              const to =
                postId === 'new'
                  ? `/spaces/${encodeURIComponent(spaceId)}/new`
                  : `/spaces/${encodeURIComponent(spaceId)}/posts/${encodeURIComponent(postId)}/edit`;
              return (
                <li key={entry.key} className="card">
                  <h3>
                    <Link to={to}>{entry.value.title || 'Untitled'}</Link>
                  </h3>
                  <p className="meta">
                    {postId === 'new' ? 'New post' : 'Changes to a post'} in{' '}
                    {spaceNames.get(spaceId) ?? spaceLabel(spaceId)} · {formatDate(entry.savedAt)}
                  </p>
                  <p className="excerpt">{entry.value.body.slice(0, 200)}</p>
                  <button
                    type="button"
                    onClick={() => {
                      removeUnsavedKey(entry.key);
                      setUnsaved(unsaved.filter((other) => other.key !== entry.key));
                    }}
                  >
                    Discard
                    <span className="visually-hidden"> unsaved text “{entry.value.title || 'Untitled'}”</span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {/* Not a section of its own: the feed is already the region named "Saved drafts". */}
      <h2 id="saved-drafts-heading">Saved drafts</h2>
      <PostFeed queryKey={keys.drafts()} path="/me/drafts" label="Saved drafts" empty="No saved drafts" />
    </div>
  );
}
