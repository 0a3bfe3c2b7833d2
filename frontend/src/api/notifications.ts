/**
 * The unread count and live updates. Live: one WebSocket transport, AppSync Events' protocol, in AWS
 * (the Event API) and locally (the local server speaks the same protocol); each message refreshes the
 * unread count and the inbox. While subscribed, polling slows to a safety net; when the socket fails
 * the bell polls every few seconds again and reconnects with back-off; where no realtime endpoint is
 * configured it only polls.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { get, isApiError, liveSettings } from './client';
import { keys } from './query-keys';
import type { UnreadCount } from './types';

export const UNREAD_POLL_MS = 5_000;
/** While the live subscription is open: only a safety net. */
export const UNREAD_POLL_LIVE_MS = 60_000;

let live = false;
const liveListeners = new Set<() => void>();
function setLive(next: boolean) {
  if (live === next) return;
  live = next;
  for (const listener of liveListeners) listener();
}
const subscribeLive = (listener: () => void) => {
  liveListeners.add(listener);
  return () => liveListeners.delete(listener);
};

/** Whether the live subscription is open now. */
export const useLiveState = () => useSyncExternalStore(subscribeLive, () => live);

export function useUnreadCount() {
  const isLive = useLiveState();
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
        : isLive
          ? UNREAD_POLL_LIVE_MS
          : UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 0,
  });
}

/** AppSync Events' WebSocket sub-protocol (AWS and the local server alike). */
export const EVENT_PROTOCOL = 'aws-appsync-event-ws';

/** The socket URL and the host named in the auth header: a path is on the page's own host. */
export function liveEndpoint(
  live: { realtimeUrl: string; httpHost?: string },
  page: Pick<Location, 'protocol' | 'host'>,
): { url: string; host: string } {
  if (live.realtimeUrl.startsWith('/'))
    return {
      url: `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}${live.realtimeUrl}`,
      host: live.httpHost ?? page.host,
    };
  return { url: live.realtimeUrl, host: live.httpHost ?? new URL(live.realtimeUrl).host };
}

/** The `header-<base64url JSON>` sub-protocol carrying the authorization (never in the URL). */
export function authProtocol(authorization: Record<string, string>): string {
  const base64 = btoa(JSON.stringify(authorization));
  return `header-${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Our user id, as the channel rule reads it: the access token's `sub`. */
export function subjectOf(token: string): string | undefined {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const sub = (JSON.parse(atob(payload)) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a live subscription open while mounted (the bell, in every signed-in screen), over AppSync
 * Events' WebSocket protocol in AWS and locally alike: connect with the token in the header
 * sub-protocol, `connection_init`, then `subscribe` to `/notifications/<own id>`; each `data` message
 * refreshes the unread count and the inbox. Where no endpoint is configured the bell just polls. When
 * the socket closes (its token expired, the network, `ka` silent for longer than the server allows) it
 * connects again with the current token, after 2 s doubling to a minute; a refused subscription stops
 * it for this page view.
 */
export function useLiveNotifications() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!liveSettings().live) return;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let silence: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let delay = 2_000;
    const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.notifications() });
    const again = () => {
      setLive(false);
      clearTimeout(silence);
      if (stopped) return;
      retry = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60_000);
    };
    function connect() {
      const { live, token } = liveSettings();
      const userId = token ? subjectOf(token) : undefined;
      if (!live || !token || !userId) return again();
      const { url, host } = liveEndpoint(live, window.location);
      const authorization = { host, Authorization: token };
      let timeoutMs = 300_000;
      const watchdog = () => {
        clearTimeout(silence);
        silence = setTimeout(() => current.close(), timeoutMs);
      };
      const current = new WebSocket(url, [EVENT_PROTOCOL, authProtocol(authorization)]);
      socket = current;
      current.onopen = () => current.send(JSON.stringify({ type: 'connection_init' }));
      current.onmessage = (message) => {
        let data: { type?: string; connectionTimeoutMs?: number };
        try {
          data = JSON.parse(String(message.data));
        } catch {
          return;
        }
        watchdog();
        if (data.type === 'connection_ack') {
          timeoutMs = data.connectionTimeoutMs ?? timeoutMs;
          watchdog();
          current.send(
            JSON.stringify({
              type: 'subscribe',
              id: crypto.randomUUID(),
              channel: `/notifications/${userId}`,
              authorization,
            }),
          );
        } else if (data.type === 'subscribe_success') {
          setLive(true);
          delay = 2_000;
          // Whatever arrived while we were not connected.
          refresh();
        } else if (data.type === 'data') {
          refresh();
        } else if (data.type === 'subscribe_error') {
          stopped = true;
          current.close();
        }
      };
      current.onclose = () => {
        if (socket === current) again();
      };
    }
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(silence);
      socket?.close();
      setLive(false);
    };
  }, [queryClient]);
}

/** "3 unread", "more than 100 unread", or nothing when all is read. */
export function unreadText(count: UnreadCount | undefined): string | undefined {
  if (!count || (count.unread === 0 && !count.more)) return undefined;
  return `${count.more ? `more than ${count.unread}` : count.unread} unread`;
}
