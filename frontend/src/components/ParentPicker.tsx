/**
 * Where a wiki page sits in its space's tree: at the top, or below a page found by the start of its
 * title. Each keystroke (debounced) is one request for at most ten titles, and the current parent's
 * title one lookup by id, so choosing a place costs the same in a wiki of ten pages or ten thousand.
 * A place below the page itself is refused by the server (a cycle) and shown under the field.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { enc, get, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Page, WikiPageSummary } from '../api/types';
import { useDebounced } from '../lib/useDebounced';
import { usePageNodes } from '../lib/wiki';
import type { FieldAria } from './FormErrors';

export function ParentPicker({
  id,
  spaceId,
  pageId,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  spaceId: string;
  /** The page being edited (never offered as its own parent); absent for a new page. */
  pageId?: string;
  /** The chosen parent's id; '' for the top. */
  value: string;
  onChange: (parentId: string) => void;
  /** The field's error wiring (useFieldErrors' describe), on the search box. */
  describedBy: FieldAria;
}) {
  const [text, setText] = useState('');
  const prefix = useDebounced(text.trim(), 200);
  const parent = usePageNodes(spaceId, value ? [value] : []);
  const parentTitle = parent.data?.items.find((node) => node.id === value)?.title ?? value;
  const found = useQuery({
    queryKey: keys.pageTitles(spaceId, prefix),
    queryFn: ({ signal }) =>
      get<Page<WikiPageSummary>>(
        `/spaces/${enc(spaceId)}/pages${query({ title: prefix, limit: 10 })}`,
        signal,
      ),
    enabled: prefix.length > 0,
    staleTime: 30_000,
  });
  const choices = (found.data?.items ?? []).filter((page) => page.id !== pageId && page.id !== value);

  return (
    <fieldset className="field parent-picker">
      <legend>Place in the tree</legend>
      <p className="meta" aria-live="polite">
        {value ? (
          <>
            Now below <strong>{parentTitle}</strong>{' '}
            <button type="button" className="link-button" onClick={() => onChange('')}>
              Move to the top
            </button>
          </>
        ) : (
          'Now at the top of the wiki.'
        )}
      </p>
      <label htmlFor={id}>Find a page to place it below</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={text}
        placeholder="The start of a title"
        onChange={(e) => setText(e.target.value)}
        {...describedBy}
      />
      {prefix && found.data && (
        <ul className="parent-choices" aria-label="Pages found">
          {choices.length === 0 && <li className="meta">No other page’s title starts with “{prefix}”.</li>}
          {choices.map((page) => (
            <li key={page.id}>
              <button
                type="button"
                onClick={() => {
                  onChange(page.id);
                  setText('');
                }}
              >
                Place below {page.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      {found.isError && <p className="meta error-text">Not searched: {found.error.message}</p>}
    </fieldset>
  );
}
