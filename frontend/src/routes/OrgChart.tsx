/**
 * The org chart around a person, drawn as boxes and lines (a nested list styled as a tree, so it reads
 * as a list to a screen reader): their chain up to the top, their peers beside them, their reports
 * below. It loads only that neighbourhood (one request); any box with reports expands in place (one
 * request for that person's reports), and a name re-centres the chart on that person. Admins set the
 * manager here.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, enc, get, query } from '../api/client';
import { type OrgChart as Chart, type ChartPerson, type DirectoryPerson, peopleKeys } from '../api/people';
import type { Page } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ExternalBadge } from '../components/People';
import { ErrorState, Loading } from '../components/States';
import { useTitle } from '../lib/useTitle';
import { PersonFinder } from './PeopleDirectory';

export default function OrgChart() {
  const { userId = '' } = useParams();
  const { isAdmin } = useAuth();
  const chart = useQuery({
    queryKey: peopleKeys.chart(userId),
    queryFn: ({ signal }) => get<Chart>(`/people/${enc(userId)}/org-chart`, signal),
  });
  useTitle(chart.data ? `Org chart: ${chart.data.person.name}` : 'Org chart');
  if (chart.isPending) return <Loading label="Loading the org chart" />;
  if (chart.isError)
    return <ErrorState error={chart.error} retry={() => void chart.refetch()} what="person" />;
  const { person, chain, peers, reports } = chart.data;
  // Peers and the person, by name, as the manager's reports; the person's own reports below them.
  const siblings = [...peers, person].sort((a, b) => a.name.localeCompare(b.name));
  const row = (
    <ul>
      {siblings.map((p) => (
        <OrgNode
          key={p.userId}
          person={p}
          current={p.userId === person.userId}
          loaded={p.userId === person.userId ? reports : undefined}
          moreFrom={p.userId === person.userId ? chart.data.reportsCursor : undefined}
        />
      ))}
      {chart.data.peersCursor && chain.length > 0 && (
        <li className="org-more">
          <Link to={`/people/${enc(chain.at(-1)!.userId)}/org`}>
            More people report to {chain.at(-1)!.name}
          </Link>
        </li>
      )}
    </ul>
  );
  // The chain wraps the row from the manager up to the top.
  const tree = chain.reduceRight<React.ReactNode>(
    (inner, boss) => (
      <ul key={boss.userId}>
        <li className="org-chain">
          <PersonBox person={boss} />
          {inner}
        </li>
      </ul>
    ),
    row,
  );
  return (
    <div className="page org-chart-page">
      <h1>Org chart: {person.name}</h1>
      <p className="muted">
        <Link to={`/people/${enc(person.userId)}`}>Profile of {person.name}</Link> ·{' '}
        <Link to="/people">People directory</Link>
      </p>
      <nav className="org-chart" aria-label={`Org chart around ${person.name}`}>
        {tree}
      </nav>
      {isAdmin && person.kind === 'employee' && <SetManager person={person} manager={chain.at(-1)} />}
    </div>
  );
}

function PersonBox({ person, current }: { person: DirectoryPerson | ChartPerson; current?: boolean }) {
  return (
    <div
      className={`org-box${current ? ' org-current' : ''}${person.active === false ? ' org-inactive' : ''}`}
    >
      {current ? (
        <strong aria-current="page">{person.name}</strong>
      ) : (
        <Link to={`/people/${enc(person.userId)}/org`}>{person.name}</Link>
      )}
      {person.org && <ExternalBadge org={person.org} />}
      {person.title && <span className="org-title">{person.title}</span>}
      {person.active === false && <span className="badge">Deactivated</span>}
    </div>
  );
}

/**
 * A box and, below it, its reports: shown when the chart brought them (the person in the centre), else
 * behind an expander that loads them; more than a page of reports come with "Show more reports".
 */
function OrgNode({
  person,
  current,
  loaded,
  moreFrom,
}: {
  person: ChartPerson;
  current?: boolean;
  loaded?: ChartPerson[];
  /** The cursor of the reports after `loaded`. */
  moreFrom?: string;
}) {
  const count = person.reportCount ?? 0;
  const [open, setOpen] = useState(!!loaded);
  const [more, setMore] = useState(false);
  const reports = useInfiniteQuery({
    queryKey: [...peopleKeys.reports(person.userId), loaded ? (moreFrom ?? '') : ''],
    queryFn: ({ pageParam, signal }) =>
      get<Page<ChartPerson>>(
        `/people/${enc(person.userId)}/reports${query({ limit: 50, cursor: pageParam })}`,
        signal,
      ),
    initialPageParam: (loaded ? moreFrom : undefined) as string | undefined,
    getNextPageParam: (last) => last.cursor,
    enabled: loaded ? more : open && count > 0,
  });
  const children = [...(loaded ?? []), ...(reports.data?.pages.flatMap((page) => page.items) ?? [])];
  const hasMore = loaded && !more ? !!moreFrom : reports.hasNextPage;
  return (
    <li>
      <PersonBox person={person} current={current} />
      {count > 0 && !loaded && (
        <button
          type="button"
          className="org-expander"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide' : 'Show'} {count} report{count === 1 ? '' : 's'}
          <span className="visually-hidden"> of {person.name}</span>
        </button>
      )}
      {open && reports.isFetching && children.length === 0 && (
        <Loading label={`Loading ${person.name}'s reports`} />
      )}
      {open && children.length > 0 && (
        <ul>
          {children.map((child) => (
            <OrgNode key={child.userId} person={child} />
          ))}
          {hasMore && (
            <li className="org-more">
              <button
                type="button"
                disabled={reports.isFetchingNextPage}
                onClick={() => (loaded && !more ? setMore(true) : void reports.fetchNextPage())}
              >
                Show more reports<span className="visually-hidden"> of {person.name}</span>
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

function SetManager({ person, manager }: { person: ChartPerson; manager?: DirectoryPerson }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (managerId: string | null) =>
      api<ChartPerson>('PUT', `/people/${enc(person.userId)}/manager`, { managerId }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['org-chart'] });
      void client.invalidateQueries({ queryKey: ['org-reports'] });
    },
  });
  return (
    <section className="set-manager" aria-labelledby="set-manager-title">
      <h2 id="set-manager-title">Manager of {person.name}</h2>
      <p>{manager ? `Now: ${manager.name}` : 'Nobody: at the top.'}</p>
      <PersonFinder label="New manager" onPick={(picked) => save.mutate(picked.userId)} />
      {manager && (
        <button type="button" onClick={() => save.mutate(null)} disabled={save.isPending}>
          Remove manager
        </button>
      )}
      {save.isError && (
        <p role="alert" className="notice notice-error">
          Not saved: {save.error.message}
        </p>
      )}
      {save.isSuccess && <p role="status">Saved.</p>}
    </section>
  );
}
