/**
 * The unread count and live updates. Live: the client reads the notification stream (Server-Sent
 * Events from the local server, read with fetch so the token travels in a header) and, on each
 * message, refreshes the unread count and the inbox. While the stream is open, polling slows to a
 * safety net; when it fails the bell polls every few seconds again, and reconnects with back-off. Where
 * there is no stream (AWS today answers 404, see docs/architecture.md) the client stays on polling.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { get, isApiError, openStream } from './client';
import { keys } from './query-keys';
import type { UnreadCount } from './types';

export const UNREAD_POLL_MS = 5_000;
/** While the live stream is open: only a safety net. */
export const UNREAD_POLL_LIVE_MS = 60_000;
export const NOTIFICATION_STREAM_PATH = '/me/notifications/stream';

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

/** Whether the live stream is open now. */
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

/** Blocks of an event stream (`event:` and `data:` lines), as they arrive. */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
      if (!block.split('\n').every((line) => line.startsWith(':'))) yield { event, data };
    }
  }
}

/**
 * Keeps the live stream open while mounted (the bell, in every signed-in screen): a `notification`
 * message refreshes the unread count and the inbox. Reconnects after a failure (2 s, doubling to a
 * minute); gives up for this page view on 401, 404 or 405 (signed out, or no stream where deployed).
 */
export function useLiveNotifications() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const controller = new AbortController();
    let delay = 2_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const response = await openStream(NOTIFICATION_STREAM_PATH, controller.signal);
        if ([401, 403, 404, 405].includes(response.status)) return;
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        for await (const { event } of serverSentEvents(response.body)) {
          if (event === 'ready') {
            setLive(true);
            delay = 2_000;
            // Whatever arrived while we were not connected.
            void queryClient.invalidateQueries({ queryKey: keys.notifications() });
          }
          if (event === 'notification')
            void queryClient.invalidateQueries({ queryKey: keys.notifications() });
        }
        throw new Error('stream ended');
      } catch {
        setLive(false);
        if (controller.signal.aborted) return;
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 60_000);
      }
    };
    void connect();
    return () => {
      controller.abort();
      clearTimeout(timer);
      setLive(false);
    };
  }, [queryClient]);
}

/** "3 unread", "more than 100 unread", or nothing when all is read. */
export function unreadText(count: UnreadCount | undefined): string | undefined {
  if (!count || (count.unread === 0 && !count.more)) return undefined;
  return `${count.more ? `more than ${count.unread}` : count.unread} unread`;
}
