/** The unread count, polled: there is no live channel, so the bell asks every few seconds and on focus. */
import { useQuery } from '@tanstack/react-query';
import { get, isApiError } from './client';
import { keys } from './query-keys';
import type { UnreadCount } from './types';

export const UNREAD_POLL_MS = 5_000;

export function useUnreadCount() {
  return useQuery({
    queryKey: keys.unreadCount(),
    queryFn: ({ signal }) => get<UnreadCount>('/me/notifications/unread-count', signal),
    // A refused token or request will not change by asking again: wait for focus (or a new sign-in).
    refetchInterval: (q) =>
      q.state.status === 'error' &&
      isApiError(q.state.error) &&
      q.state.error.status < 500 &&
      q.state.error.status > 0
        ? false
        : UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

/** "3 unread", "more than 100 unread", or nothing when all is read. */
export function unreadText(count: UnreadCount | undefined): string | undefined {
  if (!count || (count.unread === 0 && !count.more)) return undefined;
  return `${count.more ? `more than ${count.unread}` : count.unread} unread`;
}
