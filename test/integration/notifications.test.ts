// Subscriptions and the notification fan-out over the real local runtime: follow, watch and mute,
// the rules (who is told, once, and who never is), replayed stream batches adding nothing, the inbox,
// the unread count and marking read; partner organisations isolated from each other.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let seq = 0;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

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
      expect.arrayContaining([
        expect.objectContaining({ kind: 'page', pageId: page.id, auto: true, autoBecause: 'created' }),
      ]),
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

describe('who will be notified (the preview): the same rules as the fan-out, a read', () => {
  it('names the mentioned who may read it, counts the watchers, and matches what the fan-out does', async () => {
    const spaceId = await space();
    await ok('bob', 'PUT', `/me/watches/spaces/${spaceId}`, {});
    await ok('alice', 'PUT', `/me/watches/spaces/${spaceId}`, {});
    const draft = { title: 'Preview', body: 'For @admin and @pat #nt-preview' };
    await rt.drain();
    const before = rt.front.stream(rt.tableName).length;
    const preview = await ok('alice', 'POST', `/spaces/${spaceId}/posts/preview-audience`, draft);
    expect(rt.front.stream(rt.tableName).length).toBe(before); // nothing written
    expect(preview).toMatchObject({
      event: 'post-published',
      people: [expect.objectContaining({ userId: 'admin', handle: 'admin', reason: 'mention' })],
      notTold: [expect.objectContaining({ userId: 'pat' })],
      // alice watches the space too, but the actor is never told: only bob is counted. (Her followers
      // from other tests are counted too; nobody watches the tag: no line for it.)
      groups: expect.arrayContaining([
        { reason: 'watched-space', label: `watchers of Notify ${seq}`, count: 1, more: false },
      ]),
    });
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, draft);
    expect(about(await inbox('admin'), 'postId', post.id)).toEqual([
      expect.objectContaining({ reason: 'mention' }),
    ]);
    expect(about(await inbox('bob'), 'postId', post.id)).toEqual([
      expect.objectContaining({ reason: 'watched-space' }),
    ]);
    expect(about(await inbox('pat'), 'postId', post.id)).toEqual([]);
    // Editing: only new mentions (none) → nobody; a draft → nobody; a minor edit → nobody.
    const edit = { postId: post.id, ...draft };
    expect(await ok('alice', 'POST', `/spaces/${spaceId}/posts/preview-audience`, edit)).toEqual({
      silent: 'nothing-new',
      people: [],
      notTold: [],
      groups: [],
    });
    expect(
      await ok('alice', 'POST', `/spaces/${spaceId}/posts/preview-audience`, { ...draft, status: 'draft' }),
    ).toMatchObject({ silent: 'draft', people: [] });
    expect(
      await ok('alice', 'POST', `/spaces/${spaceId}/posts/preview-audience`, {
        ...edit,
        body: `${draft.body} @bob`,
        minorEdit: true,
      }),
    ).toMatchObject({ silent: 'minor-edit', people: [] });
    // Only the author may preview an edit of a post; a reader of the space may not preview at all.
    expect((await rt.api('bob', 'POST', `/spaces/${spaceId}/posts/preview-audience`, edit)).status).toBe(403);
    expect((await rt.api('pat', 'POST', `/spaces/${spaceId}/posts/preview-audience`, draft)).status).toBe(
      404,
    );
  });

  it('a page edit: its watchers and the new mentions', async () => {
    const spaceId = await space();
    const page = await ok('alice', 'POST', `/spaces/${spaceId}/pages`, { title: 'Preview page', body: 'x' });
    await rt.drain(); // alice watches what she created
    const preview = await ok('bob', 'POST', `/spaces/${spaceId}/pages/preview-audience`, {
      pageId: page.id,
      title: 'Preview page',
      body: 'x, @admin',
    });
    expect(preview).toMatchObject({
      event: 'page-edited',
      people: [expect.objectContaining({ userId: 'admin' })],
      groups: [{ reason: 'watched-page', label: 'watchers of this page', count: 1, more: false }],
    });
    const created = await ok('bob', 'POST', `/spaces/${spaceId}/pages/preview-audience`, {
      title: 'Not yet',
      body: '@admin',
    });
    expect(created).toMatchObject({ event: 'page-created', groups: [] });
  });

  it('a partner sees only people they may see: another organisation’s are left out', async () => {
    const spaceId = `nt-${++seq}`;
    const created = await ok('bob', 'POST', '/spaces', {
      id: spaceId,
      name: `Shared ${seq}`,
      audience: 'members',
    });
    await ok('bob', 'PUT', `/spaces/${spaceId}/sharing`, {
      partnerOrgs: ['acme', 'globex'],
      version: created.version,
    });
    await ok('pat', 'POST', `/spaces/${spaceId}/join`);
    await ok('gus', 'POST', `/spaces/${spaceId}/join`);
    await ok('bob', 'PUT', `/spaces/${spaceId}/members/pat`, { role: 'editor' });
    const preview = await ok('pat', 'POST', `/spaces/${spaceId}/posts/preview-audience`, {
      title: 'Hi',
      body: '@bob @gus',
    });
    expect(preview.people.map((p: any) => p.userId)).toEqual(['bob']);
    expect(JSON.stringify(preview)).not.toContain('gus');
    // bob sees both.
    await ok('bob', 'PUT', `/spaces/${spaceId}/members/alice`, { role: 'editor' });
    const asAlice = await ok('alice', 'POST', `/spaces/${spaceId}/posts/preview-audience`, {
      title: 'Hi',
      body: '@bob @gus',
    });
    expect(asAlice.people.map((p: any) => p.userId).sort()).toEqual(['bob', 'gus']);
  });
});

describe('minor edits notify nobody', () => {
  it('a page edit marked minor tells neither its watchers nor newly mentioned people', async () => {
    const spaceId = await space();
    const page = await ok('alice', 'POST', `/spaces/${spaceId}/pages`, { title: 'Minor', body: 'x' });
    await rt.drain();
    const edited = await ok('bob', 'PUT', `/spaces/${spaceId}/pages/${page.id}`, {
      title: 'Minor',
      body: 'typo fixed, @admin',
      version: page.version,
      minorEdit: true,
    });
    expect(edited.minorEdit).toBe(true);
    expect(about(await inbox('alice'), 'pageId', page.id)).toEqual([]);
    expect(about(await inbox('admin'), 'pageId', page.id)).toEqual([]);
    const versions = (await ok('bob', 'GET', `/spaces/${spaceId}/pages/${page.id}/versions`)).items;
    expect(versions[0]).toMatchObject({ version: 2, minorEdit: true });
    // The next edit is not minor: watchers are told again (mentions already there are not new).
    const next = await ok('bob', 'PUT', `/spaces/${spaceId}/pages/${page.id}`, {
      title: 'Minor',
      body: 'typo fixed, @admin. More.',
      version: edited.version,
    });
    expect(next.minorEdit).toBeUndefined();
    expect(about(await inbox('alice'), 'pageId', page.id)).toEqual([
      expect.objectContaining({ event: 'page-edited', reason: 'watched-page' }),
    ]);
    expect(about(await inbox('admin'), 'pageId', page.id)).toEqual([]);
  });

  it('a post edit marked minor does not tell a newly mentioned person', async () => {
    const spaceId = await space();
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Minor post', body: 'x' });
    await ok('alice', 'PUT', `/spaces/${spaceId}/posts/${post.id}`, {
      title: 'Minor post',
      body: 'x @admin',
      version: post.version,
      minorEdit: true,
    });
    expect(about(await inbox('admin'), 'postId', post.id)).toEqual([]);
  });
});

describe('likes are gathered into one item per post', () => {
  it('"Bob and 1 other liked…": one item, updated, unread again after new likes; never the liker', async () => {
    const spaceId = await space();
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Likeable', body: 'x' });
    await ok('alice', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true });
    expect(about(await inbox('alice'), 'postId', post.id)).toEqual([]);
    await ok('admin', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true });
    await ok('bob', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true });
    let items = about(await inbox('alice'), 'postId', post.id);
    expect(items).toEqual([
      expect.objectContaining({
        event: 'post-liked',
        reason: 'your-post',
        actorId: 'bob',
        likeCount: 2,
        likers: [expect.objectContaining({ id: 'bob' }), expect.objectContaining({ id: 'admin' })],
        read: false,
      }),
    ]);
    expect(about(await inbox('bob'), 'postId', post.id)).toEqual([]);
    // Replayed: nothing changes.
    const records = rt.front
      .stream(rt.tableName)
      .readAfter('', Number.MAX_SAFE_INTEGER)
      .filter((r) => r.dynamodb.NewImage?.type?.S === 'like' && r.dynamodb.NewImage?.postId?.S === post.id);
    expect((await rt.consumers.get('fanout')!.invoke(records)).ok).toBe(true);
    expect(about(await inbox('alice'), 'postId', post.id)).toEqual([items[0]]);
    // Read, then a new like: the one item is unread again, at the top, with the new liker first.
    await ok('alice', 'POST', `/me/notifications/${items[0].id}/read`);
    await ok('bob', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: false });
    await ok('pat', 'GET', '/me'); // (not a reader: employees' space)
    await ok('bob', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true });
    items = about(await inbox('alice'), 'postId', post.id);
    expect(items).toEqual([expect.objectContaining({ actorId: 'bob', likeCount: 2, read: false })]);
    expect(items[0].likers.map((p: any) => p.id)).toEqual(['bob', 'admin']);
  });
});

describe('likes handled at the same time', () => {
  it('two likes in one stream batch (handled in parallel) still make one item naming both', async () => {
    const spaceId = await space();
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Liked at once', body: 'x' });
    await rt.drain();
    // Held back, so that both like records reach the fan-out in one batch, as they can in Lambda.
    const fanout = rt.consumers.get('fanout')!;
    await fanout.stop();
    try {
      await ok('admin', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true });
      await ok('bob', 'PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true });
    } finally {
      fanout.start();
    }
    const items = about(await inbox('alice'), 'postId', post.id);
    expect(items).toEqual([expect.objectContaining({ event: 'post-liked', actorId: 'bob', likeCount: 2 })]);
    expect(items[0].likers.map((p: any) => p.id)).toEqual(['bob', 'admin']);
  });
});

describe('a space shared with my organisation', () => {
  it('tells the partners of that organisation only, never the actor', async () => {
    const spaceId = `nt-${++seq}`;
    const created = await ok('bob', 'POST', '/spaces', {
      id: spaceId,
      name: `To share ${seq}`,
      audience: 'members',
    });
    await ok('bob', 'PUT', `/spaces/${spaceId}/sharing`, { partnerOrgs: ['acme'], version: created.version });
    const pats = about(await inbox('pat'), 'spaceId', spaceId);
    expect(pats).toEqual([
      expect.objectContaining({ event: 'space-shared', reason: 'your-organisation', actorId: 'bob' }),
    ]);
    expect(about(await inbox('gus'), 'spaceId', spaceId)).toEqual([]);
    expect(about(await inbox('bob'), 'spaceId', spaceId)).toEqual([]);
    expect(about(await inbox('alice'), 'spaceId', spaceId)).toEqual([]);
    // Shared with globex as well: gus is told now, pat not again.
    await ok('bob', 'PUT', `/spaces/${spaceId}/sharing`, {
      partnerOrgs: ['acme', 'globex'],
      version: (await ok('bob', 'GET', `/spaces/${spaceId}`)).version,
    });
    expect(about(await inbox('gus'), 'spaceId', spaceId)).toHaveLength(1);
    expect(about(await inbox('pat'), 'spaceId', spaceId)).toHaveLength(1);
  });
});

describe('commenting and editing watch the thing, unless turned off', () => {
  it('a commenter watches the post, an editor the page; settings turn each off', async () => {
    const spaceId = await space();
    const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Discuss', body: 'x' });
    await ok('bob', 'POST', `/spaces/${spaceId}/posts/${post.id}/comments`, { body: 'First' });
    await rt.drain();
    const watches = async (account: string) => (await ok(account, 'GET', '/me/watches?limit=100')).items;
    expect(await watches('bob')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'post',
          postId: post.id,
          auto: true,
          autoBecause: 'commented',
          label: 'Discuss',
        }),
      ]),
    );
    // So bob hears of the next comment.
    const next = await ok('admin', 'POST', `/spaces/${spaceId}/posts/${post.id}/comments`, {
      body: 'Second',
    });
    expect(about(await inbox('bob'), 'commentId', next.id)).toEqual([
      expect.objectContaining({ reason: 'watched-post' }),
    ]);

    expect(await ok('admin', 'GET', '/me/subscription-settings')).toEqual({
      watchOnCreate: true,
      watchOnComment: true,
      watchOnEdit: true,
    });
    expect(
      await ok('admin', 'PUT', '/me/subscription-settings', { watchOnComment: false, watchOnEdit: false }),
    ).toEqual({
      watchOnCreate: true,
      watchOnComment: false,
      watchOnEdit: false,
    });
    const other = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Quiet', body: 'x' });
    await ok('admin', 'POST', `/spaces/${spaceId}/posts/${other.id}/comments`, { body: 'Hm' });
    const page = await ok('alice', 'POST', `/spaces/${spaceId}/pages`, { title: 'Edit me', body: 'x' });
    await ok('bob', 'PUT', `/spaces/${spaceId}/pages/${page.id}`, {
      title: 'Edit me',
      body: 'y',
      version: 1,
    });
    const edited = await ok('admin', 'PUT', `/spaces/${spaceId}/pages/${page.id}`, {
      title: 'Edit me',
      body: 'z',
      version: 2,
    });
    await rt.drain();
    expect(await watches('bob')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'page', pageId: page.id, auto: true, autoBecause: 'edited' }),
      ]),
    );
    const admins = await watches('admin');
    expect(admins.filter((w: any) => w.postId === other.id || w.pageId === page.id)).toEqual([]);
    expect(edited.version).toBe(3);
    await ok('admin', 'PUT', '/me/subscription-settings', { watchOnComment: true, watchOnEdit: true });
  });
});
