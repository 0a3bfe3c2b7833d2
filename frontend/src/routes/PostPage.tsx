/** A post: its rendered body (sanitized by the server), likes, and comments with one level of replies. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type ApiError, api, enc, get } from '../api/client';
import { ownerPath } from '../api/files';
import { keys } from '../api/query-keys';
import type { Post } from '../api/types';
import { Attachments } from '../components/Attachments';
import { PersonName } from '../components/People';
import { spaceLabel } from '../components/PostCard';
import { ServerHtml } from '../components/ServerHtml';
import { ErrorState, Loading } from '../components/States';
import { WatchButtons } from '../components/SubscribeButtons';
import { Time } from '../components/Time';
import { useTitle } from '../lib/useTitle';
import { Comments } from './Comments';

export default function PostPage() {
  const { spaceId = '', postId = '' } = useParams();
  const path = `/spaces/${enc(spaceId)}/posts/${enc(postId)}`;
  const post = useQuery({
    queryKey: keys.post(spaceId, postId),
    queryFn: ({ signal }) => get<Post>(path, signal),
  });
  useTitle(post.data?.title);
  if (post.isPending) return <Loading label="Loading post" />;
  if (post.isError) return <ErrorState error={post.error} retry={() => void post.refetch()} what="post" />;
  const p = post.data;
  return (
    <div className="page page-narrow">
      <article className="post" aria-labelledby="post-title">
        <header className="post-header">
          <p className="breadcrumb">
            <Link to={`/spaces/${encodeURIComponent(p.spaceId)}`}>{spaceLabel(p.spaceId)}</Link>
          </p>
          <h1 id="post-title">
            {p.title} {p.status === 'draft' && <span className="badge">Draft</span>}
          </h1>
          <p className="meta">
            <PersonName id={p.authorId} name={p.authorName} org={p.authorOrg} /> ·{' '}
            <Time iso={p.publishedAt ?? p.updatedAt} />
            {p.publishedAt && p.updatedAt > p.publishedAt && (
              <>
                {' · edited '}
                <Time iso={p.updatedAt} />
              </>
            )}
          </p>
        </header>
        {/* The server renders Markdown through an allow-list sanitizer; this HTML is inert. */}
        <ServerHtml className="prose post-body" html={p.html} />
        <Attachments owner={ownerPath(p.spaceId, 'post', p.id)} canAttach={p.permissions.edit} />
        {p.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {p.tags.map((tag) => (
              <li key={tag}>
                <Link to={`/tags/${encodeURIComponent(tag)}`}>#{tag}</Link>
              </li>
            ))}
          </ul>
        )}
        <PostActions post={p} />
      </article>
      {p.status === 'published' && <Comments post={p} />}
    </div>
  );
}

function PostActions({ post }: { post: Post }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = keys.post(post.spaceId, post.id);
  const path = `/spaces/${enc(post.spaceId)}/posts/${enc(post.id)}`;
  const [confirming, setConfirming] = useState(false);

  const like = useMutation<{ likeCount: number; likedByMe: boolean }, ApiError, boolean, { previous?: Post }>(
    {
      mutationFn: (liked) => api('PUT', `${path}/like`, { liked }),
      onMutate: async (liked) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData<Post>(key);
        if (previous)
          queryClient.setQueryData<Post>(key, {
            ...previous,
            likedByMe: liked,
            likeCount: previous.likeCount + (liked ? 1 : -1),
          });
        return { previous };
      },
      onError: (_error, _liked, context) =>
        context?.previous && queryClient.setQueryData(key, context.previous),
      onSuccess: (result) =>
        queryClient.setQueryData<Post>(key, (current) => (current ? { ...current, ...result } : current)),
    },
  );
  const remove = useMutation<void, ApiError>({
    mutationFn: () => api('DELETE', path),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: keys.posts(post.spaceId) });
      void queryClient.invalidateQueries({ queryKey: keys.feed() });
      navigate(`/spaces/${encodeURIComponent(post.spaceId)}`);
    },
  });

  return (
    <div className="post-actions">
      {post.status === 'published' && (
        <button
          type="button"
          className="like-button"
          aria-pressed={post.likedByMe}
          disabled={!post.permissions.comment || like.isPending}
          onClick={() => like.mutate(!post.likedByMe)}
        >
          <span aria-hidden="true">{post.likedByMe ? '♥' : '♡'}</span> Like
          <span className="count">
            {' · '}
            {post.likeCount} {post.likeCount === 1 ? 'like' : 'likes'}
          </span>
        </button>
      )}
      {post.status === 'published' && (
        <WatchButtons target={{ kind: 'post', spaceId: post.spaceId, postId: post.id }} name={post.title} />
      )}
      {post.permissions.edit && (
        <Link
          className="button"
          to={`/spaces/${encodeURIComponent(post.spaceId)}/posts/${encodeURIComponent(post.id)}/edit`}
        >
          Edit
        </Link>
      )}
      {post.permissions.delete &&
        (confirming ? (
          <span className="confirm">
            <span>Delete this post for everyone?</span>
            <button
              type="button"
              className="danger"
              onClick={() => remove.mutate()}
              disabled={remove.isPending}
            >
              {remove.isPending ? 'Deleting…' : 'Delete'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete
          </button>
        ))}
      {(like.error ?? remove.error) && (
        <p role="alert" className="error-text">
          {(like.error ?? remove.error)?.message}
        </p>
      )}
    </div>
  );
}
