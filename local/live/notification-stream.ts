/**
 * Live notifications, locally: Server-Sent Events at `GET /api/me/notifications/stream`. The caller
 * proves who they are with the same bearer token as every API call, in the Authorization header (the
 * web client reads the stream with fetch, since EventSource cannot send headers; no token ever goes in
 * a URL, where logs would keep it). The fan-out tells the hub of each inbox item it writes
 * (`LiveChannel`), and the hub writes it to that recipient's open streams only. A stream ends when its
 * token expires (the client connects again with a fresh one), and a comment line every 20 s keeps
 * proxies from closing an idle connection. In AWS the managed channel takes this role (docs/architecture.md).
 */
import type http from 'node:http';
import { decodeJwt } from 'jose';
import type { Authenticator } from '../../functions/api/middleware/authenticate';
import { PROBLEM_BASE } from '../../functions/api/problem';
import type { Notification } from '../../functions/domain/subscriptions/notification';
import type { LiveChannel } from '../../functions/streams/fanout';

export const NOTIFICATION_STREAM_PATH = '/api/me/notifications/stream';
const KEEP_ALIVE_MS = 20_000;

type Listener = (notification: Notification) => void;

export class NotificationHub implements LiveChannel {
  private readonly listeners = new Map<string, Set<Listener>>();

  published(notification: Notification) {
    for (const listener of this.listeners.get(notification.recipientId) ?? []) listener(notification);
  }

  subscribe(userId: string, listener: Listener): () => void {
    if (!this.listeners.has(userId)) this.listeners.set(userId, new Set());
    this.listeners.get(userId)!.add(listener);
    return () => {
      const set = this.listeners.get(userId);
      set?.delete(listener);
      if (set?.size === 0) this.listeners.delete(userId);
    };
  }

  /** Open streams, per user (tests, health). */
  connections(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }
}

/** Answers `GET /api/me/notifications/stream`: 401 without a valid token, else an event stream. */
export async function serveNotificationStream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  hub: NotificationHub,
  authenticator: Authenticator,
) {
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET', 'content-type': 'application/problem+json' });
    res.end(problem(405, 'method-not-allowed', 'Method not allowed', 'The stream is read with GET'));
    return;
  }
  const authorization = req.headers.authorization;
  let userId: string;
  let expiresAt: number | undefined;
  try {
    userId = (await authenticator({ authorization, authorizerClaims: undefined })).userId;
    const exp = decodeJwt(authorization!.replace(/^Bearer\s+/i, '')).exp;
    expiresAt = exp ? exp * 1000 : undefined;
  } catch {
    res.writeHead(401, { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' });
    res.end(problem(401, 'unauthenticated', 'Unauthenticated', 'Sign in to receive live notifications'));
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
  const unsubscribe = hub.subscribe(userId, (n) => {
    const data = { id: n.id, event: n.event, reason: n.reason, createdAt: n.createdAt };
    res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(data)}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  const expiry = expiresAt
    ? setTimeout(() => res.end(), Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)))
    : undefined;
  const close = () => {
    unsubscribe();
    clearInterval(keepAlive);
    clearTimeout(expiry);
  };
  res.on('close', close);
  req.on('close', close);
}

function problem(status: number, type: string, title: string, detail: string) {
  return JSON.stringify({ type: `${PROBLEM_BASE}${type}`, title, status, detail });
}
