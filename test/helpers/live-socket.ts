/**
 * A client of the local server's live endpoint speaking AppSync Events' WebSocket protocol, as the
 * web client does: the token in the `header-…` sub-protocol, `connection_init`, `subscribe`. Collects
 * every message with the time it arrived.
 */
import WebSocket from 'ws';

export interface LiveMessage {
  type: string;
  id?: string;
  event?: string;
  errors?: { errorType: string; message?: string }[];
  connectionTimeoutMs?: number;
  at: number;
}

export function authProtocol(authorization: Record<string, string>): string {
  return `header-${Buffer.from(JSON.stringify(authorization)).toString('base64url')}`;
}

export interface LiveSocket {
  ws: WebSocket;
  messages: LiveMessage[];
  /** Sends a message and waits for the first reply of one of `types` with the same id (if any). */
  request(message: Record<string, unknown>, types: string[]): Promise<LiveMessage>;
  /** Waits for a message matching `match` (already received or coming), up to `ms`. */
  waitFor(match: (m: LiveMessage) => boolean, ms?: number): Promise<LiveMessage>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens the socket and completes connection_init → connection_ack. Rejects when the upgrade is refused. */
export async function openLiveSocket(
  baseUrl: string,
  token: string | undefined,
  options: { protocols?: string[]; host?: string } = {},
): Promise<LiveSocket> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/event/realtime`;
  const host = options.host ?? new URL(baseUrl).host;
  const protocols = options.protocols ?? [
    'aws-appsync-event-ws',
    authProtocol(token ? { host, Authorization: token } : { host }),
  ];
  const ws = new WebSocket(url, protocols);
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push({ ...JSON.parse(String(data)), at: Date.now() });
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const waitFor = (match: (m: LiveMessage) => boolean, ms = 5_000) =>
    new Promise<LiveMessage>((resolve, reject) => {
      const check = () => {
        const found = messages.find(match);
        if (!found) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching message within ${ms} ms: ${JSON.stringify(messages)}`));
      }, ms);
      if (!check()) waiters.add(check);
    });
  const request = (message: Record<string, unknown>, types: string[]) => {
    ws.send(JSON.stringify(message));
    return waitFor((m) => types.includes(m.type) && (message.id === undefined || m.id === message.id));
  };
  const ack = await request({ type: 'connection_init' }, ['connection_ack']);
  if (!ack.connectionTimeoutMs) throw new Error('connection_ack without connectionTimeoutMs');
  return { ws, messages, request, waitFor, closed, close: () => ws.close() };
}
