/**
 * The local server's own timeouts (issue 14, item 8): 20 connections that drip their headers and 10
 * that drip their body, a line or a byte at a time, were all still open after 25 s. With the limits
 * set (shortened here), each is answered 408 and closed soon after its limit, while an ordinary
 * request on another connection is served meanwhile.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ timeouts: { headersMs: 1000, requestMs: 2000, keepAliveMs: 500 } });
});
afterAll(() => rt.close());

interface Drip {
  closedAfterMs: Promise<number>;
  answer: () => string;
  stop: () => void;
}

/** Opens a connection, sends `head`, then one `drip` every 200 ms until the server closes it. */
function slowClient(head: string, drip: string): Drip {
  const port = Number(new URL(rt.url).port);
  const socket = net.connect(port, '127.0.0.1');
  const opened = Date.now();
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    received += chunk;
  });
  socket.on('error', () => undefined);
  socket.write(head);
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(drip);
  }, 200);
  const closedAfterMs = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - opened);
    }),
  );
  return {
    closedAfterMs,
    answer: () => received,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

describe('slow-drip connections', () => {
  it('are answered 408 and closed after the header and request limits; others are served meanwhile', async () => {
    const headers = Array.from({ length: 20 }, (_, i) =>
      slowClient(`GET /api/health HTTP/1.1\r\nHost: localhost\r\n`, `X-Drip-${i}: x\r\n`),
    );
    // Signed in, so the API waits for the body rather than answering 401 at once.
    const token = await rt.tokenFor('alice');
    const bodies = Array.from({ length: 10 }, () =>
      slowClient(
        `POST /api/spaces HTTP/1.1\r\nHost: localhost\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
        ' ',
      ),
    );
    try {
      const served = await fetch(`${rt.url}/api/health`);
      expect(served.status).toBe(200);
      const deadline = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 8000).unref());
      const headerTimes = await Promise.all(headers.map((c) => Promise.race([c.closedAfterMs, deadline])));
      const bodyTimes = await Promise.all(bodies.map((c) => Promise.race([c.closedAfterMs, deadline])));
      // Closed within the limit plus the once-a-second check, not held open.
      for (const ms of headerTimes) expect(ms).toBeLessThan(3500);
      for (const ms of bodyTimes) expect(ms).toBeLessThan(4500);
      for (const client of [...headers, ...bodies]) expect(client.answer()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      for (const client of [...headers, ...bodies]) client.stop();
    }
  }, 20_000);
});
