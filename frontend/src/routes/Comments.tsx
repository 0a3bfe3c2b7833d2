/**
 * Comments under a post, oldest first, with one level of replies. Text being written is kept in
 * localStorage until it is saved; an edit conflict keeps the edited text and says what happened.
 */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { type ApiError, api, enc, get, isApiError, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Comment, Page, Post } from '../api/types';
import {
  FieldError,
  LengthMeter,
  lengthIssue,
  requiredIssue,
  SaveError,
  useFieldErrors,
} from '../components/FormErrors';
import { useMentions } from '../components/Mentions';
import { PersonName } from '../components/People';
import { ServerHtml } from '../components/ServerHtml';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { usePersistentText } from '../lib/unsaved';

// The API's limit for a comment (functions/api/schemas.ts).
const COMMENT_LIMIT = 10_000;

export function Comments({ post }: { post: Post }) {
  const path = `/spaces/${enc(post.spaceId)}/posts/${enc(post.id)}/comments`;
  const comments = useInfiniteQuery({
    queryKey: keys.comments(post.spaceId, post.id),
    queryFn: ({ pageParam, signal }) =>
      get<Page<Comment>>(`${path}${query({ limit: 100, cursor: pageParam })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });

  const all = comments.data?.pages.flatMap((page) => page.items) ?? [];
  const { hash } = useLocation();
  const loaded = !!comments.data;

  // A link to one comment (search results use #comment-<id>) scrolls to it once comments are in.
  useEffect(() => {
    if (!loaded || !hash.startsWith('#comment-')) return;
    const target = document.getElementById(hash.slice(1));
    if (!target) return;
    target.classList.add('comment-target');
    target.scrollIntoView({ block: 'center' });
  }, [hash, loaded]);
  const topLevel = all.filter((comment) => !comment.parentId);
  const replies = (id: string) => all.filter((comment) => comment.parentId === id);

  return (
    <section className="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">
        Comments{' '}
        <span className="muted">
          ({comments.data ? all.filter((c) => !c.deleted).length : post.commentCount})
        </span>
      </h2>
      {comments.isPending ? (
        <Loading label="Loading comments" />
      ) : comments.isError ? (
        <ErrorState error={comments.error} retry={() => void comments.refetch()} />
      ) : topLevel.length === 0 ? (
        <Empty title="No comments yet" />
      ) : (
        <ol className="comment-list">
          {topLevel.map((comment) => (
            <li key={comment.id}>
              <CommentItem comment={comment} post={post} canReply={post.permissions.comment} />
              {replies(comment.id).length > 0 && (
                <ol className="comment-list replies" aria-label={`Replies to ${comment.authorName}`}>
                  {replies(comment.id).map((reply) => (
                    <li key={reply.id}>
                      <CommentItem comment={reply} post={post} canReply={false} />
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ol>
      )}
      {comments.hasNextPage && (
        <button
          type="button"
          onClick={() => void comments.fetchNextPage()}
          disabled={comments.isFetchingNextPage}
        >
          More comments
        </button>
      )}
      {post.permissions.comment && <CommentForm post={post} />}
    </section>
  );
}

function useCommentsChanged(post: Post) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: keys.comments(post.spaceId, post.id) });
    void queryClient.invalidateQueries({ queryKey: keys.post(post.spaceId, post.id) });
  };
}

function CommentItem({ comment, post, canReply }: { comment: Comment; post: Post; canReply: boolean }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'reply'>('view');
  const [confirming, setConfirming] = useState(false);
  const changed = useCommentsChanged(post);
  const remove = useMutation<void, ApiError>({
    mutationFn: () =>
      api('DELETE', `/spaces/${enc(post.spaceId)}/posts/${enc(post.id)}/comments/${enc(comment.id)}`),
    onSuccess: changed,
  });

  if (comment.deleted) {
    return (
      <article className="comment comment-deleted" id={`comment-${comment.id}`}>
        <p className="muted">This comment was deleted.</p>
      </article>
    );
  }
  return (
    <article className="comment" id={`comment-${comment.id}`} aria-label={`Comment by ${comment.authorName}`}>
      <p className="meta">
        <PersonName id={comment.authorId} name={comment.authorName} org={comment.authorOrg} /> ·{' '}
        <Time iso={comment.createdAt} />
        {comment.updatedAt > comment.createdAt && <span className="muted"> · edited</span>}
      </p>
      {mode === 'edit' ? (
        <EditComment comment={comment} post={post} done={() => setMode('view')} />
      ) : (
        <ServerHtml className="prose comment-body" html={comment.html} />
      )}
      {mode !== 'edit' && (
        <div className="comment-actions">
          {canReply && (
            <button
              type="button"
              className="link-button"
              aria-expanded={mode === 'reply'}
              onClick={() => setMode(mode === 'reply' ? 'view' : 'reply')}
            >
              Reply<span className="visually-hidden"> to {comment.authorName}</span>
            </button>
          )}
          {comment.permissions.edit && (
            <button type="button" className="link-button" onClick={() => setMode('edit')}>
              Edit<span className="visually-hidden"> your comment</span>
            </button>
          )}
          {comment.permissions.delete &&
            (confirming ? (
              <>
                <button
                  type="button"
                  className="link-button danger"
                  onClick={() => remove.mutate()}
                  disabled={remove.isPending}
                >
                  Confirm delete
                </button>
                <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" className="link-button" onClick={() => setConfirming(true)}>
                Delete<span className="visually-hidden"> comment by {comment.authorName}</span>
              </button>
            ))}
        </div>
      )}
      {remove.isError && (
        <p role="alert" className="error-text small">
          {remove.error.message}
        </p>
      )}
      {mode === 'reply' && <CommentForm post={post} parent={comment} done={() => setMode('view')} />}
    </article>
  );
}

function CommentForm({ post, parent, done }: { post: Post; parent?: Comment; done?: () => void }) {
  const id = useId();
  const focusOnMount = !!parent;
  const focusRef = useFocusOnMount();
  const scope = `comment:${post.spaceId}/${post.id}${parent ? `/${parent.id}` : ''}`;
  const [text, setText, reset] = usePersistentText(scope);
  const mentions = useMentions(post.spaceId, text, setText, focusOnMount ? focusRef : undefined);
  const changed = useCommentsChanged(post);
  const add = useMutation<Comment, ApiError>({
    mutationFn: () =>
      api('POST', `/spaces/${enc(post.spaceId)}/posts/${enc(post.id)}/comments`, {
        body: text,
        ...(parent ? { parentId: parent.id } : {}),
      }),
    onSuccess: () => {
      reset();
      changed();
      done?.();
    },
  });
  const label = parent ? `Reply to ${parent.authorName}` : 'Add a comment';
  const ids = { body: `${id}-body` };
  const errors = useFieldErrors(ids, add.error);
  return (
    <form
      className="comment-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!add.isPending && errors.check(lengthIssue('body', 'comment', text, COMMENT_LIMIT))) add.mutate();
      }}
    >
      <label htmlFor={`${id}-body`}>{label}</label>
      <textarea
        id={`${id}-body`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          errors.changed('body');
        }}
        rows={parent ? 2 : 3}
        aria-required="true"
        {...errors.describe('body', text.length >= COMMENT_LIMIT * 0.9 && `${id}-size`)}
        {...mentions.props}
      />
      {mentions.popup}
      <LengthMeter id={`${id}-size`} value={text} limit={COMMENT_LIMIT} />
      <FieldError errors={errors} field="body" id={ids.body} />
      <SaveError error={add.error} errors={errors} ids={ids} verb="sent" kept="Your text is kept here." />
      <div className="actions">
        <button type="submit" className="primary" disabled={add.isPending || !text.trim()}>
          {add.isPending ? 'Sending…' : parent ? 'Reply' : 'Comment'}
        </button>
        {done && (
          <button type="button" onClick={done}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function EditComment({ comment, post, done }: { comment: Comment; post: Post; done: () => void }) {
  const id = useId();
  const focusRef = useFocusOnMount();
  const [text, setText, reset] = usePersistentText(
    `comment-edit:${post.spaceId}/${post.id}/${comment.id}`,
    comment.body,
  );
  const mentions = useMentions(post.spaceId, text, setText, focusRef);
  const changed = useCommentsChanged(post);
  const save = useMutation<Comment, ApiError>({
    mutationFn: () =>
      api('PUT', `/spaces/${enc(post.spaceId)}/posts/${enc(post.id)}/comments/${enc(comment.id)}`, {
        body: text,
        version: comment.version,
      }),
    onSuccess: () => {
      reset();
      changed();
      done();
    },
  });
  const conflict = isApiError(save.error, 'edit-conflict');
  const ids = { body: `${id}-body` };
  const errors = useFieldErrors(ids, conflict ? null : save.error);
  return (
    <form
      className="comment-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (save.isPending) return;
        const issues = [
          ...requiredIssue('body', 'comment', text),
          ...lengthIssue('body', 'comment', text, COMMENT_LIMIT),
        ];
        if (errors.check(issues)) save.mutate();
      }}
    >
      <label htmlFor={`${id}-body`}>Edit your comment</label>
      <textarea
        id={`${id}-body`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          errors.changed('body');
        }}
        rows={3}
        aria-required="true"
        {...errors.describe('body', text.length >= COMMENT_LIMIT * 0.9 && `${id}-size`)}
        {...mentions.props}
      />
      {mentions.popup}
      <LengthMeter id={`${id}-size`} value={text} limit={COMMENT_LIMIT} />
      <FieldError errors={errors} field="body" id={ids.body} />
      {conflict ? (
        <p role="alert" className="error-text small">
          This comment was changed somewhere else since you opened it, so your edit was not saved. Your text
          is kept here: copy it, then reload the page to see the latest version.
        </p>
      ) : (
        <SaveError error={save.error} errors={errors} ids={ids} kept="Your text is kept here." />
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          onClick={() => {
            reset();
            done();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Focus for a field the person just asked for (Reply, Edit), without the autoFocus attribute. */
function useFocusOnMount() {
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
