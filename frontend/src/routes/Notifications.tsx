/**
 * The inbox: newest first, paged with the cursor; each item says who did what where and opens the
 * thing, marking the item read; unread items are marked for the eye and in words. Below it, what I
 * follow and watch, each with a way to stop. No live channel: the bell's polled count refreshes the
 * list when it changes.
 */
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { type ApiError, api, enc, get, query } from '../api/client';
import { useUnreadCount } from '../api/notifications';
import { keys } from '../api/query-keys';
import { targetOf, useFollows, useSetFollow, useSetWatch, useWatches } from '../api/subscriptions';
import type { MarkedAll, Notification, Page, UnreadCount, Watch } from '../api/types';
import { ExternalBadge } from '../components/People';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { notificationPath, whatHappened } from '../lib/notifications';
import { useTitle } from '../lib/useTitle';

type Inbox = InfiniteData<Page<Notification>, string | undefined>;

export default function Notifications() {
  useTitle('Notifications');
  const queryClient = useQueryClient();
  const inbox = useInfiniteQuery({
    queryKey: keys.inbox(),
    queryFn: ({ pageParam, signal }) =>
      get<Page<Notification>>(`/me/notifications${query({ limit: 20, cursor: pageParam })}`, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    refetchOnWindowFocus: true,
  });
  const unread = useUnreadCount();

  // The bell's count changed (something arrived, or was read elsewhere): read the list again.
  const lastCount = useRef<number | undefined>(undefined);
  const count = unread.data?.unread;
  useEffect(() => {
    if (count === undefined) return;
    if (lastCount.current !== undefined && lastCount.current !== count)
      void queryClient.invalidateQueries({ queryKey: keys.inbox() });
    lastCount.current = count;
  }, [count, queryClient]);

  const markRead = (n: Notification) => {
    if (n.read) return;
    // Shown read at once; the server is told, then both the list and the count are read again.
    showRead(queryClient, (item) => item.id === n.id);
    queryClient.setQueryData<UnreadCount>(keys.unreadCount(), (data) =>
      data && data.unread > 0 ? { ...data, unread: data.unread - 1 } : data,
    );
    lastCount.current = undefined;
    void api('POST', `/me/notifications/${enc(n.id)}/read`).finally(() =>
      queryClient.invalidateQueries({ queryKey: keys.notifications() }),
    );
  };

  const markAll = useMutation<void, ApiError>({
    mutationFn: async () => {
      // Up to 500 a call; a few calls cover any inbox a person reads.
      for (let i = 0; i < 10; i++) {
        const result = await api<MarkedAll>('POST', '/me/notifications/read-all');
        if (!result.more) break;
      }
    },
    onSuccess: () => showRead(queryClient, () => true),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.notifications() }),
  });

  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const anyUnread = (unread.data?.unread ?? 0) > 0 || items.some((n) => !n.read);
  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <h1>Notifications</h1>
          <p className="muted">Mentions, replies, and what happens in what you follow and watch.</p>
        </div>
        <div className="actions">
          <Link to="/preferences">Preferences</Link>
          <button type="button" onClick={() => markAll.mutate()} disabled={!anyUnread || markAll.isPending}>
            {markAll.isPending ? 'Marking…' : 'Mark all read'}
          </button>
        </div>
      </div>
      {markAll.isError && (
        <p role="alert" className="error-text">
          Not marked read: {markAll.error.message}
        </p>
      )}
      <section aria-labelledby="inbox-heading">
        <h2 id="inbox-heading" className="visually-hidden">
          Inbox
        </h2>
        {inbox.isPending ? (
          <Loading label="Loading notifications" />
        ) : inbox.isError ? (
          <ErrorState error={inbox.error} retry={() => void inbox.refetch()} />
        ) : items.length === 0 ? (
          <Empty title="Nothing here yet">
            <p>
              You are told here when someone mentions you or replies to you, and of new posts, comments and
              edits in what you follow and watch. Watch a space, a post, a wiki page or a tag, or follow a
              person, with the buttons on their pages.
            </p>
          </Empty>
        ) : (
          <>
            <ul className="inbox" aria-label="Notifications, newest first">
              {items.map((n) => (
                <NotificationItem key={n.id} n={n} onOpen={() => markRead(n)} />
              ))}
            </ul>
            {inbox.hasNextPage && (
              <button
                type="button"
                onClick={() => void inbox.fetchNextPage()}
                disabled={inbox.isFetchingNextPage}
              >
                {inbox.isFetchingNextPage ? 'Loading…' : 'Show more'}
              </button>
            )}
          </>
        )}
      </section>
      <Subscriptions />
    </div>
  );
}

function NotificationItem({ n, onOpen }: { n: Notification; onOpen: () => void }) {
  return (
    <li className={`inbox-item${n.read ? '' : ' unread'}`}>
      <span className="inbox-dot" aria-hidden="true" />
      <div>
        <p>
          {!n.read && <span className="visually-hidden">Unread: </span>}
          <Link className="inbox-link" to={notificationPath(n)} onClick={onOpen}>
            {n.actorName} {whatHappened(n)} “{n.title}”
          </Link>
          {' · '}
          {n.spaceName}
          {n.actorOrg && (
            <>
              {' '}
              <ExternalBadge org={n.actorOrg} />
            </>
          )}
        </p>
        {n.excerpt && <p className="muted small">{n.excerpt}</p>}
        <p className="meta small">
          <Time iso={n.createdAt} />
        </p>
      </div>
    </li>
  );
}

function watchLink(watch: Watch): string {
  const space = `/spaces/${encodeURIComponent(watch.spaceId ?? '')}`;
  switch (watch.kind) {
    case 'space':
      return space;
    case 'tag':
      return `/tags/${encodeURIComponent(watch.tag ?? '')}`;
    case 'post':
      return `${space}/posts/${encodeURIComponent(watch.postId ?? '')}`;
    case 'page':
      return `${space}/pages/${encodeURIComponent(watch.pageId ?? '')}`;
  }
}

/** Why a watch made for you is there ("auto": made before the cause was kept). */
const AUTO_WATCH_NOTES: Record<NonNullable<Watch['autoBecause']> | 'auto', string> = {
  created: 'you wrote it',
  commented: 'you commented',
  edited: 'you edited it',
  auto: 'watched automatically',
};

const KIND_NAMES: Record<Watch['kind'], string> = {
  space: 'Space',
  tag: 'Tag',
  post: 'Post',
  page: 'Wiki page',
};

function Subscriptions() {
  const watches = useWatches();
  const follows = useFollows();
  const setWatch = useSetWatch();
  const setFollow = useSetFollow();
  const error = setWatch.error ?? setFollow.error;
  return (
    <section aria-labelledby="subscriptions-heading" className="subscriptions">
      <h2 id="subscriptions-heading">What I follow and watch</h2>
      {error && (
        <p role="alert" className="error-text">
          {error.message}
        </p>
      )}
      <h3>People</h3>
      {follows.isPending ? (
        <Loading label="Loading the people you follow" />
      ) : follows.isError ? (
        <ErrorState error={follows.error} retry={() => void follows.refetch()} />
      ) : follows.data.length === 0 ? (
        <p className="muted">You follow nobody yet. Follow a person from their profile.</p>
      ) : (
        <ul className="plain-list" aria-label="People you follow or muted">
          {follows.data.map((follow) => (
            <li key={follow.userId}>
              <span>
                <Link to={`/people/${encodeURIComponent(follow.userId)}`}>{follow.name}</Link>
                {follow.level === 'muted' && <span className="badge">Muted</span>}
              </span>
              <button
                type="button"
                className="link-button"
                disabled={setFollow.isPending}
                onClick={() => setFollow.mutate({ userId: follow.userId, level: null })}
              >
                {follow.level === 'muted' ? 'Unmute' : 'Unfollow'}
                <span className="visually-hidden"> {follow.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Spaces, tags, posts and pages</h3>
      {watches.isPending ? (
        <Loading label="Loading what you watch" />
      ) : watches.isError ? (
        <ErrorState error={watches.error} retry={() => void watches.refetch()} />
      ) : watches.data.length === 0 ? (
        <p className="muted">You watch nothing yet. Use the Watch button on a space, post, page or tag.</p>
      ) : (
        <ul className="plain-list" aria-label="What you watch or muted">
          {watches.data.map((watch) => {
            const label = watch.kind === 'tag' ? `#${watch.tag}` : watch.label;
            return (
              <li key={watchLink(watch)}>
                <span>
                  <span className="muted small">{KIND_NAMES[watch.kind]}: </span>
                  <Link to={watchLink(watch)}>{label}</Link>
                  {watch.level === 'muted' && <span className="badge">Muted</span>}
                  {watch.auto && (
                    <span className="muted small"> ({AUTO_WATCH_NOTES[watch.autoBecause ?? 'auto']})</span>
                  )}
                </span>
                <button
                  type="button"
                  className="link-button"
                  disabled={setWatch.isPending}
                  onClick={() => setWatch.mutate({ target: targetOf(watch), level: null })}
                >
                  {watch.level === 'muted' ? 'Unmute' : 'Unwatch'}
                  <span className="visually-hidden"> {label}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Shows the inbox items that `which` picks as read at once, before the server's answer. */
function showRead(queryClient: QueryClient, which: (item: Notification) => boolean) {
  queryClient.setQueryData<Inbox>(keys.inbox(), (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((item) => (which(item) ? { ...item, read: true } : item)),
          })),
        }
      : data,
  );
}
