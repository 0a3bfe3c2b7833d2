// The web client's plain logic, without a browser: runtime configuration in both shapes it is served
// in, problem+json errors, tags as typed, unsaved text kept per tab, and how notifications read.

import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { ApiError, api, configureApi, query } from '../../frontend/src/api/client';
import { authProtocol, liveEndpoint, subjectOf, unreadText } from '../../frontend/src/api/notifications';
import { findWatch, watchPath } from '../../frontend/src/api/subscriptions';
import type { Notification, Watch } from '../../frontend/src/api/types';
import { canonicalLocation, normalizeConfig } from '../../frontend/src/config';
import { notificationPath, whatHappened } from '../../frontend/src/lib/notifications';
import { parseTags } from '../../frontend/src/lib/tags';
import { clearUnsaved, listUnsaved, writeUnsaved } from '../../frontend/src/lib/unsaved';

describe('runtime configuration', () => {
  test('the app moves to the host name sign-in returns to, keeping the path (issue 10 item 5)', () => {
    const config = { redirectUri: 'http://localhost:3000/auth/callback' };
    const at = (href: string) => {
      const url = new URL(href);
      return { origin: url.origin, pathname: url.pathname, search: url.search, hash: url.hash };
    };
    expect(canonicalLocation(config, at('http://127.0.0.1:3000/spaces/x?tab=1#c'))).toBe(
      'http://localhost:3000/spaces/x?tab=1#c',
    );
    expect(canonicalLocation(config, at('http://localhost:3000/'))).toBeNull();
    expect(canonicalLocation({ redirectUri: '/auth/callback' }, at('http://127.0.0.1:3000/'))).toBeNull();
  });

  test('the local runtime shape', () => {
    expect(
      normalizeConfig({
        apiBaseUrl: '/api',
        authority: 'http://localhost:3000/oidc',
        clientId: 'commonplace-web',
        redirectUri: 'http://localhost:3000/auth/callback',
      }),
    ).toEqual({
      apiBaseUrl: '/api',
      authority: 'http://localhost:3000/oidc',
      clientId: 'commonplace-web',
      redirectUri: 'http://localhost:3000/auth/callback',
      scope: 'openid email profile',
    });
  });

  test('the shape the CDK stack writes for Cognito', () => {
    const config = normalizeConfig({
      apiBaseUrl: '/api',
      auth: {
        authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
        authorizationEndpoint: 'https://login.example.com/oauth2/authorize',
        tokenEndpoint: 'https://login.example.com/oauth2/token',
        logoutEndpoint: 'https://login.example.com/logout',
        clientId: 'abc123',
        redirectUri: 'https://app.example.com/auth/callback',
        postLogoutRedirectUri: 'https://app.example.com/',
        scopes: ['openid', 'email', 'profile'],
      },
    });
    expect(config).toMatchObject({
      clientId: 'abc123',
      scope: 'openid email profile',
      logoutEndpoint: 'https://login.example.com/logout',
      tokenEndpoint: 'https://login.example.com/oauth2/token',
    });
  });

  test('the live endpoint: the local flat form (a path) and the stack form (absolute, with the HTTP host)', () => {
    const base = { apiBaseUrl: '/api', authority: 'a', clientId: 'c', redirectUri: 'r' };
    expect(normalizeConfig({ ...base, liveRealtimeUrl: '/event/realtime' }).live).toEqual({
      realtimeUrl: '/event/realtime',
    });
    const live = {
      realtimeUrl: 'wss://x.appsync-realtime-api.eu-west-1.amazonaws.com/event/realtime',
      httpHost: 'x.appsync-api.eu-west-1.amazonaws.com',
    };
    expect(normalizeConfig({ ...base, live } as never).live).toEqual(live);
    expect(normalizeConfig(base).live).toBeUndefined();
  });

  test('a configuration without a client id is refused', () => {
    expect(() => normalizeConfig({ apiBaseUrl: '/api', authority: 'x', redirectUri: 'y' })).toThrow(
      'config.json has no clientId',
    );
  });
});

describe('API client', () => {
  const realFetch = globalThis.fetch;
  let unauthorized = 0;
  beforeEach(() => {
    unauthorized = 0;
    configureApi({ baseUrl: '/api', token: () => 'token-1', onUnauthorized: () => unauthorized++ });
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  const answer = (status: number, body: unknown, seen?: (url: string, init: RequestInit) => void) => {
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      seen?.(url, init);
      return new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/problem+json' },
      });
    }) as typeof fetch;
  };

  test('sends the bearer token and JSON', async () => {
    let headers: Record<string, string> = {};
    answer(200, { ok: true }, (_url, init) => {
      headers = init.headers as Record<string, string>;
    });
    await expect(api('PUT', '/x', { a: 1 })).resolves.toEqual({ ok: true });
    expect(headers).toMatchObject({ authorization: 'Bearer token-1', 'content-type': 'application/json' });
  });

  test('an edit conflict becomes an ApiError the editor can recognise', async () => {
    answer(409, {
      type: 'https://commonplace.dev/problems/edit-conflict',
      title: 'Edit conflict',
      status: 409,
      detail: 'The post was changed by someone else since you loaded it',
      currentVersion: 3,
    });
    const error = (await api('PUT', '/spaces/s/posts/p', {}).catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      kind: 'edit-conflict',
      message: 'The post was changed by someone else since you loaded it',
      extra: { currentVersion: 3 },
    });
  });

  test('validation problems name their fields', async () => {
    answer(400, {
      type: 'https://commonplace.dev/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'bad',
      errors: [
        { field: 'body.title', message: 'Required' },
        { field: 'body.tags.0', message: 'tags are letters' },
      ],
    });
    const error = (await api('POST', '/spaces/s/posts', {}).catch((e) => e)) as ApiError;
    expect(error.fieldMessage('title')).toBe('Required');
    expect(error.fieldMessage('tags')).toBe('tags are letters');
    expect(error.fieldMessage('body')).toBeUndefined();
  });

  test('a rejected token is reported, so the app can offer to sign in again', async () => {
    answer(401, {
      type: 'https://commonplace.dev/problems/unauthenticated',
      title: 'Unauthenticated',
      status: 401,
      detail: 'expired',
    });
    await expect(api('GET', '/feed')).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect(unauthorized).toBe(1);
  });

  test('no answer at all is a network error, not a crash', async () => {
    globalThis.fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(api('GET', '/feed')).rejects.toMatchObject({ status: 0, kind: 'network' });
  });

  test('query strings leave out empty values', () => {
    expect(query({ q: 'a b', type: '', cursor: undefined, limit: 20 })).toBe('?q=a+b&limit=20');
    expect(query({})).toBe('');
  });
});

test('tags as typed: commas or spaces, # optional, lower case, no repeats', () => {
  expect(parseTags(' DevOps, #performance  ci,devops ')).toEqual(['devops', 'performance', 'ci']);
  expect(parseTags('')).toEqual([]);
});

describe('unsaved text', () => {
  class MemoryStorage {
    private items = new Map<string, string>();
    get length() {
      return this.items.size;
    }
    key(i: number) {
      return [...this.items.keys()][i] ?? null;
    }
    getItem(key: string) {
      return this.items.get(key) ?? null;
    }
    setItem(key: string, value: string) {
      this.items.set(key, value);
    }
    removeItem(key: string) {
      this.items.delete(key);
    }
  }
  const globals = globalThis as unknown as { localStorage: MemoryStorage; sessionStorage: MemoryStorage };

  test('each tab keeps its own copy; clearing one leaves the other', () => {
    globals.localStorage = new MemoryStorage();
    globals.sessionStorage = new MemoryStorage();
    writeUnsaved('post:eng/p1', { body: 'from tab A' });
    globals.sessionStorage = new MemoryStorage(); // another tab
    writeUnsaved('post:eng/p1', { body: 'from tab B' });
    expect(
      listUnsaved<{ body: string }>('post:eng/p1')
        .map((entry) => entry.value.body)
        .sort(),
    ).toEqual(['from tab A', 'from tab B']);
    clearUnsaved('post:eng/p1');
    expect(listUnsaved<{ body: string }>('post:eng/p1').map((entry) => entry.value.body)).toEqual([
      'from tab A',
    ]);
  });
});

describe('live notifications (AppSync Events protocol)', () => {
  test("a path is on the page's own host (ws: or wss:), an absolute URL names the API's HTTP host", () => {
    expect(
      liveEndpoint({ realtimeUrl: '/event/realtime' }, { protocol: 'http:', host: 'localhost:3000' }),
    ).toEqual({
      url: 'ws://localhost:3000/event/realtime',
      host: 'localhost:3000',
    });
    expect(
      liveEndpoint({ realtimeUrl: '/event/realtime' }, { protocol: 'https:', host: 'app.example.com' }).url,
    ).toBe('wss://app.example.com/event/realtime');
    expect(
      liveEndpoint(
        { realtimeUrl: 'wss://r.example.com/event/realtime', httpHost: 'h.example.com' },
        { protocol: 'https:', host: 'app.example.com' },
      ),
    ).toEqual({ url: 'wss://r.example.com/event/realtime', host: 'h.example.com' });
  });

  test("the header sub-protocol is base64url JSON; the subject is the token's sub", () => {
    const protocol = authProtocol({ host: 'h', Authorization: 'a.b.c' });
    expect(protocol).toMatch(/^header-[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(protocol.slice(7), 'base64url').toString())).toEqual({
      host: 'h',
      Authorization: 'a.b.c',
    });
    expect(subjectOf(['e30', Buffer.from('{"sub":"u-1?>"}').toString('base64url'), 's'].join('.'))).toBe(
      'u-1?>',
    );
    expect(subjectOf('not a token')).toBeUndefined();
  });
});

describe('notifications', () => {
  const item = (over: Partial<Notification>): Notification => ({
    id: 'n1',
    event: 'post-published',
    reason: 'watched-space',
    actorId: 'alice',
    actorName: 'Alice Andersen',
    spaceId: 'engineering',
    spaceName: 'Engineering',
    postId: 'p1',
    title: 'Release plan',
    excerpt: '',
    createdAt: '2026-11-30T09:00:00.000Z',
    read: false,
    ...over,
  });

  test('each item says what happened, a mention first', () => {
    expect(whatHappened(item({}))).toBe('posted');
    expect(whatHappened(item({ reason: 'mention' }))).toBe('mentioned you in');
    expect(whatHappened(item({ reason: 'mention', event: 'comment-added' }))).toBe(
      'mentioned you in a comment on',
    );
    expect(whatHappened(item({ reason: 'reply', event: 'comment-added' }))).toBe(
      'replied to your comment on',
    );
    expect(whatHappened(item({ reason: 'watched-post', event: 'comment-added' }))).toBe('commented on');
    expect(whatHappened(item({ reason: 'watched-page', event: 'page-edited', postId: undefined }))).toBe(
      'edited the page',
    );
  });

  test('each item leads to its post (at the comment), or its page', () => {
    expect(notificationPath(item({}))).toBe('/spaces/engineering/posts/p1');
    expect(notificationPath(item({ commentId: 'c9' }))).toBe('/spaces/engineering/posts/p1#comment-c9');
    expect(notificationPath(item({ postId: undefined, pageId: 'runbook' }))).toBe(
      '/spaces/engineering/pages/runbook',
    );
  });

  test('the bell says how many are unread, and nothing when none are', () => {
    expect(unreadText({ unread: 0, more: false })).toBeUndefined();
    expect(unreadText({ unread: 3, more: false })).toBe('3 unread');
    expect(unreadText({ unread: 100, more: true })).toBe('more than 100 unread');
  });

  test('a watch is found by what it names; tags ignore case', () => {
    const watches = [
      { kind: 'tag', tag: 'release', label: 'release', level: 'watching', since: '' },
      { kind: 'post', spaceId: 's', postId: 'p', label: 'P', level: 'muted', since: '' },
    ] as Watch[];
    expect(findWatch(watches, { kind: 'tag', tag: 'Release' })?.level).toBe('watching');
    expect(findWatch(watches, { kind: 'post', spaceId: 's', postId: 'p' })?.level).toBe('muted');
    expect(findWatch(watches, { kind: 'post', spaceId: 'other', postId: 'p' })).toBeUndefined();
    expect(findWatch(watches, { kind: 'space', spaceId: 's' })).toBeUndefined();
    expect(watchPath({ kind: 'page', spaceId: 's', pageId: 'a b' })).toBe('/me/watches/spaces/s/pages/a%20b');
  });
});
