/**
 * @mention autocomplete for the post, comment and page editors. Typing `@` and the start of a name or
 * handle lists the people who may read the space (the server decides: GET /spaces/{id}/mentionable),
 * so nobody is offered who could not read what they are mentioned in — and a partner is never shown
 * another organisation's people. Arrow keys move, Enter or Tab inserts `@handle `, Escape closes.
 *
 * The text area keeps its textbox role (a textarea may not be a combobox); it points at the open list
 * with aria-controls and at the highlighted option with aria-activedescendant, and a status line says
 * how many people match.
 */
import { useQuery } from '@tanstack/react-query';
import {
  type KeyboardEvent,
  type Ref,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { expertiseKeys, fetchMentionable } from '../api/expertise';
import { useDebounced } from '../lib/useDebounced';

/** `@` at the start or after a non-word character, then up to 30 name or handle characters, at the caret. */
const AT_CARET = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}._-]{1,30})$/u;

export interface MentionState {
  /** Spread onto the textarea (with `ref`). */
  props: {
    ref: Ref<HTMLTextAreaElement>;
    onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
    onSelect: () => void;
    onBlur: () => void;
    'aria-autocomplete': 'list';
    'aria-controls'?: string;
    'aria-activedescendant'?: string;
  };
  /** The list and the status line, placed right after the textarea. */
  popup: React.ReactNode;
}

export function useMentions(
  spaceId: string | undefined,
  value: string,
  onChange: (value: string) => void,
  externalRef?: RefObject<HTMLTextAreaElement | null> | ((element: HTMLTextAreaElement | null) => void),
): MentionState {
  const id = useId();
  const area = useRef<HTMLTextAreaElement | null>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);

  const before = caret === null ? '' : value.slice(0, caret);
  const match = spaceId ? AT_CARET.exec(before) : null;
  const typed = match?.[2] ?? '';
  const q = useDebounced(typed, 150);
  const open = !!match && typed !== dismissed;
  const people = useQuery({
    queryKey: expertiseKeys.mentionable(spaceId ?? '', q),
    queryFn: ({ signal }) => fetchMentionable(spaceId!, q, signal),
    enabled: open && !!q && q === typed,
    staleTime: 60_000,
    retry: false,
  });
  const items = open && q === typed ? (people.data?.items ?? []) : [];
  const shown = items.length > 0;
  // A new list starts at its first person.
  // biome-ignore lint/correctness/useExhaustiveDependencies: q is the trigger
  useEffect(() => setActive(0), [q]);

  const track = () => setCaret(area.current?.selectionStart ?? null);
  // The caret moves with typing too: read it after every change of the text.
  // biome-ignore lint/correctness/useExhaustiveDependencies: value is the trigger
  useEffect(() => {
    if (area.current && document.activeElement === area.current) setCaret(area.current.selectionStart);
  }, [value]);

  const insert = (handle: string) => {
    if (caret === null || !match) return;
    const start = caret - typed.length - 1;
    const next = `${value.slice(0, start)}@${handle} ${value.slice(caret)}`;
    const position = start + handle.length + 2;
    onChange(next);
    setDismissed(null);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(position, position);
      setCaret(position);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!shown) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + items.length) % items.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      insert(items[Math.min(active, items.length - 1)].handle);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(typed);
    }
  };

  const ref = useCallback(
    (element: HTMLTextAreaElement | null) => {
      area.current = element;
      if (typeof externalRef === 'function') externalRef(element);
      else if (externalRef) externalRef.current = element;
    },
    [externalRef],
  );

  const listId = `${id}-mentions`;
  const optionId = (i: number) => `${id}-mention-${i}`;
  return {
    props: {
      ref,
      onKeyDown,
      onSelect: track,
      onBlur: () => setDismissed(typed),
      'aria-autocomplete': 'list',
      ...(shown ? { 'aria-controls': listId, 'aria-activedescendant': optionId(active) } : {}),
    },
    popup: (
      <>
        {shown && (
          <div
            id={listId}
            role="listbox"
            className="mention-list typeahead-list"
            aria-label="People to mention"
          >
            {items.map((person, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled on the text area (aria-activedescendant)
              // biome-ignore lint/a11y/useFocusableInteractive: options are never focused; the text area keeps focus
              <div
                key={person.userId}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                // Keep the focus in the text area: the click lands before a blur would close the list.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => insert(person.handle)}
              >
                <span>
                  {person.name} <span className="muted small">@{person.handle}</span>
                </span>
                {person.org && <span className="muted small">external · {person.org}</span>}
              </div>
            ))}
          </div>
        )}
        <p className="visually-hidden" role="status">
          {shown
            ? `${items.length} ${items.length === 1 ? 'person' : 'people'} to mention; arrow keys to choose, Enter to insert`
            : ''}
        </p>
      </>
    ),
  };
}
