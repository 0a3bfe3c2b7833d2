/** A space's wiki pages as a tree (the Wiki tab of a space). */
import { Link } from 'react-router';
import type { Space, WikiPageSummary } from '../api/types';
import { newPagePath, pagePath, useWikiPages } from '../lib/wiki';
import { Empty, ErrorState, Loading } from './States';
import { Time } from './Time';

export function WikiTree({ space }: { space: Space }) {
  const pages = useWikiPages(space.id);
  if (pages.isPending) return <Loading label="Loading pages" />;
  if (pages.isError) return <ErrorState error={pages.error} retry={() => void pages.refetch()} />;
  if (pages.data.length === 0)
    return (
      <Empty title="No wiki pages yet">
        {space.permissions.contribute && (
          <p>
            <Link to={newPagePath(space.id)}>Write the first one</Link>.
          </p>
        )}
      </Empty>
    );
  const ids = new Set(pages.data.map((p) => p.id));
  const children = new Map<string | undefined, WikiPageSummary[]>();
  for (const page of pages.data) {
    // A page whose parent is gone shows at the top rather than not at all.
    const parent = page.parentId && ids.has(page.parentId) ? page.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), page]);
  }
  const branch = (parent: string | undefined, depth: number) => (
    <ul className={depth === 0 ? 'wiki-tree' : undefined}>
      {(children.get(parent) ?? []).map((page) => (
        <li key={page.id}>
          <Link to={pagePath(space.id, page.id)}>{page.title}</Link>{' '}
          <span className="muted small">
            <Time iso={page.updatedAt} />
          </span>
          {children.has(page.id) && depth < 50 && branch(page.id, depth + 1)}
        </li>
      ))}
    </ul>
  );
  return (
    <nav aria-label={`Wiki pages of ${space.name}`} className="wiki">
      {branch(undefined, 0)}
    </nav>
  );
}
