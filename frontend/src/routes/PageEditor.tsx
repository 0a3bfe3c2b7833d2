/**
 * The wiki page editor (its own chunk, with the Markdown renderer for the live preview, which resolves
 * [[links]] exactly as the server will). Nothing typed is lost: the text is mirrored to this device
 * until the server has it; a save based on an old version gets a 409, keeps the text on screen, and
 * offers the latest version next to it to merge by hand.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { type ApiError, api, enc, get, isApiError } from '../api/client';
import { ownerPath } from '../api/files';
import { useSpace } from '../api/queries';
import { keys } from '../api/query-keys';
import type { WikiPage } from '../api/types';
import { AudiencePreview, MinorEditCheckbox } from '../components/AudiencePreview';
import { DraftNotices } from '../components/DraftNotices';
import { MarkdownBodyField, TitleField } from '../components/EditorFields';
import {
  FieldError,
  LengthMeter,
  lengthIssue,
  requiredIssue,
  SaveError,
  useFieldErrors,
} from '../components/FormErrors';
import { ParentPicker } from '../components/ParentPicker';
import { ErrorState, Loading } from '../components/States';
import { useDraft } from '../lib/useDraft';
import { useTitle } from '../lib/useTitle';
import { pagePath, wikiPath } from '../lib/wiki';

interface Fields {
  title: string;
  body: string;
  summary: string;
  /** '' is the top of the tree. */
  parentId: string;
}

/** The summary describes a change; on its own it is not one. */
const same = (a: Fields, b: Fields) => a.title === b.title && a.body === b.body && a.parentId === b.parentId;

// The API's limits (functions/api/schemas.ts), checked here so that nothing is cut or sent in vain.
const TITLE_LIMIT = 200;
const BODY_LIMIT = 100_000;
const SUMMARY_LIMIT = 300;

export default function PageEditor() {
  const { spaceId = '', pageId } = useParams();
  const space = useSpace(spaceId);
  const existing = useQuery({
    queryKey: keys.pageEdit(spaceId, pageId),
    queryFn: ({ signal }) => get<WikiPage>(`/spaces/${enc(spaceId)}/pages/${enc(pageId ?? '')}`, signal),
    enabled: !!pageId,
    staleTime: 0,
    gcTime: 0,
  });
  useTitle(pageId ? `Edit ${existing.data?.title ?? 'page'}` : 'New page');
  if (space.isError) return <ErrorState error={space.error} what="space" />;
  if (pageId && existing.isError)
    return <ErrorState error={existing.error} retry={() => void existing.refetch()} what="page" />;
  if (space.isPending || (pageId && existing.isPending)) return <Loading label="Opening the editor" />;
  if (!space.data.permissions.contribute)
    return (
      <ErrorState error={new Error('You need to be an editor or owner of this space to edit its wiki.')} />
    );
  return (
    <PageForm
      key={`${spaceId}/${pageId ?? 'new'}`}
      spaceId={spaceId}
      spaceName={space.data.name}
      page={existing.data}
    />
  );
}

function PageForm({ spaceId, spaceName, page }: { spaceId: string; spaceName: string; page?: WikiPage }) {
  const id = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const newId = params.get('id') ?? undefined;
  const scope = `page:${spaceId}/${page?.id ?? newId ?? 'new'}`;
  const baseline: Fields = {
    title: page?.title ?? '',
    body: page?.body ?? '',
    summary: '',
    parentId: page ? (page.parentId ?? '') : (params.get('parent') ?? ''),
  };

  const draft = useDraft({ scope, baseline, serverVersion: page?.version, same });
  const { fields, setFields, baseVersion, setBaseVersion, dirty } = draft;
  const [latest, setLatest] = useState<WikiPage>();
  const [minorEdit, setMinorEdit] = useState(false);

  const save = useMutation<WikiPage, ApiError>({
    mutationFn: () => {
      const input = {
        title: fields.title,
        body: fields.body,
        parentId: fields.parentId || null,
        ...(fields.summary ? { summary: fields.summary } : {}),
      };
      return page
        ? api<WikiPage>('PUT', `/spaces/${enc(spaceId)}/pages/${enc(page.id)}`, {
            ...input,
            version: baseVersion,
            ...(minorEdit ? { minorEdit: true } : {}),
          })
        : api<WikiPage>('POST', `/spaces/${enc(spaceId)}/pages`, {
            ...input,
            ...(newId ? { id: newId } : {}),
          });
    },
    onSuccess: (saved) => {
      draft.saved();
      queryClient.setQueryData(keys.page(saved.spaceId, saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: keys.pages(saved.spaceId) });
      navigate(pagePath(saved.spaceId, saved.id), { replace: true });
    },
  });
  const conflict = isApiError(save.error, 'edit-conflict');

  const loadLatest = async () => {
    if (!page) return;
    const fresh = await get<WikiPage>(`/spaces/${enc(spaceId)}/pages/${enc(page.id)}`);
    // My text stays in the editor; the latest version is shown beside it, and saving now builds on it.
    setLatest(fresh);
    setBaseVersion(fresh.version);
    save.reset();
  };

  const ids = {
    title: `${id}-title`,
    body: `${id}-body`,
    parentId: `${id}-parent`,
    summary: `${id}-summary`,
  };
  const errors = useFieldErrors(ids, conflict ? null : save.error);
  const change = (name: keyof Fields, value: string) => {
    setFields({ ...fields, [name]: value });
    errors.changed(name);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const ok = errors.check([
      ...requiredIssue('title', 'title', fields.title),
      ...lengthIssue('title', 'title', fields.title, TITLE_LIMIT),
      ...lengthIssue('body', 'text', fields.body, BODY_LIMIT),
      ...lengthIssue('summary', 'summary of your change', fields.summary, SUMMARY_LIMIT),
    ]);
    if (ok) save.mutate();
  };
  const cancelTo = page ? pagePath(spaceId, page.id) : wikiPath(spaceId);

  return (
    <div className="page editor-page">
      <p className="breadcrumb">
        <Link to={`/spaces/${encodeURIComponent(spaceId)}`}>{spaceName}</Link>
        {' / '}
        <Link to={wikiPath(spaceId)}>Wiki</Link>
        {page && (
          <>
            {' / '}
            <Link to={pagePath(spaceId, page.id)}>{page.title}</Link>
          </>
        )}
      </p>
      <h1>{page ? 'Edit page' : 'New page'}</h1>

      <DraftNotices draft={draft} what="page" />
      {conflict && (
        <div className="notice notice-warning conflict" role="alert" aria-labelledby={`${id}-conflict`}>
          <h2 id={`${id}-conflict`}>Someone else changed this page while you were editing</h2>
          <p>
            Your changes were <strong>not saved</strong>, and nothing was overwritten. Your text is still here
            and kept on this device. Load the latest version to see it next to yours, merge, then save.
          </p>
          <button type="button" className="primary" onClick={() => void loadLatest()}>
            Show the latest version
          </button>
        </div>
      )}
      {latest && (
        <details className="notice kept" open>
          <summary>
            The latest version ({latest.version}, by {latest.updatedByName}) — your save will build on it
          </summary>
          <label htmlFor={`${id}-latest`}>Its text</label>
          <textarea id={`${id}-latest`} readOnly value={latest.body} rows={6} />
          <button type="button" onClick={() => setLatest(undefined)}>
            Hide
          </button>
        </details>
      )}

      <form className="editor" onSubmit={submit}>
        <TitleField
          id={id}
          value={fields.title}
          limit={TITLE_LIMIT}
          errors={errors}
          onChange={(value) => change('title', value)}
        />
        <MarkdownBodyField
          id={id}
          label="Text"
          value={fields.body}
          limit={BODY_LIMIT}
          errors={errors}
          onChange={(value) => change('body', value)}
          hint="Markdown, and [[Page title]] or [[Page title|label]] to link another page of this space."
          pageLinksIn={spaceId}
          mentionsIn={spaceId}
          attachTo={page ? ownerPath(spaceId, 'page', page.id) : undefined}
        />
        <div>
          <ParentPicker
            id={`${id}-parent`}
            spaceId={spaceId}
            pageId={page?.id}
            value={fields.parentId}
            onChange={(parentId) => change('parentId', parentId)}
            describedBy={errors.describe('parentId')}
          />
          <FieldError errors={errors} field="parentId" id={ids.parentId} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-summary`}>What did you change? (optional)</label>
          <input
            id={`${id}-summary`}
            value={fields.summary}
            onChange={(e) => change('summary', e.target.value)}
            {...errors.describe(
              'summary',
              fields.summary.length >= SUMMARY_LIMIT * 0.9 && `${id}-summary-size`,
            )}
          />
          <LengthMeter id={`${id}-summary-size`} value={fields.summary} limit={SUMMARY_LIMIT} />
          <FieldError errors={errors} field="summary" id={ids.summary} />
        </div>
        {page && <MinorEditCheckbox checked={minorEdit} onChange={setMinorEdit} />}
        <AudiencePreview
          path={`/spaces/${enc(spaceId)}/pages/preview-audience`}
          draft={{
            ...(page ? { pageId: page.id } : {}),
            title: fields.title.slice(0, TITLE_LIMIT),
            body: fields.body.slice(0, BODY_LIMIT),
            ...(page && minorEdit ? { minorEdit: true } : {}),
          }}
        />
        <SaveError
          error={conflict ? null : save.error}
          errors={errors}
          ids={ids}
          kept="Your text is still here and kept on this device."
        />
        <div className="actions editor-actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : page ? 'Save page' : 'Create page'}
          </button>
          <Link to={cancelTo} className="button">
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
