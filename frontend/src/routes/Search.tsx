/**
 * Search: one index over posts, comments and people, security-trimmed by the server. Filters live in
 * the URL (shareable, back-button friendly); facets show counts; snippets highlight the matches; the
 * people panel answers "who knows about this?" with the evidence.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { get, isApiError, query } from '../api/client';
import { expertisePath } from '../api/expertise';
import { keys } from '../api/query-keys';
import type { FacetValue, PersonHit, SearchHit, SearchResult } from '../api/types';
import { Highlight } from '../components/Highlight';
import { ExternalBadge, PersonName } from '../components/People';
import { spaceLabel } from '../components/PostCard';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { useTitle } from '../lib/useTitle';

const FILTERS = ['type', 'space', 'tag', 'author', 'from', 'to'] as const;
const TYPE_LABEL: Record<string, string> = {
  post: 'Posts',
  comment: 'Comments',
  page: 'Wiki pages',
  profile: 'People',
};
const HIT_LABEL: Record<string, string> = {
  post: 'Post',
  comment: 'Comment',
  page: 'Wiki page',
  profile: 'Person',
};

export default function Search() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const q = params.get('q') ?? '';
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  useTitle(q ? `Search: ${q}` : 'Search');

  const hasQuery = q.trim().length > 0 || Object.values(filters).some(Boolean);
  const results = useInfiniteQuery({
    queryKey: keys.search(q, filters),
    queryFn: ({ pageParam, signal }) =>
      get<SearchResult>(`/search${query({ q, ...filters, limit: 20, cursor: pageParam })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    enabled: hasQuery,
  });

  const link = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    return `/search?${next.toString()}`;
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    navigate(
      link({ q: text.trim(), from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') }),
    );
  };

  const first = results.data?.pages[0];
  const hits = results.data?.pages.flatMap((page) => page.items) ?? [];
  const activeFilters = FILTERS.filter((name) => filters[name]);

  return (
    <div className="page search-page">
      <h1>Search</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for some supported browsers */}
      <form role="search" className="search-form" onSubmit={onSubmit} aria-label="Search Commonplace">
        <div className="field grow">
          <label htmlFor="search-q">Search for</label>
          <input
            id="search-q"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Words, @people, #tags"
          />
        </div>
        <div className="field">
          <label htmlFor="search-from">From</label>
          <input
            id="search-from"
            name="from"
            type="date"
            defaultValue={filters.from}
            key={`from-${filters.from}`}
          />
        </div>
        <div className="field">
          <label htmlFor="search-to">To</label>
          <input id="search-to" name="to" type="date" defaultValue={filters.to} key={`to-${filters.to}`} />
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>

      {activeFilters.length > 0 && (
        <ul className="chips" aria-label="Active filters">
          {activeFilters.map((name) => (
            <li key={name}>
              <Link to={link({ [name]: undefined })} className="chip">
                {name}: {name === 'type' ? (TYPE_LABEL[filters[name]] ?? filters[name]) : filters[name]}{' '}
                <span aria-hidden="true">×</span>
                <span className="visually-hidden"> (remove filter)</span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      {!hasQuery ? (
        <Empty title="Search posts, comments and people">
          <p>Type a few words above. Results only ever include what you are allowed to see.</p>
        </Empty>
      ) : results.isPending ? (
        <Loading label="Searching" />
      ) : results.isError ? (
        isApiError(results.error, 'not-found') ||
        (isApiError(results.error) && results.error.status === 404) ? (
          <ErrorState error={new Error('Search is not available on this server yet.')} />
        ) : (
          <ErrorState error={results.error} retry={() => void results.refetch()} />
        )
      ) : (
        <div className="search-layout">
          <aside className="facets" aria-labelledby="facets-heading">
            {/* The facets' headings (h3) sit under this one, not straight under the page's h1. */}
            <h2 id="facets-heading" className="visually-hidden">
              Refine results
            </h2>
            <Facet
              title="Type"
              name="type"
              values={first?.facets.type ?? []}
              active={filters.type}
              link={link}
              labels={TYPE_LABEL}
            />
            <Facet
              title="Space"
              name="space"
              values={first?.facets.space ?? []}
              active={filters.space}
              link={link}
            />
            <Facet
              title="Tag"
              name="tag"
              values={first?.facets.tag ?? []}
              active={filters.tag}
              link={link}
              prefix="#"
            />
          </aside>
          <section className="results" aria-labelledby="results-heading">
            <h2 id="results-heading" aria-live="polite">
              {first?.total ?? 0} {first?.total === 1 ? 'result' : 'results'}
              {q && <> for “{q}”</>}
            </h2>
            {hits.length === 0 ? (
              <Empty title="Nothing found">
                <p>
                  {activeFilters.length
                    ? 'Try removing a filter, or other words.'
                    : 'Try other words, or fewer of them.'}
                </p>
              </Empty>
            ) : (
              <ol className="plain-list">
                {hits.map((hit) => (
                  <li key={`${hit.type}:${hit.id}`}>
                    <Hit hit={hit} />
                  </li>
                ))}
              </ol>
            )}
            {results.hasNextPage && (
              <button
                type="button"
                onClick={() => void results.fetchNextPage()}
                disabled={results.isFetchingNextPage}
              >
                {results.isFetchingNextPage ? 'Loading more…' : 'More results'}
              </button>
            )}
          </section>
          {(first?.people.length ?? 0) > 0 ? (
            <People people={first!.people} q={q.trim()} />
          ) : (
            q.trim() && <ExpertiseLink q={q.trim()} />
          )}
        </div>
      )}
    </div>
  );
}

function Facet({
  title,
  name,
  values,
  active,
  link,
  labels,
  prefix = '',
}: {
  title: string;
  name: string;
  values: FacetValue[];
  active: string;
  link: (changes: Record<string, string | undefined>) => string;
  labels?: Record<string, string>;
  prefix?: string;
}) {
  if (values.length === 0) return null;
  return (
    <section className="facet" aria-labelledby={`facet-${name}`}>
      <h3 id={`facet-${name}`}>{title}</h3>
      <ul className="plain-list">
        {values.map((value) => {
          const on = value.value === active;
          return (
            <li key={value.value}>
              <Link
                to={link({ [name]: on ? undefined : value.value, cursor: undefined })}
                aria-current={on ? 'true' : undefined}
                className={on ? 'facet-on' : undefined}
              >
                <span>
                  {on && <span aria-hidden="true">✓ </span>}
                  {prefix}
                  {value.label ?? labels?.[value.value] ?? value.value}
                </span>
                <span className="count">
                  {value.count}
                  <span className="visually-hidden"> results</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Hit({ hit }: { hit: SearchHit }) {
  return (
    <article className="card hit">
      <p className="hit-type">
        <span className="badge">{HIT_LABEL[hit.type] ?? hit.type}</span>
        {hit.spaceId && (
          <>
            {' in '}
            <Link to={`/spaces/${encodeURIComponent(hit.spaceId)}`}>
              {hit.spaceName ?? spaceLabel(hit.spaceId)}
            </Link>
          </>
        )}
      </p>
      <h3 className="hit-title">
        <Link to={hit.url}>{hit.title}</Link>
      </h3>
      {hit.snippet && (
        <p className="snippet">
          <Highlight html={hit.snippet} />
        </p>
      )}
      {/* A person is the hit itself: no "by" line, which would name them as their own author. */}
      {hit.type !== 'profile' && (
        <p className="meta">
          {hit.authorName && (
            <>
              <PersonName id={hit.authorId} name={hit.authorName} org={hit.authorOrg} />
              {' · '}
            </>
          )}
          <Time iso={hit.updatedAt} />
        </p>
      )}
    </article>
  );
}

/** To the expertise screen: people ranked by all their work on the topic, with the evidence. */
function ExpertiseLink({ q }: { q: string }) {
  return (
    <p className="small">
      <Link to={expertisePath(q)}>Who knows about “{q}”?</Link>
    </p>
  );
}

function People({ people, q }: { people: PersonHit[]; q: string }) {
  return (
    <aside className="people-results" aria-labelledby="people-heading">
      <h2 id="people-heading">People who know about this</h2>
      {q && <ExpertiseLink q={q} />}
      <ul className="plain-list">
        {people.map((person) => (
          <li key={person.userId} className="card person-hit">
            <h3>
              <Link to={`/people/${encodeURIComponent(person.userId)}`}>{person.name}</Link>{' '}
              {person.org && <ExternalBadge org={person.org} />}
            </h3>
            {person.title && <p className="muted small">{person.title}</p>}
            {person.evidence.length > 0 && (
              <ul className="evidence" aria-label={`Why ${person.name}`}>
                {person.evidence.slice(0, 3).map((item) => (
                  <li key={item.url}>
                    <span className="muted small">{item.kind}: </span>
                    <Link to={item.url}>{item.title}</Link>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
