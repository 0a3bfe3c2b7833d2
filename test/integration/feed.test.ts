// The home feed over the real local runtime: an activity stream the fan-out derives from the table
// stream, read in the same number of DynamoDB requests whatever the number of spaces; trimmed for
// partners and non-members (also right after a share is revoked or a member removed); deleted posts
// gone; page edits coalesced; comments for the people told; paging without gaps or duplicates; and
// rebuilt from the table.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rebuildFeed } from '../../functions/streams/feed-rebuild';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let seq = 0;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

interface Card {
  kind: string;
  id: string;
  spaceId: string;
  at: string;
  title: string;
  edits: number;
  authorName: string;
  link: string;
}

/** Every item of an account's feed, all pages, after the stream has been drained. */
async function feed(account: string, limit = 100): Promise<Card[]> {
  await rt.drain();
  const items: Card[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await ok(account, 'GET', `/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && ++pages < 100);
  return items;
}

const titles = (items: Card[]) => items.map((item) => item.title);

async function space(audience: 'employees' | 'members', owner = 'bob'): Promise<string> {
  const id = `fd-${++seq}`;
  await ok(owner, 'POST', '/spaces', { id, name: `Feed ${seq}`, audience });
  return id;
}

async function post(account: string, spaceId: string, title: string): Promise<string> {
  return (await ok(account, 'POST', `/spaces/${spaceId}/posts`, { title, body: `About ${title}.` })).id;
}

async function version(spaceId: string): Promise<number> {
  return (await ok('bob', 'GET', `/spaces/${spaceId}`)).version;
}

/** The DynamoDB requests (counted at the API's table) of one feed page. */
async function requestsOfFeed(account: string): Promise<number> {
  await rt.drain();
  const before = rt.table.roundTrips;
  await ok(account, 'GET', '/feed?limit=20');
  return rt.table.roundTrips - before;
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

describe('cost', () => {
  it('reads a page of the feed in the same number of DynamoDB requests at 2 and at 30 spaces', async () => {
    // Alice in spaces of every kind: open to employees, members-only, shared with a partner.
    const spaces: string[] = [];
    const addSpace = async (i: number) => {
      const audience = i % 2 ? 'members' : 'employees';
      const id = await space(audience);
      await ok('bob', 'PUT', `/spaces/${id}/members/alice`, { role: 'editor' });
      if (i % 3 === 2)
        await ok('bob', 'PUT', `/spaces/${id}/sharing`, {
          partnerOrgs: ['acme'],
          version: await version(id),
        });
      await post('bob', id, `Cost ${i}`);
      spaces.push(id);
    };
    for (let i = 0; i < 2; i++) await addSpace(i);
    const atTwo = await requestsOfFeed('alice');
    for (let i = 2; i < 30; i++) await addSpace(i);
    const atThirty = await requestsOfFeed('alice');
    // Two Queries (the employees' partition and her own) and one BatchGetItem (spaces and memberships).
    expect(atTwo).toBe(3);
    expect(atThirty).toBe(atTwo);
    // The partner's feed: the per-request check of their organisation and profile (one BatchGetItem),
    // then its organisation's partition and its own, then the spaces.
    expect(await requestsOfFeed('pat')).toBe(4);
    // And every one of the 30 spaces is in it: nothing is left out past some number of spaces.
    const mine = titles(await feed('alice'));
    for (let i = 0; i < 30; i++) expect(mine).toContain(`Cost ${i}`);
  }, 120_000);
});

describe('who sees what', () => {
  it('a members-only space: its members see its activity, a non-member never, a removed member no longer', async () => {
    const id = await space('members');
    await ok('bob', 'PUT', `/spaces/${id}/members/alice`, { role: 'reader' });
    await post('bob', id, 'Members only news');
    expect(titles(await feed('bob'))).toContain('Members only news');
    expect(titles(await feed('alice'))).toContain('Members only news');
    for (const outsider of ['admin', 'pat', 'gus'])
      expect(titles(await feed(outsider))).not.toContain('Members only news');

    expect((await rt.api('bob', 'DELETE', `/spaces/${id}/members/alice`)).status).toBe(204);
    expect(titles(await feed('alice'))).not.toContain('Members only news');
  });

  it("a partner sees what is shared with their organisation, never another's, and nothing once unshared", async () => {
    const id = await space('members');
    await ok('bob', 'PUT', `/spaces/${id}/sharing`, { partnerOrgs: ['acme'], version: await version(id) });
    await ok('bob', 'PUT', `/spaces/${id}/members/pat`, { role: 'editor' });
    await post('bob', id, 'For Acme eyes');
    await post('pat', id, 'Pat replies in a post');
    await rt.drain();
    expect(titles(await feed('pat'))).toEqual(
      expect.arrayContaining(['For Acme eyes', 'Pat replies in a post']),
    );
    // Bob, a member, sees both (pat's by name); gus (globex) and alice (no member) see neither.
    expect((await feed('bob')).find((c) => c.title === 'Pat replies in a post')).toMatchObject({
      authorName: 'Pat Partner',
    });
    for (const outsider of ['gus', 'alice'])
      expect(titles(await feed(outsider))).not.toEqual(expect.arrayContaining(['For Acme eyes']));

    await ok('bob', 'PUT', `/spaces/${id}/sharing`, { partnerOrgs: [], version: await version(id) });
    const after = await feed('pat');
    expect(titles(after)).not.toContain('For Acme eyes');
    expect(titles(after)).not.toContain('Pat replies in a post');
    expect(JSON.stringify(after)).not.toContain(id);
  });

  it('an employee sees activity of every space open to employees, without being a member', async () => {
    const id = await space('employees');
    await post('bob', id, 'Open to all');
    expect(titles(await feed('admin'))).toContain('Open to all');
    expect(titles(await feed('alice'))).toContain('Open to all');
    expect(titles(await feed('pat'))).not.toContain('Open to all');
  });
});

describe('what happens', () => {
  it('a deleted post disappears; an edited one shows its new title', async () => {
    const id = await space('employees');
    const postId = await post('bob', id, 'Soon gone');
    const kept = await post('bob', id, 'Kept, first title');
    expect(titles(await feed('alice'))).toEqual(expect.arrayContaining(['Soon gone', 'Kept, first title']));
    expect((await rt.api('bob', 'DELETE', `/spaces/${id}/posts/${postId}`)).status).toBe(204);
    await ok('bob', 'PUT', `/spaces/${id}/posts/${kept}`, {
      title: 'Kept, new title',
      body: 'x',
      version: 1,
    });
    const items = await feed('alice');
    expect(titles(items)).not.toContain('Soon gone');
    expect(titles(items)).not.toContain('Kept, first title');
    expect(items.find((c) => c.id === kept)).toMatchObject({
      kind: 'post',
      title: 'Kept, new title',
      link: `/spaces/${id}/posts/${kept}`,
    });
    // Not the body: a card carries what it shows.
    expect(items.find((c) => c.id === kept)).not.toHaveProperty('body');
  });

  it('edits of one page close together are one item; a deleted page leaves the feed', async () => {
    const id = await space('employees');
    await ok('bob', 'PUT', `/spaces/${id}/members/alice`, { role: 'editor' });
    const page = await ok('bob', 'POST', `/spaces/${id}/pages`, { title: 'Runbook', body: 'v1' });
    await rt.drain();
    let version = page.version;
    for (const body of ['v2', 'v3']) {
      version = (
        await ok('alice', 'PUT', `/spaces/${id}/pages/${page.id}`, { title: 'Runbook', body, version })
      ).version;
      await rt.drain();
    }
    const cards = (await feed('admin')).filter((c) => c.spaceId === id);
    expect(cards).toEqual([
      expect.objectContaining({ kind: 'page', id: page.id, edits: 3, authorName: 'Alice Andersen' }),
    ]);
    expect((await rt.api('bob', 'DELETE', `/spaces/${id}/pages/${page.id}`)).status).toBe(204);
    expect((await feed('admin')).filter((c) => c.spaceId === id)).toEqual([]);
  });

  it('a comment reaches the feed of those it tells (the post author), not of everyone', async () => {
    const id = await space('employees');
    const postId = await post('bob', id, 'Comment on me');
    await rt.drain();
    const comment = await ok('alice', 'POST', `/spaces/${id}/posts/${postId}/comments`, {
      body: 'A fine point',
    });
    const bobs = (await feed('bob')).filter((c) => c.kind === 'comment' && c.id === comment.id);
    expect(bobs).toEqual([
      expect.objectContaining({
        title: 'Comment on me',
        link: `/spaces/${id}/posts/${postId}#comment-${comment.id}`,
      }),
    ]);
    expect((await feed('admin')).filter((c) => c.kind === 'comment' && c.id === comment.id)).toEqual([]);
    expect((await rt.api('bob', 'DELETE', `/spaces/${id}/posts/${postId}`)).status).toBe(204);
    expect((await feed('bob')).filter((c) => c.spaceId === id)).toEqual([]);
  });
});

describe('paging', () => {
  it('pages through two partitions without gaps or duplicates, a constant number of requests a page', async () => {
    const open = await space('employees');
    const closed = await space('members');
    await ok('bob', 'PUT', `/spaces/${closed}/members/alice`, { role: 'reader' });
    const written: string[] = [];
    for (let i = 0; i < 13; i++) written.push(await post('bob', i % 3 ? open : closed, `Paged ${i}`));
    await rt.drain();

    const everything = await feed('alice');
    const seen: Card[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const before = rt.table.roundTrips;
      const page = await ok('alice', 'GET', `/feed?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(rt.table.roundTrips - before).toBeLessThanOrEqual(3);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items);
      cursor = page.cursor;
    } while (cursor && ++pages < 200);
    const keyOf = (c: Card) => `${c.kind}/${c.spaceId}/${c.id}/${c.at}`;
    expect(seen.map(keyOf)).toEqual(everything.map(keyOf));
    expect(new Set(seen.map(keyOf)).size).toBe(seen.length);
    // Newest first, and all thirteen there.
    const times = seen.map((c) => c.at);
    expect([...times].sort().reverse()).toEqual(times);
    const ids = seen.map((c) => c.id);
    for (const id of written) expect(ids).toContain(id);
  });

  it('refuses a cursor it did not make', async () => {
    for (const cursor of ['nonsense', Buffer.from('{"after":["x"],"done":[false]}').toString('base64url')])
      expect((await rt.api('alice', 'GET', `/feed?cursor=${cursor}`)).status).toBe(400);
  });
});

describe('rebuild', () => {
  it('deletes and regenerates every feed item from the table to the same feed', async () => {
    const before = await feed('alice');
    const pats = await feed('pat');
    const { deleted, sources } = await rebuildFeed(rt.table);
    expect(deleted).toBeGreaterThan(0);
    expect(sources).toBeGreaterThan(0);
    const shape = (items: Card[]) => items.map((c) => `${c.kind}/${c.spaceId}/${c.id}/${c.at}/${c.title}`);
    expect(shape(await feed('alice'))).toEqual(shape(before));
    expect(shape(await feed('pat'))).toEqual(shape(pats));
  }, 60_000);
});
