// Subscriptions and the notification fan-out over the real local runtime: follow, watch and mute,
// the rules (who is told, once, and who never is), replayed stream batches adding nothing, the inbox,
// the unread count and marking read; partner organisations isolated from each other.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let seq = 0;

async function ok(account: string, method: string, pathname: string, body?: unknown): Promise<any> {
  const response = await rt.api(account, method, pathname, body);
  if (response.status >= 300)
    throw new Error(`${account} ${method} ${pathname} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The caller's inbox after the stream has been drained. */
async function inbox(account: string): Promise<any[]> {
  await rt.drain();
  return (await ok(account, 'GET', '/me/notifications?limit=100')).items;
}

const about = (items: any[], field: string, value: string) => items.filter((n) => n[field] === value);

/** A fresh employees' space owned by bob with alice as editor, so tests do not see each other's events. */
async function space(audience: 'employees' | 'members' = 'employees'): Promise<string> {
  const id = `nt-${++seq}`;
  await ok('bob', 'POST', '/spaces', { id, name: `Notify ${seq}`, audience });
  await ok('bob', 'PUT', `/spaces/${id}/members/alice`, { role: 'editor' });
  return id;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat', 'gus']) await ok(account, 'GET', '/me');
  await rt.drain();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('bob watches a space, alice posts there mentioning pat (a partner without access)', () => {
  let spaceId: string;
  let postId: string;

  beforeAll(async () => {
    spaceId = await space();
    const watch = await ok('bob', 'PUT', `/me/watches/spaces/${spaceId}`, { level: 'watching' });
    expect(watch).toMatchObject({ kind: 'space', spaceId, level: 'watching', label: expect.any(String) });
    postId = (
      await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
        title: 'Release train',
        body: 'Next week, @pat will not see this',
      })
    ).id;
  });

  it('bob gets one inbox item, pat none, alice (the actor) none', async () => {
    const bobs = about(await inbox('bob'), 'postId', postId);
    expect(bobs).toEqual([
      expect.objectContaining({
        event: 'post-published',
        reason: 'watched-space',
        actorId: 'alice',
        spaceId,
        title: 'Release train',
        read: false,
      }),
    ]);
    expect(about(await inbox('pat'), 'postId', postId)).toEqual([]);
    expect(about(await inbox('alice'), 'postId', postId)).toEqual([]);
  });

  it('a replayed batch (failure destination replay, and the handler re-invoked) adds no duplicates', async () => {
    const stream = rt.front.stream(rt.tableName);
    const records = stream
      .readAfter('', Number.MAX_SAFE_INTEGER)
      .filter((r) => r.dynamodb.NewImage?.id?.S === postId || r.dynamodb.OldImage?.id?.S === postId);
    expect(records.length).toBeGreaterThan(0);
    const failure = rt.failures.add({
      consumer: 'fanout',
      streamArn: 'local',
      error: 'test: pretend this batch failed',
      attempts: 1,
      records,
    });
    expect(await rt.replayFailure(failure.id)).toBe(true);
    const outcome = await rt.consumers.get('fanout')!.invoke(records);
    expect(outcome.ok).toBe(true);
    expect(about(await inbox('bob'), 'postId', postId)).toHaveLength(1);
  });

  it('marking read drops the unread count; marking all read empties it', async () => {
    const before = await ok('bob', 'GET', '/me/notifications/unread-count');
    expect(before.unread).toBeGreaterThan(0);
    const [item] = about(await inbox('bob'), 'postId', postId);
    expect(await rt.api('bob', 'POST', `/me/notifications/${item.id}/read`)).toMatchObject({ status: 204 });
    const after = await ok('bob', 'GET', '/me/notifications/unread-count');
    expect(after.unread).toBe(before.unread - 1);
    expect(about(await inbox('bob'), 'postId', postId)[0]).toMatchObject({
      read: true,
      readAt: expect.any(String),
    });
    // Again is fine; someone else's item is not found.
    expect((await rt.api('bob', 'POST', `/me/notifications/${item.id}/read`)).status).toBe(204);
    expect((await rt.api('alice', 'POST', `/me/notifications/${item.id}/read`)).status).toBe(404);
    expect(await ok('bob', 'POST', '/me/notifications/read-all')).toMatchObject({ more: false });
    expect(await ok('bob', 'GET', '/me/notifications/unread-count')).toEqual({ unread: 0, more: false });
  });

  it('the unread count is one Query, the inbox two requests (its items, then their spaces)', async () => {
    await rt.drain();
    const requests = async (pathname: string) => {
      const before = rt.table.roundTrips;
      await ok('bob', 'GET', pathname);
      return rt.table.roundTrips - before;
    };
    expect(await requests('/me/notifications/unread-count')).toBe(1);
    expect(await requests('/me/notifications?limit=50')).toBe(2);
  });
});

describe('the rules', () => {
  it('a comment tells the post author (reply) and its watchers, never the commenter', async () => {
    const spaceId = await space();
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Watch me', body: 'x' });
    await ok('admin', 'PUT', `/me/watches/spaces/${spaceId}/posts/${post.id}`, {});
    const comment = await ok('bob', 'POST', `/spaces/${spaceId}/posts/${post.id}/comments`, {
      body: 'Nice, @alice',
    });
    const alices = about(await inbox('alice'), 'commentId', comment.id);
    expect(alices).toEqual([expect.objectContaining({ reason: 'mention', event: 'comment-added' })]);
    expect(about(await inbox('admin'), 'commentId', comment.id)).toEqual([
      expect.objectContaining({ reason: 'watched-post', title: 'Watch me' }),
    ]);
    expect(about(await inbox('bob'), 'commentId', comment.id)).toEqual([]);
    // A reply to bob's comment tells bob (reply) and alice (her post).
    const reply = await ok('admin', 'POST', `/spaces/${spaceId}/posts/${post.id}/comments`, {
      body: 'Agreed',
      parentId: comment.id,
    });
    expect(about(await inbox('bob'), 'commentId', reply.id)).toEqual([
      expect.objectContaining({ reason: 'reply' }),
    ]);
    expect(about(await inbox('alice'), 'commentId', reply.id)).toEqual([
      expect.objectContaining({ reason: 'reply' }),
    ]);
  });

  it('only a NEW mention tells anyone; a draft tells nobody until it is published', async () => {
    const spaceId = await space();
    const draft = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
      title: 'Draft',
      body: 'For @bob',
      status: 'draft',
    });
    expect(about(await inbox('bob'), 'postId', draft.id)).toEqual([]);
    const published = await ok('alice', 'PUT', `/spaces/${spaceId}/posts/${draft.id}`, {
      title: 'Draft',
      body: 'For @bob',
      status: 'published',
      version: draft.version,
    });
    expect(about(await inbox('bob'), 'postId', draft.id)).toEqual([
      expect.objectContaining({ reason: 'mention', event: 'post-published' }),
    ]);
    // An edit that keeps @bob tells nobody again; one that adds @admin tells admin only.
    await ok('alice', 'PUT', `/spaces/${spaceId}/posts/${draft.id}`, {
      title: 'Draft',
      body: 'For @bob and @admin',
      status: 'published',
      version: published.version,
    });
    expect(about(await inbox('bob'), 'postId', draft.id)).toHaveLength(1);
    expect(about(await inbox('admin'), 'postId', draft.id)).toEqual([
      expect.objectContaining({ reason: 'mention', event: 'post-edited' }),
    ]);
  });

  it('following a person and watching a tag; one item per person even when several rules match', async () => {
    const spaceId = await space();
    const tag = `nt${++seq}`;
    await ok('bob', 'PUT', '/me/follows/alice', { level: 'following' });
    await ok('bob', 'PUT', `/me/watches/tags/${tag}`, {});
    await ok('bob', 'PUT', `/me/watches/spaces/${spaceId}`, {});
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
      title: 'Tagged',
      body: `#${tag} @bob`,
    });
    expect(about(await inbox('bob'), 'postId', post.id)).toEqual([
      expect.objectContaining({ reason: 'mention' }),
    ]);
    const quiet = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'No mention', body: 'x' });
    expect(about(await inbox('bob'), 'postId', quiet.id)).toEqual([
      expect.objectContaining({ reason: 'followed-author' }),
    ]);
    expect((await ok('bob', 'GET', '/me/follows')).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: 'alice', level: 'following' })]),
    );
    const watches = (await ok('bob', 'GET', '/me/watches?limit=100')).items;
    expect(watches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'tag', tag, level: 'watching' }),
        expect.objectContaining({ kind: 'space', spaceId }),
      ]),
    );
    await ok('bob', 'DELETE', '/me/follows/alice');
  });

  it('mutes: a muted space silences its watchers but not a mention; a muted person silences everything', async () => {
    const spaceId = await space();
    await ok('bob', 'PUT', `/me/watches/spaces/${spaceId}`, { level: 'muted' });
    await ok('bob', 'PUT', '/me/follows/alice', {});
    const plain = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Plain', body: 'x' });
    const mention = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Hey', body: '@bob' });
    expect(about(await inbox('bob'), 'postId', plain.id)).toEqual([]);
    expect(about(await inbox('bob'), 'postId', mention.id)).toHaveLength(1);
    await ok('bob', 'PUT', '/me/follows/alice', { level: 'muted' });
    const muted = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Hey again', body: '@bob' });
    expect(about(await inbox('bob'), 'postId', muted.id)).toEqual([]);
    await ok('bob', 'DELETE', '/me/follows/alice');
  });

  it('a page: its author watches it; an edit tells its watchers, a new mention its mentioned', async () => {
    const spaceId = await space();
    const page = await ok('alice', 'POST', `/spaces/${spaceId}/pages`, { title: 'Runbook', body: 'Steps' });
    await rt.drain();
    expect((await ok('alice', 'GET', '/me/watches?limit=100')).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'page', pageId: page.id, auto: true })]),
    );
    const edited = await ok('bob', 'PUT', `/spaces/${spaceId}/pages/${page.id}`, {
      title: 'Runbook',
      body: 'Steps, checked by @admin',
      version: page.version,
    });
    expect(about(await inbox('alice'), 'pageId', page.id)).toEqual([
      expect.objectContaining({ event: 'page-edited', reason: 'watched-page', actorId: 'bob' }),
    ]);
    expect(about(await inbox('admin'), 'pageId', page.id)).toEqual([
      expect.objectContaining({ reason: 'mention' }),
    ]);
    expect(edited.version).toBe(page.version + 1);
  });

  it('nobody who cannot read the space is told: a non-member of a members-only space', async () => {
    const spaceId = await space('members');
    await ok('admin', 'PUT', '/me/follows/alice', {});
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Members only', body: 'x' });
    // admin reads everything with a token, but the fan-out knows people by their profiles: not a member, not told.
    expect(about(await inbox('admin'), 'postId', post.id)).toEqual([]);
    await ok('admin', 'DELETE', '/me/follows/alice');
  });
});

describe('subscribing to what you cannot read is a 404', () => {
  it.each([
    ['bob', 'PUT', '/me/watches/spaces/leadership'],
    ['gus', 'PUT', '/me/watches/spaces/acme-supply-chain'],
    ['pat', 'PUT', '/me/watches/spaces/engineering'],
    ['gus', 'PUT', '/me/follows/pat'],
    ['pat', 'PUT', '/me/follows/gus'],
    ['bob', 'PUT', '/me/watches/spaces/engineering/posts/01nopost'],
    ['bob', 'PUT', '/me/watches/spaces/engineering/pages/no-page'],
    ['bob', 'PUT', '/me/follows/nobody'],
  ])('%s %s %s → 404', async (account, method, pathname) => {
    const response = await rt.api(account, method, pathname, {});
    expect(response.status).toBe(404);
  });

  it('following yourself is a 409', async () => {
    expect((await rt.api('bob', 'PUT', '/me/follows/bob', {})).status).toBe(409);
  });
});

describe('partner isolation', () => {
  it('a post in a space shared with acme tells acme watchers, never globex; and vice versa', async () => {
    await ok('pat', 'PUT', '/me/watches/spaces/acme-supply-chain', {});
    await ok('gus', 'PUT', '/me/watches/spaces/globex-pilot', {});
    await ok('pat', 'PUT', '/me/follows/bob', {});
    await ok('gus', 'PUT', '/me/follows/bob', {});
    await ok('gus', 'PUT', '/me/follows/alice', {});
    const acmePost = await ok('bob', 'POST', '/spaces/acme-supply-chain/posts', {
      title: 'Forecast',
      body: 'Numbers for @pat and @gus',
    });
    const globexPost = await ok('alice', 'POST', '/spaces/globex-pilot/posts', {
      title: 'Pilot',
      body: 'Plan for @gus and @pat',
    });
    expect(about(await inbox('pat'), 'postId', acmePost.id)).toEqual([
      expect.objectContaining({ reason: 'mention', spaceId: 'acme-supply-chain' }),
    ]);
    expect(about(await inbox('gus'), 'postId', acmePost.id)).toEqual([]);
    expect(about(await inbox('gus'), 'postId', globexPost.id)).toEqual([
      expect.objectContaining({ reason: 'mention' }),
    ]);
    expect(about(await inbox('pat'), 'postId', globexPost.id)).toEqual([]);
    // Nothing in either partner's inbox comes from a space they cannot read.
    for (const [account, allowed] of [
      ['pat', 'acme-supply-chain'],
      ['gus', 'globex-pilot'],
    ] as const) {
      for (const item of await inbox(account)) expect(item.spaceId).toBe(allowed);
    }
  });

  it('a partner commenting in a space shared with two organisations is not named to the other', async () => {
    await ok('bob', 'PUT', '/spaces/acme-supply-chain/sharing', {
      partnerOrgs: ['acme', 'globex'],
      version: (await ok('bob', 'GET', '/spaces/acme-supply-chain')).version,
    });
    await ok('gus', 'POST', '/spaces/acme-supply-chain/join');
    const post = await ok('bob', 'POST', '/spaces/acme-supply-chain/posts', { title: 'Both', body: 'x' });
    await ok('gus', 'PUT', `/me/watches/spaces/acme-supply-chain/posts/${post.id}`, {});
    await ok('pat', 'PUT', `/me/watches/spaces/acme-supply-chain/posts/${post.id}`, {});
    const comment = await ok('gus', 'POST', `/spaces/acme-supply-chain/posts/${post.id}/comments`, {
      body: 'From Globex',
    });
    expect(about(await inbox('pat'), 'commentId', comment.id)).toEqual([
      expect.objectContaining({ actorId: 'hidden', actorName: 'External user' }),
    ]);
    expect(about(await inbox('bob'), 'commentId', comment.id)).toEqual([
      expect.objectContaining({ actorId: 'gus', reason: 'reply' }),
    ]);
    // Unshared again: the acme watch stays, but nothing more reaches gus.
    await ok('bob', 'PUT', '/spaces/acme-supply-chain/sharing', {
      partnerOrgs: ['acme'],
      version: (await ok('bob', 'GET', '/spaces/acme-supply-chain')).version,
    });
    const later = await ok('bob', 'POST', `/spaces/acme-supply-chain/posts/${post.id}/comments`, {
      body: 'Later',
    });
    expect(about(await inbox('gus'), 'commentId', later.id)).toEqual([]);
    expect(about(await inbox('pat'), 'commentId', later.id)).toHaveLength(1);
  });
});
