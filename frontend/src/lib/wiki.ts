/** Client routes of the wiki, and the lookups of pages by id its screens share. */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { enc, get, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { PageTreeEntry } from '../api/types';

export const pagePath = (spaceId: string, pageId: string) =>
  `/spaces/${encodeURIComponent(spaceId)}/pages/${encodeURIComponent(pageId)}`;

export const wikiPath = (spaceId: string) => `/spaces/${encodeURIComponent(spaceId)}/pages`;

/** The editor for a new page (not under /pages/, where any id may stand, `new` included). */
export const newPagePath = (spaceId: string, options: { id?: string; parent?: string } = {}) => {
  const query = new URLSearchParams(Object.entries(options).filter(([, v]) => v) as [string, string][]);
  return `/spaces/${encodeURIComponent(spaceId)}/new-page${query.size ? `?${query}` : ''}`;
};

/** At most this many page ids are looked up at once (the API's limit: one BatchGetItem). */
const NODES_AT_ONCE = 100;

/**
 * The tree nodes (title, parent) of the pages named that exist: one request for up to 100 ids,
 * whatever the size of the wiki. Under the `pages` key, so a page written or deleted refreshes it.
 */
export function usePageNodes(spaceId: string, pageIds: readonly string[]) {
  const ids = [...new Set(pageIds)].sort().slice(0, NODES_AT_ONCE);
  return useQuery({
    queryKey: keys.pageNodes(spaceId, ids),
    queryFn: ({ signal }) =>
      get<{ items: PageTreeEntry[] }>(
        `/spaces/${enc(spaceId)}/page-tree/nodes${query({ ids: ids.join(',') })}`,
        signal,
      ),
    enabled: ids.length > 0,
  });
}

/** The linked pages known not to exist yet (empty until the lookup answers). */
export function useMissingPages(spaceId: string, linkedIds: readonly string[]): ReadonlySet<string> {
  const nodes = usePageNodes(spaceId, linkedIds);
  return useMemo(() => {
    if (!nodes.data) return new Set<string>();
    const existing = new Set(nodes.data.items.map((node) => node.id));
    const checked = [...new Set(linkedIds)].sort().slice(0, NODES_AT_ONCE);
    return new Set(checked.filter((id) => !existing.has(id)));
  }, [nodes.data, linkedIds]);
}

/**
 * Marks the `[[links]]` of rendered wiki HTML that lead to pages not written yet, so they read as
 * "create this page" links (class `page-missing`, and words for screen readers) instead of looking
 * like links to pages that exist. The HTML is the sanitizer's output, whose page links have exactly
 * this shape and hold only text; nothing else in it is touched. Only links known to be missing are
 * marked.
 */
export function markMissingPages(html: string, missing: ReadonlySet<string>): string {
  if (missing.size === 0) return html;
  return html.replace(
    /<a href="(\/spaces\/[^"/]+\/pages\/([a-z0-9-]+))" class="page">([^<]*)<\/a>/g,
    (whole, href: string, pageId: string, text: string) =>
      !missing.has(pageId)
        ? whole
        : `<a href="${href}" class="page page-missing" title="Not written yet: follow the link to create it">${text}<span class="visually-hidden"> (not written yet)</span></a>`,
  );
}
