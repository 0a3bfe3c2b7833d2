/**
 * A space's wiki pages as a tree (the Wiki tab of a space), read a level at a time: the top level
 * first, and the pages below a page only when its expander is opened (each level one request, however
 * large the wiki). The expanders are buttons with aria-expanded, so the tree works from the keyboard.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { enc, get, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Page, PageTreeEntry, Space } from '../api/types';
import { newPagePath, pagePath } from '../lib/wiki';
import { Empty, ErrorState, Loading } from './States';
import { Time } from './Time';

const LEVEL_SIZE = 100;

function useTreeLevel(spaceId: string, parent: string | undefined) {
  return useInfiniteQuery({
    queryKey: keys.pageTree(spaceId, parent),
    queryFn: ({ pageParam, signal }) =>
      get<Page<PageTreeEntry>>(
        `/spaces/${enc(spaceId)}/page-tree${query({ parent, limit: LEVEL_SIZE, cursor: pageParam })}`,
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
}

export function WikiTree({ space }: { space: Space }) {
  const top = useTreeLevel(space.id, undefined);
  if (top.isPending) return <Loading label="Loading pages" />;
  if (top.isError) return <ErrorState error={top.error} retry={() => void top.refetch()} />;
  const entries = top.data.pages.flatMap((page) => page.items);
  if (entries.length === 0 && !top.hasNextPage)
    return (
      <Empty title="No wiki pages yet">
        {space.permissions.contribute && (
          <p>
            <Link to={newPagePath(space.id)}>Write the first one</Link>.
          </p>
        )}
      </Empty>
    );
  return (
    <nav aria-label={`Wiki pages of ${space.name}`} className="wiki">
      <Level spaceId={space.id} level={top} entries={entries} className="wiki-tree" />
    </nav>
  );
}

function Level({
  spaceId,
  level,
  entries,
  id,
  className,
}: {
  spaceId: string;
  level: ReturnType<typeof useTreeLevel>;
  entries: PageTreeEntry[];
  id?: string;
  className?: string;
}) {
  return (
    <ul id={id} className={className}>
      {entries.map((entry) => (
        <TreeItem key={entry.id} spaceId={spaceId} entry={entry} />
      ))}
      {level.hasNextPage && (
        <li>
          <button
            type="button"
            className="link-button"
            disabled={level.isFetchingNextPage}
            onClick={() => void level.fetchNextPage()}
          >
            {level.isFetchingNextPage ? 'Loading more…' : 'More pages'}
          </button>
        </li>
      )}
    </ul>
  );
}

function TreeItem({ spaceId, entry }: { spaceId: string; entry: PageTreeEntry }) {
  const [open, setOpen] = useState(false);
  const childrenId = useId();
  return (
    <li>
      {entry.hasChildren ? (
        <button
          type="button"
          className="tree-toggle"
          aria-expanded={open}
          aria-controls={open ? childrenId : undefined}
          aria-label={`Pages below ${entry.title}`}
          onClick={() => setOpen((was) => !was)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
      ) : (
        <span className="tree-toggle-space" aria-hidden="true" />
      )}
      <Link to={pagePath(spaceId, entry.id)}>{entry.title}</Link>{' '}
      <span className="muted small">
        <Time iso={entry.updatedAt} />
      </span>
      {open && <Children spaceId={spaceId} parent={entry.id} id={childrenId} />}
    </li>
  );
}

function Children({ spaceId, parent, id }: { spaceId: string; parent: string; id: string }) {
  const level = useTreeLevel(spaceId, parent);
  if (level.isPending)
    return (
      <p id={id} className="muted small" role="status">
        Loading pages…
      </p>
    );
  if (level.isError) return <ErrorState error={level.error} retry={() => void level.refetch()} />;
  return (
    <Level spaceId={spaceId} level={level} entries={level.data.pages.flatMap((page) => page.items)} id={id} />
  );
}
