/** A home-feed card: a post published, a page edited (edits close together shown once) or a comment for you. */
import { Link } from 'react-router';
import type { FeedItem } from '../api/types';
import { PersonName } from './People';
import { Time } from './Time';

const VERB = { post: 'posted', page: 'edited', comment: 'commented on' } as const;

export function FeedCard({ item }: { item: FeedItem }) {
  const person = <PersonName id={item.authorId} name={item.authorName} org={item.authorOrg} />;
  const space = (
    <Link to={`/spaces/${encodeURIComponent(item.spaceId)}`}>{item.spaceName || item.spaceId}</Link>
  );
  return (
    <article className={`card post-card feed-card feed-${item.kind}`}>
      <h2 className="post-card-title">
        {/* A comment's card leads with what was said, so its post's title is not a second link to it. */}
        <Link to={item.link}>{item.kind === 'comment' ? quote(item.excerpt) : item.title}</Link>
        {item.kind === 'page' && <span className="badge">Wiki</span>}
      </h2>
      <p className="meta">
        {person} {VERB[item.kind]}
        {item.kind === 'comment' && <> “{item.title}”</>}
        {item.kind === 'page' && item.edits > 1 && <> ({item.edits} times)</>}
        {' in '}
        {space}
        {' · '}
        <Time iso={item.at} />
      </p>
      {item.kind !== 'comment' && item.excerpt && <p className="excerpt">{item.excerpt}</p>}
      {item.tags.length > 0 && (
        <footer className="post-card-footer">
          <ul className="tags" aria-label="Tags">
            {item.tags.map((tag) => (
              <li key={tag}>
                <Link to={`/tags/${encodeURIComponent(tag)}`}>#{tag}</Link>
              </li>
            ))}
          </ul>
        </footer>
      )}
    </article>
  );
}

function quote(text: string): string {
  const short = text.length > 140 ? `${text.slice(0, 139)}…` : text;
  return `“${short}”`;
}
