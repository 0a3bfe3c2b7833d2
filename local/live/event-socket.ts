/**
 * Live notifications, locally: the AppSync Events WebSocket protocol, spoken by the local server at
 * `/event/realtime`, so the web client has one transport in both places (docs/architecture.md, "Live
 * updates"). What AWS does, done here:
 *
 * - the handshake offers the sub-protocols `aws-appsync-event-ws` and `header-<base64url JSON>` with
 *   `host` and `Authorization` (the access token; never in the URL, where logs would keep it). The
 *   token is verified exactly as the API verifies it (the same authenticator, a partner's organisation
 *   checked too); without it the upgrade is refused with 401, without the protocol with 400;
 * - `connection_init` → `connection_ack` (with `connectionTimeoutMs`), then `ka` every `keepAliveMs`;
 * - `subscribe` (`id`, `channel`, `authorization`) → `subscribe_success`, or `subscribe_error` for a
 *   token that does not verify or any channel but the caller's own (`maySubscribe`, the rule the
 *   namespace's onSubscribe handler applies in AWS); `unsubscribe` → `unsubscribe_success`;
 * - each inbox item the fan-out writes (the hub, `LiveChannel`) goes to its recipient's subscriptions
 *   as `data` (`event`: the JSON text of `liveMessageOf`);
 * - publishing from a socket is refused (only the fan-out publishes, with IAM in AWS);
 * - the socket closes when the connection's token expires; the client connects again with a fresh one.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeJwt } from 'jose';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Authenticator } from '../../functions/api/middleware/authenticate';
import { liveMessageOf, maySubscribe } from '../../functions/domain/subscriptions/live-channel';
import type { Notification } from '../../functions/domain/subscriptions/notification';
import type { LiveChannel } from '../../functions/streams/live-announce';

export const EVENT_SOCKET_PATH = '/event/realtime';
export const EVENT_PROTOCOL = 'aws-appsync-event-ws';
/** What AppSync announces in `connection_ack`: the longest silence before a client should reconnect. */
const CONNECTION_TIMEOUT_MS = 300_000;
/** Close code when the connection's token expires (4xxx: application-defined). */
export const TOKEN_EXPIRED_CLOSE = 4401;

type Listener = (notification: Notification) => void;

/** The in-process channel the fan-out publishes to, per recipient. */
export class NotificationHub implements LiveChannel {
  private readonly listeners = new Map<string, Set<Listener>>();

  publish(notifications: Notification[]) {
    for (const notification of notifications)
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

  /** Open subscriptions, per user (tests, health). */
  connections(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }
}

export interface EventSocketOptions {
  hub: NotificationHub;
  authenticator: Authenticator;
  /** How often `ka` is sent. @default 60 s */
  keepAliveMs?: number;
}

/** The token of an `Authorization` value: AppSync takes the bare JWT; `Bearer <jwt>` is accepted too. */
function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  return /^Bearer\s+/i.test(value) ? value.trim() : `Bearer ${value.trim()}`;
}

/** The `header-…` sub-protocol decoded: `{ host, Authorization }`, or undefined. */
export function headerOfProtocols(protocols: string[]): Record<string, unknown> | undefined {
  const header = protocols.find((p) => p.startsWith('header-'));
  if (!header) return undefined;
  try {
    const value = JSON.parse(Buffer.from(header.slice('header-'.length), 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The AppSync Events endpoint of the local server; `handleUpgrade` is wired to the server's `upgrade`. */
export function createEventSocket({ hub, authenticator, keepAliveMs = 60_000 }: EventSocketOptions) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(EVENT_PROTOCOL) ? EVENT_PROTOCOL : false),
  });

  /** Verifies `Authorization` (and `host`) as the API would: the caller's user id and token expiry. */
  async function verify(
    authorization: Record<string, unknown> | undefined,
    host: string | undefined,
  ): Promise<{ userId: string; expiresAt?: number }> {
    const token = bearer(authorization?.Authorization ?? authorization?.authorization);
    if (!token || (host && authorization?.host !== host)) throw new Error('unauthorized');
    const { userId } = await authenticator({ authorization: token, authorizerClaims: undefined });
    const exp = decodeJwt(token.replace(/^Bearer\s+/i, '')).exp;
    return { userId, ...(exp ? { expiresAt: exp * 1000 } : {}) };
  }

  function refuse(socket: Duplex, status: number, detail: string) {
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: text/plain\r\n` +
        `content-length: ${Buffer.byteLength(detail)}\r\nconnection: close\r\n\r\n${detail}`,
    );
  }

  async function handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (!protocols.includes(EVENT_PROTOCOL))
      return refuse(socket, 400, `Offer the ${EVENT_PROTOCOL} sub-protocol`);
    const host = req.headers.host;
    let caller: Awaited<ReturnType<typeof verify>>;
    try {
      caller = await verify(headerOfProtocols(protocols), host);
    } catch {
      return refuse(socket, 401, 'The header sub-protocol carries no valid Authorization for this host');
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, caller, host));
  }

  function serve(ws: WebSocket, caller: { userId: string; expiresAt?: number }, host: string | undefined) {
    const subscriptions = new Map<string, () => void>();
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const errors = (errorType: string, message: string) => [{ errorType, message }];
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    const expiry = caller.expiresAt
      ? setTimeout(
          () => ws.close(TOKEN_EXPIRED_CLOSE, 'Token expired'),
          Math.max(0, Math.min(caller.expiresAt - Date.now(), 2 ** 31 - 1)),
        )
      : undefined;

    ws.on('message', async (data) => {
      let message: { type?: unknown; id?: unknown; channel?: unknown; authorization?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        return send({ type: 'error', errors: errors('BadRequestException', 'Messages are JSON') });
      }
      const id = typeof message.id === 'string' ? message.id : undefined;
      switch (message.type) {
        case 'connection_init':
          send({ type: 'connection_ack', connectionTimeoutMs: CONNECTION_TIMEOUT_MS });
          keepAlive ??= setInterval(() => send({ type: 'ka' }), keepAliveMs);
          return;
        case 'subscribe': {
          if (!id || typeof message.channel !== 'string')
            return send({
              type: 'subscribe_error',
              id,
              errors: errors('BadRequestException', 'id and channel'),
            });
          if (subscriptions.has(id))
            return send({ type: 'subscribe_error', id, errors: errors('BadRequestException', 'id in use') });
          let subscriber: string | undefined;
          try {
            subscriber = (await verify(message.authorization as Record<string, unknown>, host)).userId;
          } catch {
            subscriber = undefined;
          }
          // The same rule as the namespace's onSubscribe handler in AWS: one's own channel, exactly.
          if (!subscriber || subscriber !== caller.userId || !maySubscribe(subscriber, message.channel))
            return send({
              type: 'subscribe_error',
              id,
              errors: errors('UnauthorizedException', 'You may subscribe to your own channel only'),
            });
          subscriptions.set(
            id,
            hub.subscribe(subscriber, (n) =>
              send({ type: 'data', id, event: JSON.stringify(liveMessageOf(n)) }),
            ),
          );
          return send({ type: 'subscribe_success', id });
        }
        case 'unsubscribe': {
          const stop = id ? subscriptions.get(id) : undefined;
          if (!id || !stop)
            return send({
              type: 'unsubscribe_error',
              id,
              errors: errors('BadRequestException', 'No such id'),
            });
          stop();
          subscriptions.delete(id);
          return send({ type: 'unsubscribe_success', id });
        }
        case 'publish':
          return send({
            type: 'publish_error',
            id,
            errors: errors('UnauthorizedException', 'Only the notification fan-out publishes'),
          });
        default:
          return send({ type: 'error', id, errors: errors('UnsupportedOperation', 'Unknown message type') });
      }
    });
    ws.on('close', () => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
      clearInterval(keepAlive);
      clearTimeout(expiry);
    });
  }

  return {
    handleUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      void handleUpgrade(req, socket, head).catch(() => socket.destroy()),
    /** Closes every socket (the server's close waits for none of them). */
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
