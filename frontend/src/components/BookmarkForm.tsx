/**
 * Saving a link, or changing one of mine: address, title, description, tags (completed from my own
 * tags), and who may see it — only me, every employee, or a space I may write in. Used by the save
 * dialog on the Bookmarks page and by the bookmarklet's /save page. What the API refuses is shown
 * under its field, as in every other form.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useBookmarkTags, useWritableSpaces } from '../api/bookmarks';
import { type ApiError, api, enc } from '../api/client';
import { keys } from '../api/query-keys';
import type { Bookmark } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { parseTags } from '../lib/tags';
import { FieldError, lengthIssue, requiredIssue, SaveError, useFieldErrors } from './FormErrors';

type Visibility = Bookmark['visibility'];

interface Fields {
  url: string;
  title: string;
  description: string;
  tags: string;
  visibility: Visibility;
  spaceId: string;
}

const TITLE_LIMIT = 500;
const DESCRIPTION_LIMIT = 5000;

export function BookmarkForm({
  bookmark,
  url = '',
  title = '',
  onSaved,
  onCancel,
}: {
  /** One of mine, to change; without it, a new save of `url` and `title`. */
  bookmark?: Bookmark;
  url?: string;
  title?: string;
  onSaved: (saved: Bookmark) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const { isPartner } = useAuth();
  const [fields, setFields] = useState<Fields>(() =>
    bookmark
      ? {
          url: bookmark.url,
          title: bookmark.title,
          description: bookmark.description,
          tags: bookmark.tags.join(', '),
          visibility: bookmark.visibility,
          spaceId: bookmark.spaceId ?? '',
        }
      : { url, title, description: '', tags: '', visibility: 'private', spaceId: '' },
  );
  const myTags = useBookmarkTags('mine');
  const spaces = useWritableSpaces();

  const save = useMutation<Bookmark, ApiError>({
    mutationFn: () => {
      const common = {
        description: fields.description,
        tags: parseTags(fields.tags),
        visibility: fields.visibility,
      };
      if (bookmark)
        return api<Bookmark>('PATCH', `/me/bookmarks/${enc(bookmark.id)}`, {
          ...common,
          title: fields.title,
          spaceId: fields.visibility === 'space' ? fields.spaceId || undefined : null,
          version: bookmark.version,
        });
      return api<Bookmark>('POST', '/me/bookmarks', {
        ...common,
        url: fields.url.trim(),
        // Left empty, the title the metadata fetcher finds is shown.
        ...(fields.title.trim() ? { title: fields.title } : {}),
        ...(fields.visibility === 'space' && fields.spaceId ? { spaceId: fields.spaceId } : {}),
      });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: keys.bookmarks() });
      onSaved(saved);
    },
  });

  const ids = {
    url: `${id}-url`,
    title: `${id}-title`,
    description: `${id}-description`,
    tags: `${id}-tags`,
    visibility: `${id}-visibility-private`,
    spaceId: `${id}-space`,
  };
  const errors = useFieldErrors(ids, save.error);
  const change = <K extends keyof Fields>(field: K, value: Fields[K]) => {
    setFields((current) => ({ ...current, [field]: value }));
    errors.changed(field === 'visibility' ? 'spaceId' : field);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = [
      ...(bookmark ? [] : requiredIssue('url', 'address', fields.url)),
      ...lengthIssue('title', 'title', fields.title, TITLE_LIMIT),
      ...lengthIssue('description', 'description', fields.description, DESCRIPTION_LIMIT),
      ...(fields.visibility === 'space' && !fields.spaceId
        ? [{ field: 'spaceId', message: 'required', detail: 'Choose the space to save the link into.' }]
        : []),
    ];
    if (errors.check(found)) save.mutate();
  };

  // Completion of the tag being typed (the last one) from my own tags: each suggestion is the whole
  // text with that tag completed, so the browser's own list (keyboard and screen reader friendly) works.
  const typed = fields.tags.match(/^(.*[\s,])?#?([^\s,]*)$/);
  const head = typed?.[1] ?? '';
  const partial = (typed?.[2] ?? '').toLowerCase();
  const already = new Set(parseTags(head));
  const suggestions = partial
    ? (myTags.data?.items ?? [])
        .filter((t) => t.tag.startsWith(partial) && t.tag !== partial && !already.has(t.tag))
        .slice(0, 8)
    : [];

  return (
    <form className="bookmark-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={ids.url}>Address (URL)</label>
        {bookmark ? (
          <input id={ids.url} value={fields.url} readOnly aria-describedby={`${id}-url-hint`} />
        ) : (
          <input
            id={ids.url}
            inputMode="url"
            autoComplete="url"
            value={fields.url}
            onChange={(e) => change('url', e.target.value)}
            aria-required="true"
            {...errors.describe('url', `${id}-url-hint`)}
          />
        )}
        <p id={`${id}-url-hint`} className="muted small">
          {bookmark
            ? 'The address of a saved link stays; save the new address as a new link.'
            : 'An http or https address. Tracking parameters such as utm_source are dropped.'}
        </p>
        <FieldError errors={errors} field="url" id={ids.url} />
      </div>
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input
          id={ids.title}
          value={fields.title}
          onChange={(e) => change('title', e.target.value)}
          {...errors.describe('title', `${id}-title-hint`)}
        />
        <p id={`${id}-title-hint`} className="muted small">
          Leave it empty to use the page’s own title.
        </p>
        <FieldError errors={errors} field="title" id={ids.title} />
      </div>
      <div className="field">
        <label htmlFor={ids.description}>Description</label>
        <textarea
          id={ids.description}
          rows={3}
          value={fields.description}
          onChange={(e) => change('description', e.target.value)}
          {...errors.describe('description')}
        />
        <FieldError errors={errors} field="description" id={ids.description} />
      </div>
      <div className="field">
        <label htmlFor={ids.tags}>Tags</label>
        <input
          id={ids.tags}
          value={fields.tags}
          list={`${id}-tag-suggestions`}
          autoComplete="off"
          onChange={(e) => change('tags', e.target.value)}
          {...errors.describe('tags', `${id}-tags-hint`)}
        />
        <datalist id={`${id}-tag-suggestions`}>
          {suggestions.map((t) => (
            <option key={t.tag} value={`${head}${t.tag}`}>
              {t.tag}
            </option>
          ))}
        </datalist>
        <p id={`${id}-tags-hint`} className="muted small">
          Separate tags with commas or spaces; your own tags are suggested as you type.
        </p>
        <FieldError errors={errors} field="tags" id={ids.tags} />
      </div>
      <fieldset className="field">
        <legend>Who can see it</legend>
        {(
          [
            ['private', 'Only me'],
            // Partners save privately or into a space shared with them (the API refuses the rest).
            ...(isPartner ? [] : ([['employees', 'All employees']] as const)),
            ['space', 'The readers of a space'],
          ] as const
        ).map(([value, label]) => (
          <div key={value} className="radio">
            <input
              type="radio"
              id={`${id}-visibility-${value}`}
              name={`${id}-visibility`}
              value={value}
              checked={fields.visibility === value}
              onChange={() => change('visibility', value)}
            />
            <label htmlFor={`${id}-visibility-${value}`}>{label}</label>
          </div>
        ))}
        <FieldError errors={errors} field="visibility" id={ids.visibility} />
        {fields.visibility === 'space' && (
          <div className="field">
            <label htmlFor={ids.spaceId}>Space</label>
            <select
              id={ids.spaceId}
              value={fields.spaceId}
              onChange={(e) => change('spaceId', e.target.value)}
              {...errors.describe('spaceId')}
            >
              <option value="">Choose a space…</option>
              {(spaces.data ?? []).map((space) => (
                <option key={space.id} value={space.id}>
                  {space.name}
                </option>
              ))}
            </select>
            <FieldError errors={errors} field="spaceId" id={ids.spaceId} />
          </div>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : bookmark ? 'Save changes' : 'Save link'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <SaveError error={save.error} errors={errors} ids={ids} kept="What you typed is still here." />
    </form>
  );
}
