/**
 * A list of posts that grows as you scroll (an IntersectionObserver on a sentinel), with a
 * "Load more" button for keyboards and for browsers that do not scroll.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useRef } from 'react';
import { get } from '../api/client';
import { useSpaceNames } from '../api/queries';
import type { Page, PostSummary } from '../api/types';
import { useLoadMoreOnScroll } from '../lib/useLoadMoreOnScroll';
import { PostCard } from './PostCard';
import { Empty, ErrorState, Loading } from './States';

export function PostFeed({
  queryKey,
  path,
  empty,
  showSpace = true,
  label,
}: {
  queryKey: readonly unknown[];
  path: string;
  empty: ReactNode;
  showSpace?: boolean;
  label: string;
}) {
  const feed = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => {
      const separator = path.includes('?') ? '&' : '?';
      const cursor = pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : '';
      return get<Page<PostSummary>>(`${path}${separator}limit=20${cursor}`, signal);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  const spaceNames = useSpaceNames();
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;

  useLoadMoreOnScroll(sentinel, { hasNextPage, isFetchingNextPage, fetchNextPage });

  if (feed.isPending) return <Loading label={`Loading ${label}`} />;
  // A failed next page keeps what is already shown; only a failed first page replaces the list.
  if (!feed.data) return <ErrorState error={feed.error} retry={() => void feed.refetch()} />;
  const posts = feed.data.pages.flatMap((page) => page.items);
  if (posts.length === 0) return <>{typeof empty === 'string' ? <Empty title={empty} /> : empty}</>;
  return (
    <section aria-label={label} className="post-feed">
      <ul className="plain-list">
        {posts.map((post) => (
          <li key={`${post.spaceId}/${post.id}`}>
            <PostCard post={post} showSpace={showSpace} spaceName={spaceNames.get(post.spaceId)} />
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
