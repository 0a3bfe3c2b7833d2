/**
 * A wiki page: its rendered text (sanitized by the server), who changed it last, the pages that link
 * here, and its history with a line diff of any version against the current one and restore. A link
 * to a page that does not exist yet offers to create it, wiki style.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { diffLines } from 'diff';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type ApiError, api, enc, get, isApiError, query } from '../api/client';
import { ownerPath } from '../api/files';
import { useSpace } from '../api/queries';
import { keys } from '../api/query-keys';
import type { Page, PageVersion, PageVersionSummary, WikiPage as WikiPageType } from '../api/types';
import { Attachments } from '../components/Attachments';
import { PersonName } from '../components/People';
import { spaceLabel } from '../components/PostCard';
import { ServerHtml } from '../components/ServerHtml';
import { ErrorState, Loading } from '../components/States';
import { WatchButtons } from '../components/SubscribeButtons';
import { Time } from '../components/Time';
import { useTitle } from '../lib/useTitle';
import { markMissingPages, newPagePath, pagePath, useMissingPages, wikiPath } from '../lib/wiki';

const NO_LINKS: string[] = [];

export default function WikiPage({ view }: { view: 'page' | 'history' }) {
  const { spaceId = '', pageId = '' } = useParams();
  const page = useQuery({
    queryKey: keys.page(spaceId, pageId),
    queryFn: ({ signal }) => get<WikiPageType>(`/spaces/${enc(spaceId)}/pages/${enc(pageId)}`, signal),
  });
  const space = useSpace(spaceId);
  const missing = useMissingPages(spaceId, page.data?.links ?? NO_LINKS);
  const html = useMemo(
    () => (page.data ? markMissingPages(page.data.html, missing) : ''),
    [page.data, missing],
  );
  useTitle(page.data?.title ?? (page.isError ? 'Page not found' : undefined));
  if (page.isPending) return <Loading label="Loading page" />;
  if (page.isError) {
    if (isApiError(page.error, 'not-found')) return <MissingPage spaceId={spaceId} pageId={pageId} />;
    return <ErrorState error={page.error} retry={() => void page.refetch()} what="page" />;
  }
  const p = page.data;
  return (
    <div className="page page-narrow">
      <article className="post wiki-page" aria-labelledby="page-title">
        <header className="post-header">
          <p className="breadcrumb">
            <Link to={`/spaces/${encodeURIComponent(p.spaceId)}`}>
              {space.data?.name ?? spaceLabel(p.spaceId)}
            </Link>
            {' / '}
            <Link to={wikiPath(p.spaceId)}>Wiki</Link>
            {p.parentId && (
              <>
                {' / '}
                <Link to={pagePath(p.spaceId, p.parentId)}>Up</Link>
              </>
            )}
          </p>
          <h1 id="page-title">{p.title}</h1>
          <p className="meta">
            Version {p.version} · last changed by{' '}
            <PersonName id={p.updatedBy} name={p.updatedByName} org={p.updatedByOrg} />{' '}
            <Time iso={p.updatedAt} />
          </p>
          <nav className="actions" aria-label="Page actions">
            {p.permissions.edit && (
              <Link className="button primary" to={`${pagePath(p.spaceId, p.id)}/edit`}>
                Edit
              </Link>
            )}
            {p.permissions.edit && (
              <Link className="button" to={newPagePath(p.spaceId, { parent: p.id })}>
                Add a page below
              </Link>
            )}
            <Link
              className="button"
              to={view === 'history' ? pagePath(p.spaceId, p.id) : `${pagePath(p.spaceId, p.id)}/history`}
            >
              {view === 'history' ? 'Back to the page' : 'History'}
            </Link>
            <WatchButtons target={{ kind: 'page', spaceId: p.spaceId, pageId: p.id }} name={p.title} />
          </nav>
        </header>
        {view === 'page' ? (
          <>
            <ServerHtml className="prose post-body" html={html} />
            <Attachments owner={ownerPath(p.spaceId, 'page', p.id)} canAttach={p.permissions.edit} />
            <Backlinks spaceId={p.spaceId} pageId={p.id} />
            {p.permissions.delete && <DeletePage page={p} />}
          </>
        ) : (
          <History page={p} />
        )}
      </article>
    </div>
  );
}

function MissingPage({ spaceId, pageId }: { spaceId: string; pageId: string }) {
  const space = useSpace(spaceId);
  return (
    <div className="page page-narrow">
      <h1>This page does not exist yet</h1>
      <p>
        No page called “{pageId}” in {space.data ? space.data.name : 'this space'}, or you cannot see it.
      </p>
      <p className="actions">
        {space.data?.permissions.contribute && (
          <Link className="button primary" to={newPagePath(spaceId, { id: pageId })}>
            Create it
          </Link>
        )}
        <Link className="button" to={wikiPath(spaceId)}>
          All pages
        </Link>
      </p>
    </div>
  );
}

function Backlinks({ spaceId, pageId }: { spaceId: string; pageId: string }) {
  const backlinks = useInfiniteQuery({
    queryKey: keys.backlinks(spaceId, pageId),
    queryFn: ({ pageParam, signal }) =>
      get<Page<{ id: string; title: string }>>(
        `/spaces/${enc(spaceId)}/pages/${enc(pageId)}/backlinks${query({ limit: 50, cursor: pageParam })}`,
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  const links = backlinks.data?.pages.flatMap((page) => page.items) ?? [];
  if (!links.length) return null;
  return (
    <section className="backlinks" aria-labelledby="backlinks-title">
      <h2 id="backlinks-title">Pages that link here</h2>
      <ul>
        {links.map((link) => (
          <li key={link.id}>
            <Link to={pagePath(spaceId, link.id)}>{link.title}</Link>
          </li>
        ))}
      </ul>
      {backlinks.hasNextPage && (
        <button
          type="button"
          onClick={() => void backlinks.fetchNextPage()}
          disabled={backlinks.isFetchingNextPage}
        >
          {backlinks.isFetchingNextPage ? 'Loading more…' : 'More pages that link here'}
        </button>
      )}
    </section>
  );
}

function DeletePage({ page }: { page: WikiPageType }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation<unknown, ApiError>({
    mutationFn: () => api('DELETE', `/spaces/${enc(page.spaceId)}/pages/${enc(page.id)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.pages(page.spaceId) });
      queryClient.removeQueries({ queryKey: keys.page(page.spaceId, page.id) });
      navigate(wikiPath(page.spaceId), { replace: true });
    },
  });
  return (
    <div className="danger-zone">
      {confirming ? (
        <>
          <p>
            Delete “{page.title}” and all its {page.version} versions? This cannot be undone.
          </p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              {remove.isPending ? 'Deleting…' : 'Delete the page'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Delete page
        </button>
      )}
      {remove.isError && (
        <p role="alert" className="error-text">
          {remove.error.message}
        </p>
      )}
    </div>
  );
}

function History({ page }: { page: WikiPageType }) {
  const path = `/spaces/${enc(page.spaceId)}/pages/${enc(page.id)}`;
  const versions = useQuery({
    queryKey: keys.pageVersions(page.spaceId, page.id, page.version),
    queryFn: ({ signal }) =>
      get<Page<PageVersionSummary>>(`${path}/versions${query({ limit: 100 })}`, signal),
  });
  const [selected, setSelected] = useState<number>();
  const [restored, setRestored] = useState<{ from: number; to: number }>();
  if (versions.isPending) return <Loading label="Loading history" />;
  if (versions.isError) return <ErrorState error={versions.error} retry={() => void versions.refetch()} />;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol className="history" reversed>
        {versions.data.items.map((v) => (
          <li key={v.version} aria-current={v.version === selected ? 'true' : undefined}>
            <button
              type="button"
              className="link-button"
              aria-expanded={v.version === selected}
              onClick={() => setSelected(v.version === selected ? undefined : v.version)}
            >
              Version {v.version}
            </button>{' '}
            by <PersonName id={v.editedBy} name={v.editedByName} org={v.editedByOrg} />{' '}
            <Time iso={v.editedAt} />
            {v.summary && <span className="muted"> — {v.summary}</span>}
            {v.version === page.version && <span className="badge">Current</span>}
          </li>
        ))}
      </ol>
      {versions.data.cursor && <p className="muted small">Only the 100 newest versions are listed.</p>}
      {restored && (
        <p role="status" className="notice">
          Version {restored.from} is now the current version ({restored.to}).
        </p>
      )}
      {selected !== undefined && (
        <VersionDiff
          page={page}
          version={selected}
          onRestored={(to) => setRestored({ from: selected, to })}
        />
      )}
    </section>
  );
}

function VersionDiff({
  page,
  version,
  onRestored,
}: {
  page: WikiPageType;
  version: number;
  onRestored: (newVersion: number) => void;
}) {
  const queryClient = useQueryClient();
  const path = `/spaces/${enc(page.spaceId)}/pages/${enc(page.id)}`;
  const old = useQuery({
    queryKey: keys.pageVersion(page.spaceId, page.id, version),
    queryFn: ({ signal }) => get<PageVersion>(`${path}/versions/${version}`, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const restore = useMutation<WikiPageType, ApiError>({
    mutationFn: () => api('POST', `${path}/restore`, { fromVersion: version, version: page.version }),
    onSuccess: (restored) => {
      onRestored(restored.version);
      queryClient.setQueryData(keys.page(page.spaceId, page.id), restored);
      void queryClient.invalidateQueries({ queryKey: keys.pages(page.spaceId) });
    },
  });
  if (old.isPending) return <Loading label={`Loading version ${version}`} />;
  if (old.isError) return <ErrorState error={old.error} retry={() => void old.refetch()} />;
  const changes = diffLines(`${old.data.title}\n\n${old.data.body}\n`, `${page.title}\n\n${page.body}\n`);
  const same = changes.every((change) => !change.added && !change.removed);
  // One row per run of lines, in document order; the list is never reordered, so its position is its id.
  const rows = changes.map((change, position) => {
    const mark = change.added ? '+' : change.removed ? '−' : ' ';
    const text = change.value
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => `${mark} ${line}`)
      .join('\n');
    return {
      id: `${position}${mark}`,
      kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
      text,
    };
  });
  return (
    <section className="version-diff" aria-labelledby="diff-title">
      <h3 id="diff-title">
        Version {version} → current (version {page.version})
      </h3>
      {same ? (
        <p className="muted">No differences.</p>
      ) : (
        <figure aria-label="Changes, line by line">
          <pre className="diff">
            {rows.map((row) =>
              row.kind === 'added' ? (
                <ins key={row.id}>{`${row.text}\n`}</ins>
              ) : row.kind === 'removed' ? (
                <del key={row.id}>{`${row.text}\n`}</del>
              ) : (
                <span key={row.id}>{`${row.text}\n`}</span>
              ),
            )}
          </pre>
        </figure>
      )}
      {/* Restoring a version identical to the current one would only add a copy. */}
      {page.permissions.edit && version !== page.version && !same && (
        <div className="actions">
          <button type="button" disabled={restore.isPending} onClick={() => restore.mutate()}>
            {restore.isPending ? 'Restoring…' : `Restore version ${version}`}
          </button>
          <span className="muted small">Restoring adds a new version; nothing in the history is lost.</span>
        </div>
      )}
      {restore.isError && (
        <p role="alert" className="notice notice-error">
          {isApiError(restore.error, 'edit-conflict')
            ? 'Not restored: someone changed the page meanwhile. Reload the page to see the newest version.'
            : `Not restored: ${(restore.error as Error).message}`}
        </p>
      )}
    </section>
  );
}
