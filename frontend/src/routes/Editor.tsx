/**
 * The Markdown editor (its own chunk: it carries the Markdown renderer). The live preview runs the
 * server's own renderMarkdown, so what you see is what the server will store.
 *
 * Nothing typed is lost: every change is mirrored to localStorage (per tab) until the server has it;
 * a failed save leaves the text in place; an edit conflict (409) keeps the text, says so plainly, and
 * offers to copy it or to load the latest version while still showing what you wrote.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { type ApiError, api, enc, get, isApiError } from '../api/client';
import { ownerPath } from '../api/files';
import { useSpace } from '../api/queries';
import { keys } from '../api/query-keys';
import type { Post } from '../api/types';
import { AudiencePreview, MinorEditCheckbox } from '../components/AudiencePreview';
import { DraftNotices } from '../components/DraftNotices';
import { MarkdownBodyField, TitleField } from '../components/EditorFields';
import { FieldError, lengthIssue, requiredIssue, SaveError, useFieldErrors } from '../components/FormErrors';
import { spaceLabel } from '../components/PostCard';
import { ErrorState, Loading } from '../components/States';
import { parseTags } from '../lib/tags';
import { clearUnsaved, writeUnsaved } from '../lib/unsaved';
import { useDraft } from '../lib/useDraft';
import { useTitle } from '../lib/useTitle';

interface Fields {
  title: string;
  body: string;
  tags: string;
}

const EMPTY: Fields = { title: '', body: '', tags: '' };
// The API's limits (functions/api/schemas.ts), checked here so that nothing is cut or sent in vain.
const TITLE_LIMIT = 200;
const BODY_LIMIT = 100_000;

const fieldsOf = (post: Post): Fields => ({ title: post.title, body: post.body, tags: post.tags.join(', ') });
const same = (a: Fields, b: Fields) =>
  a.title === b.title && a.body === b.body && parseTags(a.tags).join() === parseTags(b.tags).join();

export default function Editor() {
  const { spaceId = '', postId } = useParams();
  const space = useSpace(spaceId);
  // Always the latest version from the server: the version edited is the one a save is checked against.
  const existing = useQuery({
    queryKey: keys.postEdit(spaceId, postId),
    queryFn: ({ signal }) => get<Post>(`/spaces/${enc(spaceId)}/posts/${enc(postId ?? '')}`, signal),
    enabled: !!postId,
    staleTime: 0,
    gcTime: 0,
  });
  useTitle(postId ? `Edit ${existing.data?.title ?? 'post'}` : 'New post');

  if (space.isError) return <ErrorState error={space.error} what="space" />;
  if (postId && existing.isError)
    return <ErrorState error={existing.error} retry={() => void existing.refetch()} what="post" />;
  if (space.isPending || (postId && existing.isPending)) return <Loading label="Opening the editor" />;
  if (existing.data && !existing.data.permissions.edit)
    return <ErrorState error={new Error('Only the author can edit this post.')} />;
  if (!postId && !space.data.permissions.contribute) {
    return (
      <ErrorState error={new Error('You need to be an editor or owner of this space to write posts here.')} />
    );
  }
  return (
    <EditorForm
      key={`${spaceId}/${postId ?? 'new'}`}
      spaceId={spaceId}
      spaceName={space.data.name}
      post={existing.data}
    />
  );
}

function EditorForm({ spaceId, spaceName, post }: { spaceId: string; spaceName: string; post?: Post }) {
  const id = useId();
  const navigate = useNavigate();
  const justSaved = (useLocation().state as { saved?: boolean } | null)?.saved === true;
  const queryClient = useQueryClient();
  const scope = `post:${spaceId}/${post?.id ?? 'new'}`;
  const baseline = useMemo(() => (post ? fieldsOf(post) : EMPTY), [post]);

  const draft = useDraft({ scope, baseline, serverVersion: post?.version, same });
  const { fields, setFields, baseVersion, setBaseVersion, dirty } = draft;
  const [kept, setKept] = useState<Fields>();
  const [copied, setCopied] = useState(false);
  const [minorEdit, setMinorEdit] = useState(false);
  const canBeMinor = post?.status === 'published';

  const save = useMutation<Post, ApiError, 'draft' | 'published'>({
    mutationFn: (status) => {
      const input = { title: fields.title, body: fields.body, tags: parseTags(fields.tags), status };
      return post
        ? api<Post>('PUT', `/spaces/${enc(spaceId)}/posts/${enc(post.id)}`, {
            ...input,
            version: baseVersion,
            ...(canBeMinor && minorEdit ? { minorEdit: true } : {}),
          })
        : api<Post>('POST', `/spaces/${enc(spaceId)}/posts`, input);
    },
    onSuccess: (saved) => {
      draft.saved();
      queryClient.setQueryData(keys.post(saved.spaceId, saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: keys.posts(saved.spaceId) });
      void queryClient.invalidateQueries({ queryKey: keys.feed() });
      void queryClient.invalidateQueries({ queryKey: keys.drafts() });
      const postPath = `/spaces/${encodeURIComponent(saved.spaceId)}/posts/${encodeURIComponent(saved.id)}`;
      navigate(saved.status === 'published' ? postPath : `${postPath}/edit`, {
        replace: true,
        state: { saved: true },
      });
    },
  });
  const conflict = isApiError(save.error, 'edit-conflict');
  const status: 'draft' | 'published' = post?.status ?? 'draft';

  const loadLatest = async () => {
    if (!post) return;
    const latest = await queryClient.fetchQuery({
      queryKey: keys.postLatest(spaceId, post.id),
      queryFn: () => get<Post>(`/spaces/${enc(spaceId)}/posts/${enc(post.id)}`),
      staleTime: 0,
    });
    // What this person wrote stays on screen (and on this device) until they dismiss it.
    setKept(fields);
    writeUnsaved<Fields>(`${scope}:kept`, { ...fields });
    setFields(fieldsOf(latest));
    setBaseVersion(latest.version);
    save.reset();
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 3000);
    } catch {
      document.getElementById(`${id}-body`)?.focus();
      (document.getElementById(`${id}-body`) as HTMLTextAreaElement | null)?.select();
    }
  };

  const ids = { title: `${id}-title`, tags: `${id}-tags`, body: `${id}-body` };
  const errors = useFieldErrors(ids, conflict ? null : save.error);
  const change = (name: keyof Fields, value: string) => {
    setFields({ ...fields, [name]: value });
    errors.changed(name);
  };
  const submit = (event: FormEvent, next: 'draft' | 'published') => {
    event.preventDefault();
    if (save.isPending) return;
    const ok = errors.check([
      ...requiredIssue('title', 'title', fields.title),
      ...lengthIssue('title', 'title', fields.title, TITLE_LIMIT),
      ...lengthIssue('body', 'text', fields.body, BODY_LIMIT),
    ]);
    if (ok) save.mutate(next);
  };
  const form = useRef<HTMLFormElement>(null);

  return (
    <div className="page editor-page">
      <p className="breadcrumb">
        <Link to={`/spaces/${encodeURIComponent(spaceId)}`}>
          {spaceId.startsWith('~') ? spaceLabel(spaceId) : spaceName}
        </Link>
        {post && (
          <>
            {' / '}
            <Link to={`/spaces/${encodeURIComponent(spaceId)}/posts/${encodeURIComponent(post.id)}`}>
              {post.title}
            </Link>
          </>
        )}
      </p>
      <h1>{post ? (post.status === 'draft' ? 'Edit draft' : 'Edit post') : 'New post'}</h1>

      {justSaved && !save.isPending && !dirty && (
        <p className="notice" role="status">
          Draft saved. Only you can see it until you publish it.
        </p>
      )}
      <DraftNotices draft={draft} what="post" />

      {conflict && (
        <div className="notice notice-warning conflict" role="alert" aria-labelledby={`${id}-conflict`}>
          <h2 id={`${id}-conflict`}>Someone else changed this post while you were editing</h2>
          <p>
            Your changes were <strong>not saved</strong>, and nothing was overwritten. Your text is still here
            in the editor and kept on this device. Copy it, then load the latest version to merge your changes
            into it.
          </p>
          <div className="actions">
            <button type="button" onClick={() => void copy(`${fields.title}\n\n${fields.body}`)}>
              {copied ? 'Copied' : 'Copy my text'}
            </button>
            <button type="button" className="primary" onClick={() => void loadLatest()}>
              Load the latest version
            </button>
          </div>
        </div>
      )}

      {kept && (
        <details className="notice kept" open>
          <summary>Your text from before the conflict (not saved)</summary>
          <label htmlFor={`${id}-kept`}>Your version of the body</label>
          <textarea id={`${id}-kept`} readOnly value={kept.body} rows={6} />
          <div className="actions">
            <button type="button" onClick={() => void copy(`${kept.title}\n\n${kept.body}`)}>
              {copied ? 'Copied' : 'Copy my text'}
            </button>
            <button
              type="button"
              onClick={() => {
                setFields({ ...kept });
              }}
            >
              Put my text back in the editor
            </button>
            <button
              type="button"
              onClick={() => {
                clearUnsaved(`${scope}:kept`);
                setKept(undefined);
              }}
            >
              Dismiss
            </button>
          </div>
        </details>
      )}

      <form
        ref={form}
        className="editor"
        onSubmit={(event) => submit(event, post ? status : 'published')}
        onKeyDown={(event) => {
          if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's')
            submit(event, post ? status : 'draft');
        }}
      >
        <TitleField
          id={id}
          value={fields.title}
          limit={TITLE_LIMIT}
          errors={errors}
          onChange={(value) => change('title', value)}
        />
        <div className="field">
          <label htmlFor={`${id}-tags`}>Tags</label>
          <input
            id={`${id}-tags`}
            value={fields.tags}
            onChange={(e) => change('tags', e.target.value)}
            placeholder="e.g. devops, performance"
            {...errors.describe('tags', `${id}-tags-hint`)}
          />
          <p id={`${id}-tags-hint`} className="muted small">
            Separate tags with commas or spaces. #tags in the text are added too.
          </p>
          <FieldError errors={errors} field="tags" id={ids.tags} />
        </div>

        <MarkdownBodyField
          id={id}
          label="Body"
          attachTo={post ? ownerPath(spaceId, 'post', post.id) : undefined}
          value={fields.body}
          limit={BODY_LIMIT}
          errors={errors}
          onChange={(value) => change('body', value)}
          mentionsIn={spaceId}
          hint={
            <>
              Markdown: **bold**, _italic_, [link](https://…), # heading, - list, `code`. Mention people with
              @name and tag with #topic. Ctrl+S saves.
            </>
          }
        />
        <SaveError
          error={conflict ? null : save.error}
          errors={errors}
          ids={ids}
          kept="Your text is still here and kept on this device; try again when you are ready."
        />

        {canBeMinor && <MinorEditCheckbox checked={minorEdit} onChange={setMinorEdit} />}
        <AudiencePreview
          path={`/spaces/${enc(spaceId)}/posts/preview-audience`}
          draft={{
            ...(post ? { postId: post.id } : {}),
            title: fields.title.slice(0, TITLE_LIMIT),
            body: fields.body.slice(0, BODY_LIMIT),
            tags: parseTags(fields.tags),
            ...(canBeMinor && minorEdit ? { minorEdit: true } : {}),
          }}
        />

        <div className="actions editor-actions">
          {post?.status === 'published' ? (
            <button type="submit" className="primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Update post'}
            </button>
          ) : (
            <>
              <button
                type="button"
                className="primary"
                disabled={save.isPending}
                onClick={(event) => submit(event, 'published')}
              >
                {save.isPending && save.variables === 'published' ? 'Publishing…' : 'Publish'}
              </button>
              <button type="button" disabled={save.isPending} onClick={(event) => submit(event, 'draft')}>
                {save.isPending && save.variables === 'draft' ? 'Saving…' : 'Save draft'}
              </button>
            </>
          )}
          <Link
            to={
              post
                ? `/spaces/${encodeURIComponent(spaceId)}/posts/${encodeURIComponent(post.id)}`
                : `/spaces/${encodeURIComponent(spaceId)}`
            }
            className="button"
          >
            Cancel
          </Link>
          <span className="muted small" aria-live="polite">
            {dirty ? 'Unsaved changes are kept on this device.' : ''}
          </span>
        </div>
      </form>
    </div>
  );
}
