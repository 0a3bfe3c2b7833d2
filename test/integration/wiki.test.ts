/**
 * The wiki over the real local runtime: pages and their ids, the tree, edit conflicts that never
 * overwrite, full history with any version and restore, [[links]] and backlinks, deletion, search,
 * and what partners see. (Who may call which route is in permission-matrix.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Table } from '../../functions/data/table';
import { pageItem, pageNodeItem } from '../../functions/domain/wiki/page';
import { backfillPageTree } from '../../functions/domain/wiki/page-tree-backfill';
import { seedDemoData } from '../../local/seed';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
const S = 'wiki-space';
const SHARED = 'wiki-shared';

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

function expectProblem(response: ApiResponse, status: number, type: string) {
  expect({ status: response.status, type: response.body?.type }).toEqual({
    status,
    type: `https://commonplace.dev/problems/${type}`,
  });
}

const page = (title: string, body = '', extra: Record<string, unknown> = {}) =>
  ok('alice', 'POST', `/spaces/${S}/pages`, { title, body, ...extra });

/** The DynamoDB requests `work` causes, by operation, counted at the local front once the stream is quiet. */
async function requestsOf<T>(
  work: () => Promise<T>,
): Promise<{ result: T; requests: Record<string, number> }> {
  await rt.drain();
  const before = rt.front.requestCounts();
  const result = await work();
  const after = rt.front.requestCounts();
  const requests = Object.fromEntries(
    Object.entries(after)
      .map(([operation, n]) => [operation, n - ((before as Record<string, number>)[operation] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
  return { result, requests };
}

/** A page straight into the table, with or without its tree node (as data from before tree nodes). */
function rawPage(spaceId: string, id: string, parentId?: string) {
  const at = new Date().toISOString();
  return pageItem({
    id,
    spaceId,
    title: id.replace(/-/g, ' '),
    ...(parentId ? { parentId } : {}),
    body: `Body of ${id}, `.repeat(50),
    html: '<p>…</p>',
    text: `Body of ${id}`,
    excerpt: `Body of ${id}`,
    tags: [],
    links: [],
    createdBy: 'alice',
    createdByName: 'Alice',
    updatedBy: 'alice',
    updatedByName: 'Alice',
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
}

/** `top` pages at the top level, the first of which has `below` pages right below it. */
async function plantWiki(spaceId: string, top: number, below: number) {
  await ok('alice', 'POST', '/spaces', { id: spaceId, name: `Wiki of ${top + below}` });
  const pages = [
    ...Array.from({ length: top }, (_, i) => rawPage(spaceId, `top-${String(i).padStart(4, '0')}`)),
    ...Array.from({ length: below }, (_, i) =>
      rawPage(spaceId, `child-${String(i).padStart(4, '0')}`, 'top-0000'),
    ),
  ];
  const nodes = pages.map((item) => pageNodeItem(item as never, item.id === 'top-0000' ? below : 0));
  await rt.table.writeMany([...pages, ...nodes], []);
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  await ok('alice', 'POST', '/spaces', { id: S, name: 'Wiki space' });
  await ok('alice', 'PUT', `/spaces/${S}/members/bob`, { role: 'editor' });
  await ok('alice', 'POST', '/spaces', { id: SHARED, name: 'Shared wiki', audience: 'members' });
  await ok('alice', 'PUT', `/spaces/${SHARED}/sharing`, { partnerOrgs: ['acme', 'globex'], version: 1 });
  await ok('pat', 'POST', `/spaces/${SHARED}/join`);
  await ok('gus', 'POST', `/spaces/${SHARED}/join`);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('pages', () => {
  it('get the slug of their title as id, render Markdown and count as version 1', async () => {
    const created = await page('Release Process', 'How we **ship**. See [[Deploy Checklist]] and #releases.');
    expect(created).toMatchObject({
      id: 'release-process',
      title: 'Release Process',
      version: 1,
      links: ['deploy-checklist'],
      tags: ['releases'],
      createdBy: 'alice',
      updatedBy: 'alice',
      permissions: { edit: true, delete: true },
    });
    expect(created.html).toContain('<strong>ship</strong>');
    expect(created.html).toContain(
      `<a href="/spaces/${S}/pages/deploy-checklist" class="page">Deploy Checklist</a>`,
    );
    const read = await ok('bob', 'GET', `/spaces/${S}/pages/release-process`);
    expect(read).toMatchObject({
      id: 'release-process',
      version: 1,
      permissions: { edit: true, delete: false },
    });
  });

  it('reads a page in one DynamoDB round trip', async () => {
    const before = rt.table.roundTrips;
    await ok('alice', 'GET', `/spaces/${S}/pages/release-process`);
    expect(rt.table.roundTrips - before).toBe(1);
  });

  it('refuses a second page with the same id, and gives non-Latin titles a generated id', async () => {
    expectProblem(
      await rt.api('bob', 'POST', `/spaces/${S}/pages`, { title: 'release  process!', body: '' }),
      409,
      'conflict',
    );
    const japanese = await page('日本語のページ', '本文');
    expect(japanese.id).toMatch(/^[0-9a-z]{26}$/);
  });

  it('builds a tree: parents must exist, and a page cannot go below itself', async () => {
    const guide = await page('Guide');
    const chapter = await page('Chapter One', '', { parentId: guide.id });
    const section = await page('Section', '', { parentId: chapter.id });
    expect(chapter.parentId).toBe('guide');
    expectProblem(
      await rt.api('alice', 'POST', `/spaces/${S}/pages`, { title: 'Orphan', body: '', parentId: 'nowhere' }),
      404,
      'not-found',
    );
    const cycle = await rt.api('alice', 'PUT', `/spaces/${S}/pages/guide`, {
      title: 'Guide',
      body: '',
      parentId: section.id,
      version: guide.version,
    });
    expectProblem(cycle, 409, 'conflict');
    expect(cycle.body.errors).toEqual([
      {
        field: 'parentId',
        message: expect.stringContaining('cycle'),
        detail: 'A page cannot sit below itself, nor more than 20 levels deep.',
      },
    ]);
    // Moving to the top with null, and the listing shows every page with its parent.
    const moved = await ok('alice', 'PUT', `/spaces/${S}/pages/section`, {
      title: 'Section',
      body: '',
      parentId: null,
      version: 1,
    });
    expect(moved.parentId).toBeUndefined();
    const list = await ok('bob', 'GET', `/spaces/${S}/pages?limit=100`);
    const byId = Object.fromEntries(list.items.map((p: { id: string }) => [p.id, p]));
    expect(byId['chapter-one']).toMatchObject({ title: 'Chapter One', parentId: 'guide' });
    expect(byId.section.parentId).toBeUndefined();
    expect(list.items[0].body).toBeUndefined();
    const titles = list.items.map((p: { title: string }) => p.title.toLowerCase());
    expect(titles).toEqual([...titles].sort());
    // The same tree, read a level at a time.
    const top = await ok('bob', 'GET', `/spaces/${S}/page-tree?limit=100`);
    const guideEntry = top.items.find((entry: { id: string }) => entry.id === 'guide');
    expect(guideEntry).toMatchObject({ title: 'Guide', childCount: 1, hasChildren: true });
    expect(top.items.find((entry: { id: string }) => entry.id === 'section')).toMatchObject({
      childCount: 0,
      hasChildren: false,
    });
    const below = await ok('bob', 'GET', `/spaces/${S}/page-tree?parent=guide`);
    expect(below.items).toEqual([
      expect.objectContaining({ id: 'chapter-one', parentId: 'guide', hasChildren: false }),
    ]);
  });
});

describe('the page tree, read by level', () => {
  it('gives the top level and any page’s children in one Query each, without bodies, with hasChildren', async () => {
    const space = 'tree-shape';
    await ok('alice', 'POST', '/spaces', { id: space, name: 'Tree shape' });
    const create = (title: string, parentId?: string) =>
      ok('alice', 'POST', `/spaces/${space}/pages`, { title, body: 'A long body. '.repeat(200), parentId });
    await create('Zebra');
    await create('apple');
    await create('Mango', 'apple');
    await create('Kiwi', 'apple');
    await create('Seed', 'kiwi');

    const top = await requestsOf(() => ok('bob', 'GET', `/spaces/${space}/page-tree`));
    expect(top.result.items.map((e: { id: string }) => e.id)).toEqual(['apple', 'zebra']);
    expect(top.result.items[0]).toEqual({
      id: 'apple',
      spaceId: space,
      title: 'apple',
      childCount: 2,
      hasChildren: true,
      updatedAt: expect.any(String),
    });
    // The space check (one BatchGetItem) and one Query: no page bodies are read.
    expect(top.requests).toEqual({ BatchGetItem: 1, Query: 1, total: 2 });

    const children = await requestsOf(() => ok('bob', 'GET', `/spaces/${space}/page-tree?parent=apple`));
    expect(children.result.items).toEqual([
      expect.objectContaining({ id: 'kiwi', parentId: 'apple', childCount: 1, hasChildren: true }),
      expect.objectContaining({ id: 'mango', parentId: 'apple', childCount: 0, hasChildren: false }),
    ]);
    expect(children.requests).toEqual({ BatchGetItem: 1, Query: 1, total: 2 });
    expect(JSON.stringify(children.result)).not.toContain('A long body');

    // Cursor paging: a level a page at a time, nothing left out.
    const first = await ok('bob', 'GET', `/spaces/${space}/page-tree?parent=apple&limit=1`);
    expect(first.items.map((e: { id: string }) => e.id)).toEqual(['kiwi']);
    const second = await ok(
      'bob',
      'GET',
      `/spaces/${space}/page-tree?parent=apple&limit=1&cursor=${encodeURIComponent(first.cursor)}`,
    );
    expect(second.items.map((e: { id: string }) => e.id)).toEqual(['mango']);
    // Not readable: the same 404 as every other route of a members-only space.
    expectProblem(await rt.api('pat', 'GET', `/spaces/${space}/page-tree`), 404, 'not-found');
  });

  it('looks pages up by id (which [[links]] exist, a parent’s title) and by the start of a title, in constant requests', async () => {
    const space = 'tree-lookup';
    await ok('alice', 'POST', '/spaces', { id: space, name: 'Tree lookup' });
    for (const title of ['Release process', 'Release notes', 'Onboarding'])
      await ok('alice', 'POST', `/spaces/${space}/pages`, { title, body: 'x' });
    await ok('bob', 'GET', '/me'); // bob's first request writes his profile: not part of the count

    const nodes = await requestsOf(() =>
      ok('bob', 'GET', `/spaces/${space}/page-tree/nodes?ids=release-notes,never-written,onboarding`),
    );
    expect(nodes.result.items.map((n: { id: string }) => n.id).sort()).toEqual([
      'onboarding',
      'release-notes',
    ]);
    expect(nodes.result.items[0]).toMatchObject({ title: expect.any(String), hasChildren: false });
    // The space check and one BatchGetItem of the named nodes, run side by side.
    expect(nodes.requests).toEqual({ BatchGetItem: 2, total: 2 });

    const found = await requestsOf(() => ok('bob', 'GET', `/spaces/${space}/pages?title=RELEASE%20n`));
    expect(found.result.items.map((p: { id: string }) => p.id)).toEqual(['release-notes']);
    expect(found.requests).toEqual({ BatchGetItem: 1, Query: 1, total: 2 });
    const both = await ok('bob', 'GET', `/spaces/${space}/pages?title=release`);
    expect(both.items.map((p: { id: string }) => p.id)).toEqual(['release-notes', 'release-process']);

    // Bad input: no ids, too many, an id that is not one; and a space the caller may not read.
    expectProblem(await rt.api('bob', 'GET', `/spaces/${space}/page-tree/nodes?ids=`), 400, 'validation');
    const many = Array.from({ length: 101 }, (_, i) => `p-${i}`).join(',');
    expectProblem(
      await rt.api('bob', 'GET', `/spaces/${space}/page-tree/nodes?ids=${many}`),
      400,
      'validation',
    );
    expectProblem(
      await rt.api('bob', 'GET', `/spaces/${space}/page-tree/nodes?ids=Not%20An%20Id`),
      400,
      'validation',
    );
    expectProblem(
      await rt.api('pat', 'GET', `/spaces/${space}/page-tree/nodes?ids=onboarding`),
      404,
      'not-found',
    );
  });

  it('costs the same number of DynamoDB requests at 10 and at 500 pages', async () => {
    await plantWiki('tree-10', 5, 5);
    await plantWiki('tree-500', 100, 400);
    const cost = async (space: string) => {
      const top = await requestsOf(() => ok('alice', 'GET', `/spaces/${space}/page-tree?limit=100`));
      const children = await requestsOf(() =>
        ok('alice', 'GET', `/spaces/${space}/page-tree?parent=top-0000&limit=100`),
      );
      expect(top.result.items[0]).toMatchObject({ id: 'top-0000', hasChildren: true });
      expect(children.result.items[0]).toMatchObject({ id: 'child-0000', hasChildren: false });
      return { top: top.requests, children: children.requests };
    };
    const small = await cost('tree-10');
    const large = await cost('tree-500');
    expect(small).toEqual({
      top: { BatchGetItem: 1, Query: 1, total: 2 },
      children: { BatchGetItem: 1, Query: 1, total: 2 },
    });
    expect(large).toEqual(small);
    // The 1,000 planted items go through the stream (search, feed): let them through here, so the
    // next tests' writes do not wait behind them.
    await rt.drain();
  }, 180_000);

  it('takes 20 pages created under one parent at once (6 at a time) without a conflict', async () => {
    await page('Busy Parent');
    const titles = Array.from({ length: 20 }, (_, i) => `Busy child ${i}`);
    const statuses: number[] = [];
    for (let start = 0; start < titles.length; start += 6) {
      const batch = await Promise.all(
        titles.slice(start, start + 6).map((title, i) =>
          rt.api(i % 2 ? 'bob' : 'alice', 'POST', `/spaces/${S}/pages`, {
            title,
            body: '',
            parentId: 'busy-parent',
          }),
        ),
      );
      statuses.push(...batch.map((response) => response.status));
    }
    expect(statuses).toEqual(titles.map(() => 201));
    const level = await ok('alice', 'GET', `/spaces/${S}/page-tree?parent=busy-parent&limit=100`);
    expect(level.items).toHaveLength(20);
    const top = await ok('alice', 'GET', `/spaces/${S}/page-tree?limit=100`);
    expect(top.items.find((e: { id: string }) => e.id === 'busy-parent').childCount).toBe(20);
  }, 90_000);

  it('refuses a move that would make a cycle and changes nothing', async () => {
    await page('Cycle Root');
    await page('Cycle Mid', '', { parentId: 'cycle-root' });
    await page('Cycle Leaf', '', { parentId: 'cycle-mid' });
    const snapshot = async () => ({
      top: (await ok('alice', 'GET', `/spaces/${S}/page-tree?limit=100`)).items.find(
        (e: { id: string }) => e.id === 'cycle-root',
      ),
      mid: (await ok('alice', 'GET', `/spaces/${S}/page-tree?parent=cycle-root`)).items,
      leaf: (await ok('alice', 'GET', `/spaces/${S}/page-tree?parent=cycle-mid`)).items,
      root: await ok('alice', 'GET', `/spaces/${S}/pages/cycle-root`),
    });
    const before = await snapshot();
    const refused = await rt.api('alice', 'PUT', `/spaces/${S}/pages/cycle-root`, {
      title: 'Cycle Root',
      body: 'moved below its own grandchild',
      parentId: 'cycle-leaf',
      version: 1,
    });
    expectProblem(refused, 409, 'conflict');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await snapshot()).toEqual(before);
    expect(before.root).toMatchObject({ version: 1, body: '' });
  });

  it('lets at most one of two concurrent moves through when together they would make a cycle', async () => {
    // A sits at the top; C sits below B. Moving A below C while B moves below A would close A → C → B → A.
    await page('Race A');
    await page('Race B');
    await page('Race C', '', { parentId: 'race-b' });
    const moves = await Promise.all([
      rt.api('alice', 'PUT', `/spaces/${S}/pages/race-a`, {
        title: 'Race A',
        body: '',
        parentId: 'race-c',
        version: 1,
      }),
      rt.api('bob', 'PUT', `/spaces/${S}/pages/race-b`, {
        title: 'Race B',
        body: '',
        parentId: 'race-a',
        version: 1,
      }),
    ]);
    expect(moves.filter((m) => m.status === 200).length).toBeLessThanOrEqual(1);
    for (const refused of moves.filter((m) => m.status !== 200)) expect([400, 409]).toContain(refused.status);
    // Whatever won, walking up from each page reaches the top.
    for (const start of ['race-a', 'race-b', 'race-c']) {
      const seen = new Set<string>();
      let at: string | undefined = start;
      while (at) {
        expect(seen.has(at)).toBe(false);
        seen.add(at);
        at = (await ok('alice', 'GET', `/spaces/${S}/pages/${at}`)).parentId;
      }
    }
    // Child counts agree with the pages.
    for (const parent of ['race-a', 'race-b', 'race-c']) {
      const level = await ok('alice', 'GET', `/spaces/${S}/page-tree?parent=${parent}`);
      const parentIds = await Promise.all(
        ['race-a', 'race-b', 'race-c'].map(
          async (id) => (await ok('alice', 'GET', `/spaces/${S}/pages/${id}`)).parentId,
        ),
      );
      expect(level.items.length).toBe(parentIds.filter((p) => p === parent).length);
    }
  });

  it('builds tree nodes for pages written before they existed (the migration), and counts their children', async () => {
    const space = 'tree-legacy';
    await ok('alice', 'POST', '/spaces', { id: space, name: 'Legacy wiki' });
    await rt.table.writeMany(
      [
        rawPage(space, 'old-root'),
        rawPage(space, 'old-child', 'old-root'),
        rawPage(space, 'old-grandchild', 'old-child'),
        { PK: `SPACE#${space}`, SK: 'PAGETREE', treeVersion: 3 },
      ],
      [],
    );
    expect((await ok('alice', 'GET', `/spaces/${space}/page-tree`)).items).toEqual([]);
    expectProblem(
      await rt.api('alice', 'POST', `/spaces/${space}/pages`, {
        title: 'New',
        body: '',
        parentId: 'old-root',
      }),
      409,
      'conflict',
    );
    const operator = new Table(rt.table.client, rt.table.name);
    const outcome = await backfillPageTree(rt.table.client, operator);
    expect(outcome.written).toBeGreaterThanOrEqual(3);
    expect((await ok('alice', 'GET', `/spaces/${space}/page-tree`)).items).toEqual([
      expect.objectContaining({ id: 'old-root', childCount: 1, hasChildren: true }),
    ]);
    expect((await ok('alice', 'GET', `/spaces/${space}/page-tree?parent=old-child`)).items).toEqual([
      expect.objectContaining({ id: 'old-grandchild', hasChildren: false }),
    ]);
    expect(await rt.table.get({ PK: `SPACE#${space}`, SK: 'PAGETREE' })).toBeUndefined();
    // Run again: nothing to write.
    expect((await backfillPageTree(rt.table.client, operator)).written).toBe(0);
    await ok('alice', 'POST', `/spaces/${space}/pages`, { title: 'New', body: '', parentId: 'old-root' });
    expect((await ok('alice', 'GET', `/spaces/${space}/page-tree?parent=old-root`)).items).toHaveLength(2);
  });
});

describe('editing', () => {
  it('detects a concurrent edit: the second writer gets 409 with the current version, and nothing is overwritten', async () => {
    const created = await page('Shared Notes', 'first');
    const [first, second] = await Promise.all([
      rt.api('alice', 'PUT', `/spaces/${S}/pages/shared-notes`, {
        title: 'Shared Notes',
        body: 'alice',
        version: 1,
      }),
      rt.api('bob', 'PUT', `/spaces/${S}/pages/shared-notes`, {
        title: 'Shared Notes',
        body: 'bob',
        version: 1,
      }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    const winner = first.status === 200 ? first : second;
    expectProblem(loser, 409, 'edit-conflict');
    expect(loser.body.currentVersion).toBe(2);
    const now = await ok('alice', 'GET', `/spaces/${S}/pages/${created.id}`);
    expect(now).toMatchObject({ version: 2, body: winner.body.body });
    const history = await ok('alice', 'GET', `/spaces/${S}/pages/${created.id}/versions`);
    expect(history.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('keeps every version: history newest first, any version with its HTML, restore as a new version', async () => {
    await page('Onboarding', 'v1 text');
    await ok('bob', 'PUT', `/spaces/${S}/pages/onboarding`, {
      title: 'Onboarding',
      body: 'v2 text with [[Guide]]',
      summary: 'Link the guide',
      version: 1,
    });
    await ok('alice', 'PUT', `/spaces/${S}/pages/onboarding`, {
      title: 'Onboarding (new)',
      body: 'v3 text',
      version: 2,
    });

    const history = await ok('alice', 'GET', `/spaces/${S}/pages/onboarding/versions`);
    expect(history.items).toEqual([
      expect.objectContaining({ version: 3, title: 'Onboarding (new)', editedBy: 'alice' }),
      expect.objectContaining({ version: 2, editedBy: 'bob', summary: 'Link the guide' }),
      expect.objectContaining({ version: 1, editedBy: 'alice' }),
    ]);
    expect(history.items[0].body).toBeUndefined();

    const v2 = await ok('alice', 'GET', `/spaces/${S}/pages/onboarding/versions/2`);
    expect(v2).toMatchObject({ version: 2, body: 'v2 text with [[Guide]]' });
    expect(v2.html).toContain(`href="/spaces/${S}/pages/guide"`);
    expectProblem(await rt.api('alice', 'GET', `/spaces/${S}/pages/onboarding/versions/9`), 404, 'not-found');

    expectProblem(
      await rt.api('alice', 'POST', `/spaces/${S}/pages/onboarding/restore`, { fromVersion: 1, version: 2 }),
      409,
      'edit-conflict',
    );
    const restored = await ok('alice', 'POST', `/spaces/${S}/pages/onboarding/restore`, {
      fromVersion: 1,
      version: 3,
    });
    expect(restored).toMatchObject({ version: 4, title: 'Onboarding', body: 'v1 text', id: 'onboarding' });
    const newest = (await ok('alice', 'GET', `/spaces/${S}/pages/onboarding/versions?limit=1`)).items[0];
    expect(newest).toMatchObject({ version: 4, restoredFrom: 1, summary: 'Restored version 1' });
  });
});

describe('links', () => {
  it('keeps backlinks in step with edits, also for pages that do not exist yet', async () => {
    await page('Runbook', 'See [[Incident Review]] and [[Runbook]] itself.');
    await page('Postmortem Template', 'Fill in after an [[incident review|incident]].');
    const backlinks = await ok('bob', 'GET', `/spaces/${S}/pages/incident-review/backlinks`);
    expect(backlinks.items).toEqual([
      { id: 'postmortem-template', title: 'Postmortem Template' },
      { id: 'runbook', title: 'Runbook' },
    ]);
    // A page does not link to itself.
    expect((await ok('bob', 'GET', `/spaces/${S}/pages/runbook`)).links).toEqual(['incident-review']);

    await ok('alice', 'PUT', `/spaces/${S}/pages/runbook`, {
      title: 'Runbook',
      body: 'No links now.',
      version: 1,
    });
    expect((await ok('bob', 'GET', `/spaces/${S}/pages/incident-review/backlinks`)).items).toEqual([
      { id: 'postmortem-template', title: 'Postmortem Template' },
    ]);
  });
});

describe('backlinks at scale', () => {
  it('pages through every backlink with a cursor, one Query and one BatchGetItem a page, none left out', async () => {
    const titles = Array.from({ length: 7 }, (_, i) => `Linker ${i}`);
    for (const title of titles) await page(title, 'Points at [[Hub Page]].');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const before = rt.table.roundTrips;
      const query = `limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await ok('bob', 'GET', `/spaces/${S}/pages/hub-page/backlinks?${query}`);
      pages++;
      expect(answer.items.length).toBeLessThanOrEqual(3);
      seen.push(...answer.items.map((link: { title: string }) => link.title));
      cursor = answer.cursor;
      // The space check, the links and their pages: a constant number of requests, whatever the count.
      expect(rt.table.roundTrips - before).toBeLessThanOrEqual(3);
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([...titles].sort());
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

describe('deleting', () => {
  it('refuses while pages sit below, then removes the page, its history and its links', async () => {
    const parent = await page('Old Area', 'Points at [[Somewhere]]');
    await page('Old Child', '', { parentId: parent.id });
    expectProblem(await rt.api('alice', 'DELETE', `/spaces/${S}/pages/old-area`), 409, 'conflict');
    expect((await ok('alice', 'GET', `/spaces/${S}/pages/old-area`)).version).toBe(1);
    expect((await rt.api('alice', 'DELETE', `/spaces/${S}/pages/old-child`)).status).toBe(204);
    expect((await ok('alice', 'GET', `/spaces/${S}/page-tree?parent=old-area`)).items).toEqual([]);
    expect((await rt.api('alice', 'DELETE', `/spaces/${S}/pages/old-area`)).status).toBe(204);
    expectProblem(await rt.api('alice', 'GET', `/spaces/${S}/pages/old-area`), 404, 'not-found');
    expectProblem(await rt.api('alice', 'GET', `/spaces/${S}/pages/old-area/versions`), 404, 'not-found');
    expect((await ok('alice', 'GET', `/spaces/${S}/pages/somewhere/backlinks`)).items).toEqual([]);
    const leftovers = await rt.table.query({
      partition: `SPACE#${S}`,
      beginsWith: 'PAGE#old-area',
      limit: 10,
    });
    expect(leftovers.items).toEqual([]);
    expect(await rt.table.get({ PK: `SPACE#${S}`, SK: 'TREE#old-area' })).toBeUndefined();
  });
});

describe('limits and races (from review)', () => {
  it('saves a page with more [[links]] than fit in one transaction, and keeps its backlinks right', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `[[Glossary term ${i}]]`).join(' ');
    const glossary = await page('Glossary', many);
    expect(glossary.links).toHaveLength(120);
    expect((await ok('bob', 'GET', `/spaces/${S}/pages/glossary-term-119/backlinks`)).items).toEqual([
      { id: 'glossary', title: 'Glossary' },
    ]);
    const other = Array.from({ length: 110 }, (_, i) => `[[Index entry ${i}]]`).join(' ');
    await ok('alice', 'PUT', `/spaces/${S}/pages/glossary`, { title: 'Glossary', body: other, version: 1 });
    expect((await ok('bob', 'GET', `/spaces/${S}/pages/glossary-term-0/backlinks`)).items).toEqual([]);
    expect((await ok('bob', 'GET', `/spaces/${S}/pages/index-entry-109/backlinks`)).items).toHaveLength(1);
  });

  it('never lets two moves at once make a cycle', async () => {
    await page('Left');
    await page('Right');
    const moves = await Promise.all([
      rt.api('alice', 'PUT', `/spaces/${S}/pages/left`, {
        title: 'Left',
        body: '',
        parentId: 'right',
        version: 1,
      }),
      rt.api('bob', 'PUT', `/spaces/${S}/pages/right`, {
        title: 'Right',
        body: '',
        parentId: 'left',
        version: 1,
      }),
    ]);
    expect(moves.map((m) => m.status).sort()).toEqual([200, expect.any(Number)]);
    expect(moves.filter((m) => m.status === 200)).toHaveLength(1);
    const refused = moves.find((m) => m.status !== 200)!;
    expect([400, 409]).toContain(refused.status);
    const [left, right] = await Promise.all(
      ['left', 'right'].map((id) => ok('alice', 'GET', `/spaces/${S}/pages/${id}`)),
    );
    expect([left.parentId, right.parentId].filter(Boolean)).toHaveLength(1);
  });

  it('finishes a delete that stopped half-way, and a page written anew starts with an empty history', async () => {
    await page('Phoenix', 'first life [[Ashes]]');
    await ok('alice', 'PUT', `/spaces/${S}/pages/phoenix`, {
      title: 'Phoenix',
      body: 'second version',
      version: 1,
    });
    // A delete that marked the page and then stopped (the process died before the clean-up).
    await rt.table.update({
      Key: { PK: `SPACE#${S}`, SK: 'PAGE#phoenix' },
      UpdateExpression: 'SET deleting = :yes, version = version + :one',
      ExpressionAttributeValues: { ':yes': true, ':one': 1 },
    });
    expectProblem(await rt.api('bob', 'GET', `/spaces/${S}/pages/phoenix`), 404, 'not-found');
    expect(
      (await ok('bob', 'GET', `/spaces/${S}/pages?limit=100`)).items.map((p: { id: string }) => p.id),
    ).not.toContain('phoenix');
    expectProblem(
      await rt.api('alice', 'POST', `/spaces/${S}/pages`, { title: 'Phoenix', body: 'too early' }),
      409,
      'conflict',
    );

    expect((await rt.api('alice', 'DELETE', `/spaces/${S}/pages/phoenix`)).status).toBe(204);
    const reborn = await page('Phoenix', 'second life');
    expect(reborn.version).toBe(1);
    const history = await ok('alice', 'GET', `/spaces/${S}/pages/phoenix/versions`);
    expect(history.items.map((v: { version: number }) => v.version)).toEqual([1]);
    await ok('alice', 'PUT', `/spaces/${S}/pages/phoenix`, { title: 'Phoenix', body: 'edited', version: 1 });
    expect((await ok('alice', 'GET', `/spaces/${S}/pages/ashes/backlinks`)).items).toEqual([]);
  });

  it('takes page ids a web address can hold: no dots, no capitals; “New” is an ordinary page', async () => {
    for (const id of ['..', '.', 'Upper', 'a.b', '-dash'])
      expectProblem(
        await rt.api('alice', 'POST', `/spaces/${S}/pages`, { id, title: 'x', body: '' }),
        400,
        'validation',
      );
    expect((await page('New', 'A page called New')).id).toBe('new');
    expect((await ok('bob', 'GET', `/spaces/${S}/pages/new`)).title).toBe('New');
  });
});

describe('search', () => {
  it('finds pages by their text for readers, and follows edits and deletion', async () => {
    await page('Kubernetes Upgrades', 'The zebrafish procedure for cluster upgrades.');
    await rt.drain();
    const hits = await ok('bob', 'GET', '/search?q=zebrafish&type=page');
    expect(hits.items.map((h: { url: string }) => h.url)).toEqual([`/spaces/${S}/pages/kubernetes-upgrades`]);
    // Members-only space: pat is no member and partners never read it.
    expect((await ok('pat', 'GET', '/search?q=zebrafish')).items).toEqual([]);

    await ok('alice', 'PUT', `/spaces/${S}/pages/kubernetes-upgrades`, {
      title: 'Kubernetes Upgrades',
      body: 'Now about the okapi procedure.',
      version: 1,
    });
    await rt.drain();
    expect((await ok('bob', 'GET', '/search?q=zebrafish&type=page')).items).toEqual([]);
    expect((await ok('bob', 'GET', '/search?q=okapi&type=page')).items).toHaveLength(1);

    await ok('alice', 'DELETE', `/spaces/${S}/pages/kubernetes-upgrades`);
    await rt.drain();
    expect((await ok('bob', 'GET', '/search?q=okapi&type=page')).items).toEqual([]);
  });
});

describe('partners', () => {
  it('edit shared pages, and never see another organisation’s people in them', async () => {
    const created = await ok('pat', 'POST', `/spaces/${SHARED}/pages`, {
      title: 'Supplier Handbook',
      body: 'by pat',
    });
    expect(created).toMatchObject({ createdBy: 'pat', createdByOrg: 'acme' });
    await ok('gus', 'PUT', `/spaces/${SHARED}/pages/supplier-handbook`, {
      title: 'Supplier Handbook',
      body: 'by gus',
      version: 1,
    });
    const seenByPat = await ok('pat', 'GET', `/spaces/${SHARED}/pages/supplier-handbook`);
    expect(seenByPat).toMatchObject({
      createdBy: 'pat',
      updatedBy: 'hidden',
      updatedByName: 'External user',
    });
    expect(seenByPat.updatedByOrg).toBeUndefined();
    const history = await ok('pat', 'GET', `/spaces/${SHARED}/pages/supplier-handbook/versions`);
    expect(history.items.map((v: { editedBy: string }) => v.editedBy)).toEqual(['hidden', 'pat']);
    expect(JSON.stringify(history)).not.toContain('gus');
    const seenByAlice = await ok('alice', 'GET', `/spaces/${SHARED}/pages/supplier-handbook`);
    expect(seenByAlice).toMatchObject({ updatedBy: 'gus', updatedByOrg: 'globex' });
    // Partners do not delete pages.
    expectProblem(
      await rt.api('pat', 'DELETE', `/spaces/${SHARED}/pages/supplier-handbook`),
      403,
      'forbidden',
    );
  });
});
