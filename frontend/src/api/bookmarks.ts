/** Queries the bookmark screens share: who saved a link, my tags and the company's, my bundles, spaces to save into. */
import { useQuery } from '@tanstack/react-query';
import { get, query } from './client';
import { keys } from './query-keys';
import type { BookmarkBundle, BookmarkLookup, Page, Space, TagCloud } from './types';

/** My save of a URL and who else saved it (as far as I may see); one small request per link shown. */
export function useBookmarkLookup(url: string | undefined) {
  return useQuery({
    queryKey: keys.bookmarkLookup(url ?? ''),
    queryFn: ({ signal }) => get<BookmarkLookup>(`/bookmarks/lookup${query({ url })}`, signal),
    enabled: !!url,
    staleTime: 60_000,
  });
}

/** `enabled: false` for a partner's company cloud: it is for employees, the API refuses it. */
export function useBookmarkTags(whose: 'mine' | 'company', { enabled = true } = {}) {
  return useQuery({
    enabled,
    queryKey: keys.bookmarkTags(whose),
    queryFn: ({ signal }) =>
      get<TagCloud>(whose === 'mine' ? '/me/bookmark-tags' : '/bookmark-tags?limit=60', signal),
  });
}

export function useBookmarkBundles() {
  return useQuery({
    queryKey: keys.bookmarkBundles(),
    queryFn: ({ signal }) => get<{ items: BookmarkBundle[] }>('/me/bookmark-bundles', signal),
  });
}

/**
 * The spaces I may save links into (editor or owner): the same request, and so the same cache entry,
 * as the space names other screens read.
 */
export function useWritableSpaces() {
  return useQuery({
    queryKey: keys.spaceNames(),
    queryFn: ({ signal }) => get<Page<Space>>('/spaces?scope=mine&limit=100', signal),
    staleTime: 5 * 60_000,
    select: (page) => page.items.filter((space) => space.myRole === 'owner' || space.myRole === 'editor'),
  });
}
