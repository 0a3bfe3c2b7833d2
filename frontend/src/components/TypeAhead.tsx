/**
 * The header search box: a combobox (ARIA 1.2 pattern) that suggests posts, comments and people as
 * you type, and submits to the search page. Arrow keys move through the suggestions, Enter opens the
 * highlighted one (or searches), Escape closes the list.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { get } from '../api/client';
import { keys } from '../api/query-keys';
import type { Suggestion } from '../api/types';
import { useDebounced } from '../lib/useDebounced';

const TYPE_LABEL: Record<string, string> = { post: 'Post', comment: 'Comment', profile: 'Person' };

export function TypeAhead() {
  const navigate = useNavigate();
  const location = useLocation();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const listId = `${id}-list`;
  const q = useDebounced(text.trim(), 200);

  const suggestions = useQuery({
    queryKey: keys.suggest(q),
    queryFn: ({ signal }) =>
      get<{ items: Suggestion[] }>(`/search/suggest?q=${encodeURIComponent(q)}`, signal),
    enabled: q.length >= 2,
    staleTime: 60_000,
    retry: false,
  });

  // Leaving the page closes the list; the search page shows its own query.
  useEffect(() => {
    setOpen(false);
    setActive(-1);
    if (location.pathname === '/search') setText(new URLSearchParams(location.search).get('q') ?? '');
  }, [location.pathname, location.search]);

  const items = q.length >= 2 && q === text.trim() ? (suggestions.data?.items ?? []).slice(0, 8) : [];
  const options: { key: string; label: string; kind?: string; go: () => void }[] = [
    ...items.map((item, i) => ({
      key: `${i}-${item.url}`,
      label: item.title,
      kind: TYPE_LABEL[item.type] ?? item.type,
      go: () => navigate(item.url),
    })),
    ...(text.trim()
      ? [
          {
            key: 'all',
            label: `Search for “${text.trim()}”`,
            go: () => navigate(`/search?q=${encodeURIComponent(text.trim())}`),
          },
        ]
      : []),
  ];
  const expanded = open && options.length > 0;

  const choose = (index: number) => {
    const option = options[index];
    if (!option) return;
    setOpen(false);
    setActive(-1);
    option.go();
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for some supported browsers
    <form
      role="search"
      className="typeahead"
      onSubmit={(event) => {
        event.preventDefault();
        if (expanded && active >= 0) return choose(active);
        if (text.trim()) {
          setOpen(false);
          navigate(`/search?q=${encodeURIComponent(text.trim())}`);
        }
      }}
    >
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Search Commonplace
      </label>
      <input
        ref={input}
        id={`${id}-input`}
        type="search"
        role="combobox"
        placeholder="Search posts, people…"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => text && setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive((current) => (options.length ? (current + 1) % options.length : -1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
            setActive((current) => (options.length ? (current <= 0 ? options.length - 1 : current - 1) : -1));
          } else if (event.key === 'Escape') {
            if (expanded) {
              event.preventDefault();
              setOpen(false);
              setActive(-1);
            } else {
              setText('');
            }
          }
        }}
      />
      <div
        id={listId}
        role="listbox"
        aria-label="Search suggestions"
        className="typeahead-list"
        hidden={!expanded}
      >
        {options.map((option, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled on the combobox input (aria-activedescendant)
          // biome-ignore lint/a11y/useFocusableInteractive: options are never focused; the input keeps focus
          <div
            key={option.key}
            id={`${id}-option-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            // Keep focus in the input so the click lands before blur closes the list.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(index)}
          >
            <span>{option.label}</span>
            {option.kind && <span className="muted small">{option.kind}</span>}
          </div>
        ))}
      </div>
    </form>
  );
}
