/** A post in a list: title, where and by whom, excerpt, tags and counts. */
import { Link } from 'react-router';
import type { PostSummary } from '../api/types';
import { PersonName } from './People';
import { Time } from './Time';

export function postPath(post: { spaceId: string; id: string }): string {
  return `/spaces/${encodeURIComponent(post.spaceId)}/posts/${encodeURIComponent(post.id)}`;
}

export function spaceLabel(spaceId: string): string {
  return spaceId.startsWith('~') ? `${spaceId.slice(1)}'s blog` : spaceId;
}

export function PostCard({
  post,
  showSpace = true,
  spaceName,
}: {
  post: PostSummary;
  showSpace?: boolean;
  spaceName?: string;
}) {
  const when = post.publishedAt ?? post.updatedAt;
  return (
    <article className="card post-card">
      <h2 className="post-card-title">
        <Link to={post.status === 'draft' ? `${postPath(post)}/edit` : postPath(post)}>{post.title}</Link>
        {post.status === 'draft' && <span className="badge">Draft</span>}
      </h2>
      <p className="meta">
        <PersonName id={post.authorId} name={post.authorName} org={post.authorOrg} />
        {showSpace && (
          <>
            {' in '}
            <Link to={`/spaces/${encodeURIComponent(post.spaceId)}`}>
              {spaceName ?? spaceLabel(post.spaceId)}
            </Link>
          </>
        )}
        {' · '}
        <Time iso={when} />
      </p>
      {post.excerpt && <p className="excerpt">{post.excerpt}</p>}
      <footer className="post-card-footer">
        {post.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {post.tags.map((tag) => (
              <li key={tag}>
                <Link to={`/tags/${encodeURIComponent(tag)}`}>#{tag}</Link>
              </li>
            ))}
          </ul>
        )}
        <span className="counts">
          <span>
            {post.likeCount} {post.likeCount === 1 ? 'like' : 'likes'}
          </span>
          {' · '}
          <span>
            {post.commentCount} {post.commentCount === 1 ? 'comment' : 'comments'}
          </span>
        </span>
      </footer>
    </article>
  );
}
