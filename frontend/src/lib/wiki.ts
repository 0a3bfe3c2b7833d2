/** Client routes of the wiki, and the query every wiki screen shares: all pages of a space. */
import { useQuery } from '@tanstack/react-query';
import { enc, get, query } from '../api/client';
import { keys } from '../api/query-keys';
import type { Page, WikiPageSummary } from '../api/types';

export const pagePath = (spaceId: string, pageId: string) =>
  `/spaces/${encodeURIComponent(spaceId)}/pages/${encodeURIComponent(pageId)}`;

export const wikiPath = (spaceId: string) => `/spaces/${encodeURIComponent(spaceId)}/pages`;

/** The editor for a new page (not under /pages/, where any id may stand, `new` included). */
export const newPagePath = (spaceId: string, options: { id?: string; parent?: string } = {}) => {
  const query = new URLSearchParams(Object.entries(options).filter(([, v]) => v) as [string, string][]);
  return `/spaces/${encodeURIComponent(spaceId)}/new-page${query.size ? `?${query}` : ''}`;
};

/** Reads every page of the space (100 at a time): the tree needs them all. */
async function allPages(spaceId: string, signal: AbortSignal): Promise<WikiPageSummary[]> {
  const pages: WikiPageSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<Page<WikiPageSummary>>(
      `/spaces/${enc(spaceId)}/pages${query({ limit: 100, cursor })}`,
      signal,
    );
    pages.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return pages;
}

export function useWikiPages(spaceId: string) {
  return useQuery({ queryKey: keys.pages(spaceId), queryFn: ({ signal }) => allPages(spaceId, signal) });
}

/** The pages below `pageId`, at any depth (a page cannot move below one of them). */
export function descendantsOf(pages: WikiPageSummary[], pageId: string): Set<string> {
  const below = new Set<string>();
  let added = true;
  while (added) {
    added = false;
    for (const page of pages)
      if (page.parentId && (page.parentId === pageId || below.has(page.parentId)) && !below.has(page.id)) {
        below.add(page.id);
        added = true;
      }
  }
  return below;
}

/**
 * Marks the `[[links]]` of rendered wiki HTML that lead to pages not written yet, so they read as
 * "create this page" links (class `page-missing`, and words for screen readers) instead of looking
 * like links to pages that exist. The HTML is the sanitizer's output, whose page links have exactly
 * this shape and hold only text; nothing else in it is touched. Until the page list is known,
 * nothing is marked.
 */
export function markMissingPages(html: string, pages: WikiPageSummary[] | undefined): string {
  if (!pages) return html;
  const existing = new Set(pages.map((page) => page.id));
  return html.replace(
    /<a href="(\/spaces\/[^"/]+\/pages\/([a-z0-9-]+))" class="page">([^<]*)<\/a>/g,
    (whole, href: string, pageId: string, text: string) =>
      existing.has(pageId)
        ? whole
        : `<a href="${href}" class="page page-missing" title="Not written yet: follow the link to create it">${text}<span class="visually-hidden"> (not written yet)</span></a>`,
  );
}
