// Live updates over the real local runtime, through the AppSync Events WebSocket protocol the local
// server speaks (the same the web client uses against AppSync in AWS): an inbox item reaches its
// recipient's subscription within 2 s and nobody else's; subscribing to another person's channel is
// refused (subscribe_error); a socket without a valid token is refused at the upgrade; a token's expiry
// closes the socket. Then a space shared with an organisation larger than one page: every partner is
// told exactly once, the pages going through the fan-out page queue, also when a page is redelivered.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import type { Item } from '../../functions/data/table';
import { profileItem } from '../../functions/domain/profiles/profile';
import { seedDemoData } from '../../local/seed';
import { duplicateFirstFanoutPage } from '../helpers/fanout-pages-queue';
import { authProtocol, type LiveSocket, openLiveSocket } from '../helpers/live-socket';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const SHARE_PAGE_SIZE = 20;
const PARTNERS = 55;
let rt: TestRuntime;
let seq = 0;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

/** A token like `account`'s but expiring in `seconds` (same key, issuer and claims). */
async function shortLivedToken(account: string, seconds: number): Promise<string> {
  const jwk = JSON.parse(fs.readFileSync(path.join(rt.dataDir, 'identity', 'signing-key.json'), 'utf8'));
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ...decodeJwt(await rt.tokenFor(account)),
    jti: `short-${++seq}`,
    iat: now,
    exp: now + seconds,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid })
    .sign(await importJWK(jwk, 'RS256'));
}

async function subscribed(account: string): Promise<LiveSocket> {
  const token = await rt.tokenFor(account);
  const socket = await openLiveSocket(rt.url, token);
  const { sub } = decodeJwt(token);
  const reply = await socket.request(
    {
      type: 'subscribe',
      id: `sub-${account}`,
      channel: `/notifications/${sub}`,
      authorization: { host: new URL(rt.url).host, Authorization: token },
    },
    ['subscribe_success', 'subscribe_error'],
  );
  expect(reply.type).toBe('subscribe_success');
  return socket;
}

const data = (socket: LiveSocket) => socket.messages.filter((m) => m.type === 'data');

beforeAll(async () => {
  rt = await startTestRuntime({ sharePageSize: SHARE_PAGE_SIZE });
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat']) await ok(account, 'GET', '/me');
  await rt.drain();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('live updates (AppSync Events protocol, locally)', () => {
  it("delivers an inbox item written for bob on bob's subscription within 2 s, and never on alice's", async () => {
    const spaceId = `live-${++seq}`;
    await ok('admin', 'POST', '/spaces', { id: spaceId, name: 'Live', audience: 'employees' });
    await ok('bob', 'PUT', `/me/watches/spaces/${spaceId}`, { level: 'watching' });
    await rt.drain();
    const bob = await subscribed('bob');
    const alice = await subscribed('alice');
    try {
      const sent = Date.now();
      await ok('admin', 'POST', `/spaces/${spaceId}/posts`, { title: 'Live one', body: 'now' });
      const message = await bob.waitFor((m) => m.type === 'data', 2_000);
      expect(message.at - sent).toBeLessThan(2_000);
      expect(message.id).toBe('sub-bob');
      const event = JSON.parse(message.event!);
      expect(event).toEqual({
        id: expect.any(String),
        event: 'post-published',
        reason: 'watched-space',
        createdAt: expect.any(String),
      });
      const inbox = (await ok('bob', 'GET', '/me/notifications?limit=10')).items;
      expect(inbox.map((n: { id: string }) => n.id)).toContain(event.id);
      await rt.drain();
      expect(data(alice)).toEqual([]);
      expect(data(bob)).toHaveLength(1);
    } finally {
      bob.close();
      alice.close();
    }
  }, 30_000);

  it("refuses a subscription to another person's channel (subscribe_error) and sends it nothing", async () => {
    const bob = await openLiveSocket(rt.url, await rt.tokenFor('bob'));
    const alice = await subscribed('alice');
    try {
      const token = await rt.tokenFor('bob');
      const authorization = { host: new URL(rt.url).host, Authorization: token };
      const aliceSub = decodeJwt(await rt.tokenFor('alice')).sub;
      for (const [id, channel] of [
        ['other', `/notifications/${aliceSub}`],
        ['wildcard', '/notifications/*'],
        ['below', `/notifications/${decodeJwt(token).sub}/x`],
      ]) {
        const reply = await bob.request({ type: 'subscribe', id, channel, authorization }, [
          'subscribe_success',
          'subscribe_error',
        ]);
        expect(reply).toMatchObject({
          type: 'subscribe_error',
          id,
          errors: [{ errorType: 'UnauthorizedException' }],
        });
      }
      // alice's own token cannot subscribe to her channel over bob's connection either.
      const borrowed = await bob.request(
        {
          type: 'subscribe',
          id: 'borrowed',
          channel: `/notifications/${aliceSub}`,
          authorization: { host: new URL(rt.url).host, Authorization: await rt.tokenFor('alice') },
        },
        ['subscribe_success', 'subscribe_error'],
      );
      expect(borrowed.type).toBe('subscribe_error');
      // Publishing from a socket is refused: only the fan-out publishes.
      const published = await bob.request(
        { type: 'publish', id: 'pub', channel: `/notifications/${aliceSub}`, events: ['{}'], authorization },
        ['publish_success', 'publish_error'],
      );
      expect(published.type).toBe('publish_error');

      // Something for alice: she receives it, bob's refused subscriptions get nothing.
      const spaceId = `live-${++seq}`;
      await ok('admin', 'POST', '/spaces', { id: spaceId, name: 'Alice watches', audience: 'employees' });
      await ok('alice', 'PUT', `/me/watches/spaces/${spaceId}`, { level: 'watching' });
      await rt.drain();
      await ok('admin', 'POST', `/spaces/${spaceId}/posts`, { title: 'For alice', body: 'x' });
      await alice.waitFor((m) => m.type === 'data', 2_000);
      await rt.drain();
      expect(data(bob)).toEqual([]);
    } finally {
      bob.close();
      alice.close();
    }
  }, 30_000);

  it('refuses the upgrade without the protocol, without a token, with a forged token or for another host', async () => {
    const host = new URL(rt.url).host;
    await expect(openLiveSocket(rt.url, undefined)).rejects.toThrow('upgrade refused: 401');
    await expect(openLiveSocket(rt.url, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.')).rejects.toThrow(
      'upgrade refused: 401',
    );
    const token = await rt.tokenFor('bob');
    await expect(openLiveSocket(rt.url, token, { host: 'elsewhere.example' })).rejects.toThrow(
      'upgrade refused: 401',
    );
    await expect(
      openLiveSocket(rt.url, token, {
        protocols: ['graphql-ws', authProtocol({ host, Authorization: token })],
      }),
    ).rejects.toThrow(/upgrade refused: 400|Server sent no subprotocol/);
  });

  it('closes the socket when its token expires', async () => {
    const token = await shortLivedToken('bob', 2);
    const socket = await openLiveSocket(rt.url, token);
    const started = Date.now();
    const { code } = await socket.closed;
    expect(code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 15_000);
});

describe('a space shared with an organisation larger than one page', () => {
  it(`tells all of its partners exactly once, page by page through the queue, also when a page is redelivered`, async () => {
    const now = new Date().toISOString();
    const partners = Array.from({ length: PARTNERS }, (_, i) => `acme-p${String(i).padStart(3, '0')}`);
    await rt.table.writeMany(
      partners.map(
        (userId): Item =>
          profileItem({
            userId,
            name: `Partner ${userId}`,
            email: `${userId}@acme.example`,
            handle: userId,
            kind: 'partner',
            org: 'acme',
            skills: [],
            createdAt: now,
            version: 1,
          } as never),
      ),
      [],
    );
    const directory = (await rt.table.query({ index: 'GSI1', partition: 'ORG#acme#PEOPLE', limit: 1000 }))
      .items;
    const acme = directory.map((p) => p.userId as string);
    expect(acme.length).toBeGreaterThan(2 * SHARE_PAGE_SIZE);

    const fanoutPages = duplicateFirstFanoutPage(rt);
    const pat = await subscribed('pat');
    try {
      const spaceId = `shared-${++seq}`;
      const created = await ok('bob', 'POST', '/spaces', {
        id: spaceId,
        name: `Shared ${seq}`,
        audience: 'members',
      });
      await ok('bob', 'PUT', `/spaces/${spaceId}/sharing`, {
        partnerOrgs: ['acme'],
        version: created.version,
      });
      await rt.drain();
      const items: Item[] = [];
      for (const userId of acme) {
        const page = await rt.table.query({ partition: `USER#${userId}`, limit: 100 });
        items.push(...page.items.filter((i) => i.type === 'notification' && i.spaceId === spaceId));
      }
      const recipients = items.map((i) => i.recipientId as string);
      expect(recipients.length).toBe(new Set(recipients).size);
      expect(new Set(recipients)).toEqual(new Set(acme));
      expect(fanoutPages.pagesSent).toBe(Math.ceil(acme.length / SHARE_PAGE_SIZE) - 1);
      expect(fanoutPages.duplicated).toBeGreaterThanOrEqual(1);
      expect(rt.queues.get('fanout-pages')!.deadLetters()).toEqual([]);
      // The partner's bell hears of it live too.
      await pat.waitFor((m) => m.type === 'data' && JSON.parse(m.event!).event === 'space-shared', 2_000);
    } finally {
      fanoutPages.restore();
      pat.close();
    }
  }, 120_000);
});
