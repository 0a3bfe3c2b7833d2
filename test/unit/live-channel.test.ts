// The live channel's rule, in both of its forms: the onSubscribe handler deployed to AppSync Events
// (its very source text, run here with a stand-in for `util`) and `maySubscribe`, which the local
// server applies. Both take the user id from the token's `sub`, as the API's principal does.
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
import { publishRequests } from '../../functions/platform/appsync-events';

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
