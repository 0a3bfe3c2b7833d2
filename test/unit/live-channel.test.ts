// The live channel's rule, in both of its forms: the onSubscribe handler deployed to AppSync Events
// (its very source text, run here with a stand-in for `util`) and `maySubscribe`, which the local
// server applies. Both take the user id from the token's `sub`, as the API's principal does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { principalFromClaims } from '../../functions/api/principal-from-claims';
import {
  LIVE_NAMESPACE,
  liveChannelOf,
  liveSubjectOf,
  maySubscribe,
  ON_SUBSCRIBE_CODE,
} from '../../functions/domain/subscriptions/live-channel';
import type { Notification } from '../../functions/domain/subscriptions/notification';
import { AppSyncEventsChannel, publishRequests } from '../../functions/platform/appsync-events';
import { announce } from '../../functions/streams/live-announce';

class Unauthorized extends Error {}

/** The deployed handler, evaluated: `import { util }` becomes a parameter, `export` is dropped. */
function deployedOnSubscribe(): (ctx: unknown) => void {
  const body = ON_SUBSCRIBE_CODE.replace(/^import .*$/m, '').replace(/^export /m, '');
  expect(body).not.toMatch(/\bimport\b|\bexport\b/);
  const util = {
    unauthorized() {
      throw new Unauthorized('Unauthorized');
    },
  };
  return new Function('util', `${body}\nreturn onSubscribe;`)(util);
}

const ctx = (sub: string | undefined, path: string) => ({
  identity: sub === undefined ? null : { sub, username: 'someone', claims: { sub } },
  info: {
    channel: { path, segments: path.split('/').filter(Boolean) },
    channelNamespace: { name: LIVE_NAMESPACE },
  },
});

describe('onSubscribe (the handler deployed to AppSync Events)', () => {
  const onSubscribe = deployedOnSubscribe();

  it('lets a person subscribe to their own channel', () => {
    expect(() => onSubscribe(ctx('bob', '/notifications/bob'))).not.toThrow();
  });

  it.each([
    ['another person’s channel', 'bob', '/notifications/alice'],
    ['a wildcard', 'bob', '/notifications/*'],
    ['a channel below their own', 'bob', '/notifications/bob/x'],
    ['a prefix of their id', 'bob', '/notifications/bo'],
    ['the namespace itself', 'bob', '/notifications'],
    ['no identity', undefined, '/notifications/bob'],
    ['an empty subject', '', '/notifications/'],
  ])('refuses %s', (_what, sub, path) => {
    expect(() => onSubscribe(ctx(sub, path))).toThrow(Unauthorized);
    expect(maySubscribe(sub, path)).toBe(false);
  });

  it('agrees with the local rule on every case', () => {
    for (const [sub, path] of [
      ['bob', '/notifications/bob'],
      ['alice', '/notifications/bob'],
      ['a-b_c.d', '/notifications/a-b_c.d'],
    ] as const) {
      let allowed = true;
      try {
        onSubscribe(ctx(sub, path));
      } catch {
        allowed = false;
      }
      expect(allowed).toBe(maySubscribe(sub, path));
    }
  });
});

describe('who the channel belongs to', () => {
  it("is the API's user id: the access token's sub", () => {
    const claims = { sub: 'c0ffee-1', token_use: 'access', groups: ['employee'], email: 'x@example.com' };
    const { userId } = principalFromClaims(claims);
    expect(liveSubjectOf(claims)).toBe(userId);
    expect(maySubscribe(liveSubjectOf(claims), liveChannelOf(userId))).toBe(true);
    expect(liveChannelOf(userId)).toBe(`/${LIVE_NAMESPACE}/c0ffee-1`);
  });
});

describe('publish requests (AppSync Events over HTTP)', () => {
  const note = (recipientId: string, i: number) =>
    ({
      id: `n${i}`,
      recipientId,
      event: 'post-published',
      reason: 'watched-space',
      createdAt: `t${i}`,
    }) as Notification;

  it('batches one recipient’s items 5 to a request on their channel; never mixes recipients', () => {
    const requests = publishRequests([
      ...Array.from({ length: 7 }, (_, i) => note('bob', i)),
      note('alice', 9),
    ]);
    expect(requests.map((r) => [r.channel, r.events.length])).toEqual([
      ['/notifications/bob', 5],
      ['/notifications/bob', 2],
      ['/notifications/alice', 1],
    ]);
    expect(JSON.parse(requests[2].events[0])).toEqual({
      id: 'n9',
      event: 'post-published',
      reason: 'watched-space',
      createdAt: 't9',
    });
  });
});

describe('AppSyncEventsChannel (against a local HTTP server)', () => {
  const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });

  async function server(status: (n: number) => number) {
    const received: { path?: string; authorization?: string; body: { channel: string; events: string[] } }[] =
      [];
    const srv = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => {
        text += chunk;
      });
      req.on('end', () => {
        received.push({ path: req.url, authorization: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(status(received.length), { 'content-type': 'application/json' });
        res.end(JSON.stringify({ successful: [], failed: [] }));
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as AddressInfo;
    return { received, domain: `127.0.0.1:${port}`, close: () => srv.close() };
  }
  const note = (recipientId: string, i: number) =>
    ({
      id: `n${i}`,
      recipientId,
      event: 'post-published',
      reason: 'watched-space',
      createdAt: 't',
    }) as Notification;

  it('posts SigV4-signed (service appsync) requests to /event, one per channel and 5 events at most', async () => {
    const s = await server(() => 200);
    try {
      const channel = new AppSyncEventsChannel(s.domain, {
        region: 'eu-west-1',
        credentials,
        protocol: 'http:',
      });
      await channel.publish([...Array.from({ length: 6 }, (_, i) => note('bob', i)), note('alice', 7)]);
      expect(s.received).toHaveLength(3);
      for (const r of s.received) {
        expect(r.path).toBe('/event');
        expect(r.authorization).toMatch(
          /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/appsync\/aws4_request/,
        );
      }
      expect(s.received.map((r) => [r.body.channel, r.body.events.length]).sort()).toEqual([
        ['/notifications/alice', 1],
        ['/notifications/bob', 1],
        ['/notifications/bob', 5],
      ]);
    } finally {
      s.close();
    }
  });

  it('a refused publish throws from the adapter, is counted, and never fails the fan-out (announce)', async () => {
    const s = await server((n) => (n === 1 ? 500 : 200));
    try {
      const channel = new AppSyncEventsChannel(s.domain, {
        region: 'eu-west-1',
        credentials,
        protocol: 'http:',
      });
      await expect(channel.publish([note('bob', 1)])).rejects.toThrow(/1 of 1 live publish requests failed/);
      expect(channel.failures).toBe(1);
      const failing = { publish: () => Promise.reject(new Error('AppSync Events is down')) };
      await expect(announce(failing, [note('bob', 2)])).resolves.toBeUndefined();
      await expect(announce(channel, [note('bob', 3)])).resolves.toBeUndefined();
      expect(s.received).toHaveLength(2);
    } finally {
      s.close();
    }
  });
});
