/**
 * The home feed: activity that grows as you scroll (an IntersectionObserver on a sentinel), with a
 * "Load more" button for keyboards and for browsers that do not scroll. A page of the feed can come
 * back with fewer items than asked — even none — and a cursor (what you can no longer read is left
 * out), so an empty page with a cursor fetches the next one by itself.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { get } from '../api/client';
import { keys } from '../api/query-keys';
import type { FeedItem, Page } from '../api/types';
import { useLoadMoreOnScroll } from '../lib/useLoadMoreOnScroll';
import { FeedCard } from './FeedCard';
import { ErrorState, Loading } from './States';

export function ActivityFeed({ empty, label }: { empty: ReactNode; label: string }) {
  const feed = useInfiniteQuery({
    queryKey: keys.feed(),
    queryFn: ({ pageParam, signal }) => {
      const cursor = pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : '';
      return get<Page<FeedItem>>(`/feed?limit=20${cursor}`, signal);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;
  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];
  const lastPageEmpty = (feed.data?.pages.at(-1)?.items.length ?? 1) === 0;

  useEffect(() => {
    if (lastPageEmpty && hasNextPage && !isFetchingNextPage && !feed.isFetchNextPageError)
      void fetchNextPage();
  }, [lastPageEmpty, hasNextPage, isFetchingNextPage, fetchNextPage, feed.isFetchNextPageError]);

  useLoadMoreOnScroll(sentinel, { hasNextPage, isFetchingNextPage, fetchNextPage });

  if (feed.isPending) return <Loading label={`Loading ${label}`} />;
  // A failed next page keeps what is already shown; only a failed first page replaces the list.
  if (!feed.data) return <ErrorState error={feed.error} retry={() => void feed.refetch()} />;
  if (items.length === 0 && !hasNextPage) return <>{empty}</>;
  if (items.length === 0 && !feed.isFetchNextPageError) return <Loading label={`Loading ${label}`} />;
  return (
    <section aria-label={label} className="post-feed">
      <ul className="plain-list">
        {items.map((item) => (
          <li key={`${item.kind}/${item.spaceId}/${item.id}/${item.at}`}>
            <FeedCard item={item} />
          </li>
        ))}
      </ul>
      <div ref={sentinel} className="feed-end">
        {feed.isFetchNextPageError && <ErrorState error={feed.error} retry={() => void fetchNextPage()} />}
        {hasNextPage ? (
          <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        ) : (
          <p className="muted">You have reached the end.</p>
        )}
      </div>
    </section>
  );
}
