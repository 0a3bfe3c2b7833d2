/**
 * The people directory: everyone you may see, by name, with filters (department, location, skill,
 * organisation) kept in the address so a filtered list can be shared, and a type-ahead that jumps to a
 * person. A partner sees employees and their own organisation only (the API decides).
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { get, query } from '../api/client';
import { type DirectoryPerson, peopleKeys } from '../api/people';
import type { Organisation, Page } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ExternalBadge, initials } from '../components/People';
import { Empty, ErrorState, Loading } from '../components/States';
import { useDebounced } from '../lib/useDebounced';
import { useLoadMoreOnScroll } from '../lib/useLoadMoreOnScroll';
import { useTitle } from '../lib/useTitle';

const FILTERS = ['department', 'location', 'skill', 'org'] as const;

export default function PeopleDirectory() {
  const { user, isAdmin } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(
    FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f)!]] : [])),
  ) as Record<string, string>;
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  useTitle(filters.skill ? `People who know ${filters.skill}` : 'People');
  const id = useId();
  const people = useInfiniteQuery({
    queryKey: peopleKeys.directory({ ...filters, order }),
    queryFn: ({ pageParam, signal }) =>
      get<Page<DirectoryPerson>>(
        `/people${query({ ...filters, order, limit: 50, cursor: pageParam })}`,
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  const orgs = useQuery({
    queryKey: ['orgs'],
    queryFn: ({ signal }) => get<Page<Organisation>>('/orgs', signal),
    enabled: !user.org,
  });
  const sentinel = useRef<HTMLDivElement>(null);
  useLoadMoreOnScroll(sentinel, people);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const value = String(form.get(f) ?? '').trim();
      if (value) next.set(f, value);
    }
    if (form.get('order') === 'desc') next.set('order', 'desc');
    setParams(next);
  };
  const rows = people.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="page people-directory">
      <div className="page-header">
        <h1>{filters.skill ? `People who know ${filters.skill}` : 'People'}</h1>
        {isAdmin && (
          <Link to="/people/import" className="button">
            Import people
          </Link>
        )}
      </div>
      <PersonFinder />
      <form className="directory-filters" onSubmit={apply} aria-label="Filter people" key={params.toString()}>
        <label htmlFor={`${id}-department`}>Department</label>
        <input
          id={`${id}-department`}
          name="department"
          defaultValue={filters.department ?? ''}
          maxLength={120}
        />
        <label htmlFor={`${id}-location`}>Location</label>
        <input id={`${id}-location`} name="location" defaultValue={filters.location ?? ''} maxLength={120} />
        <label htmlFor={`${id}-skill`}>Skill</label>
        <input id={`${id}-skill`} name="skill" defaultValue={filters.skill ?? ''} maxLength={60} />
        <label htmlFor={`${id}-org`}>Organisation</label>
        <select id={`${id}-org`} name="org" defaultValue={filters.org ?? ''}>
          <option value="">Everyone</option>
          <option value="employees">Employees</option>
          {user.org ? (
            <option value={user.org}>{user.org}</option>
          ) : (
            (orgs.data?.items ?? []).map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))
          )}
        </select>
        <label htmlFor={`${id}-order`}>Sort</label>
        <select id={`${id}-order`} name="order" defaultValue={order}>
          <option value="asc">Name A–Z</option>
          <option value="desc">Name Z–A</option>
        </select>
        <button type="submit">Apply</button>
        {filtered && (
          <button type="button" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </button>
        )}
      </form>
      {people.isPending ? (
        <Loading label="Loading people" />
      ) : people.isError ? (
        <ErrorState error={people.error} retry={() => void people.refetch()} />
      ) : rows.length === 0 && !people.hasNextPage ? (
        <Empty title={filtered ? 'Nobody matches these filters' : 'Nobody here yet'} />
      ) : (
        <>
          <ul className="directory-list" aria-label="People">
            {rows.map((person) => (
              <li key={person.userId}>
                <span className="avatar" aria-hidden="true">
                  {initials(person.name)}
                </span>
                <div>
                  <Link to={`/people/${encodeURIComponent(person.userId)}`}>{person.name}</Link>{' '}
                  {person.org && <ExternalBadge org={person.org} />}
                  {person.active === false && <span className="badge">Deactivated</span>}
                  <div className="muted">
                    {[person.title, person.department, person.location].filter(Boolean).join(' · ')}
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <div ref={sentinel} />
          {people.hasNextPage && (
            <button
              type="button"
              disabled={people.isFetchingNextPage}
              onClick={() => void people.fetchNextPage()}
            >
              {people.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          )}
        </>
      )}
    </div>
  );
}

/**
 * Type-ahead on name and @handle (a combobox): pick a person to open their profile. Shared by the
 * directory and the admin's "set manager" field (onPick).
 */
export function PersonFinder({
  label = 'Find a person',
  onPick,
}: {
  label?: string;
  onPick?: (person: DirectoryPerson) => void;
}) {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const id = useId();
  const q = useDebounced(text.trim(), 150);
  const found = useQuery({
    queryKey: peopleKeys.suggest(q),
    queryFn: ({ signal }) =>
      get<{ items: DirectoryPerson[] }>(`/people/suggest${query({ q, limit: 8 })}`, signal),
    enabled: q.length >= 1 && !q.includes('#'),
    staleTime: 30_000,
  });
  const items = q && q === text.trim() ? (found.data?.items ?? []) : [];
  const pick = (person: DirectoryPerson) => {
    setText('');
    setActive(-1);
    if (onPick) onPick(person);
    else navigate(`/people/${encodeURIComponent(person.userId)}`);
  };
  return (
    <div className="person-finder">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${id}-option-${active}` : undefined}
        autoComplete="off"
        placeholder="Name or @handle"
        value={text}
        maxLength={60}
        onChange={(event) => {
          setText(event.target.value);
          setActive(-1);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setActive((i) => Math.min(items.length - 1, i + 1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (event.key === 'Enter' && items.length) {
            event.preventDefault();
            pick(items[Math.max(0, active)]);
          } else if (event.key === 'Escape') setText('');
        }}
      />
      <div
        id={`${id}-list`}
        role="listbox"
        aria-label={label}
        className="finder-options"
        hidden={items.length === 0}
      >
        {items.map((person, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled on the combobox input (aria-activedescendant)
          // biome-ignore lint/a11y/useFocusableInteractive: options are never focused; the input keeps focus
          <div
            key={person.userId}
            id={`${id}-option-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'finder-option active' : 'finder-option'}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(person)}
          >
            {person.name} <span className="muted">@{person.handle}</span>
            {person.org && <span className="muted"> · {person.org}</span>}
          </div>
        ))}
      </div>
    </div>
  );
}
