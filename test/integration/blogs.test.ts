// Blogs end to end through the HTTP API over the real local runtime (issue 2, item 6): drafts,
// publishing, listing by space, author and tag newest first with cursor paging, optimistic
// concurrency, comments with one level of replies and moderation, likes under concurrency, @mentions
// and #tags, hostile Markdown rendered inert, deletion with everything that hangs off a post — plus the
// health and OpenAPI documents and the one-round-trip budget for reading a post.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PUBLIC_PATHS } from '../../functions/api/middleware/authenticate';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let seq = 0;

/** The blog space: alice owns it, bob is an editor; admin is neither (moderates as admin). */
const B = 'blogs-e2e';

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

function expectProblem(response: ApiResponse, status: number, type?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    type: expect.any(String),
  });
  if (type) expect(response.body.type).toMatch(new RegExp(`/${type}$`));
}

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

/** Walks a list to the end with `limit`, returning every item and the size of each page. */
async function walk(
  account: string,
  pathname: string,
  limit: number,
  from?: string,
): Promise<{ items: any[]; pages: number[] }> {
  const items: any[] = [];
  const pages: number[] = [];
  let cursor: string | undefined = from;
  for (let guard = 0; guard < 100; guard++) {
    const page = await ok(
      account,
      'GET',
      `${pathname}${pathname.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    pages.push(page.items.length);
    cursor = page.cursor;
    if (!cursor) return { items, pages };
  }
  throw new Error('the list never ended');
}

/** Newest first: by publication time, then id (both in the list's sort key). */
const newestFirst = (a: { publishedAt: string; id: string }, b: { publishedAt: string; id: string }) =>
  `${b.publishedAt}#${b.id}`.localeCompare(`${a.publishedAt}#${a.id}`);

async function createPost(account: string, spaceId: string, input: Record<string, unknown>): Promise<any> {
  return ok(account, 'POST', `/spaces/${spaceId}/posts`, { title: `Post ${++seq}`, body: 'Body', ...input });
}

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const account of ['alice', 'bob', 'admin', 'pat', 'gus']) await ok(account, 'GET', '/me');
  await ok('alice', 'POST', '/spaces', { id: B, name: 'Blogs end to end', audience: 'employees' });
  await ok('alice', 'PUT', `/spaces/${B}/members/bob`, { role: 'editor' });
});

afterAll(async () => {
  await rt?.close();
});

describe('drafts and publishing', () => {
  it('a draft is visible to its author only, until it is published', async () => {
    const draft = await createPost('bob', B, {
      title: 'Draft: quarterly numbers',
      body: 'Not yet #qnumbers',
      status: 'draft',
    });
    expect(draft).toMatchObject({ status: 'draft', version: 1 });
    expect(draft.publishedAt).toBeUndefined();

    expect((await rt.api('bob', 'GET', `/spaces/${B}/posts/${draft.id}`)).status).toBe(200);
    expect(ids(await ok('bob', 'GET', '/me/drafts'))).toContain(draft.id);
    for (const other of ['alice', 'admin']) {
      expectProblem(await rt.api(other, 'GET', `/spaces/${B}/posts/${draft.id}`), 404, 'not-found');
      expectProblem(await rt.api(other, 'GET', `/spaces/${B}/posts/${draft.id}/comments`), 404);
      expectProblem(
        await rt.api(other, 'POST', `/spaces/${B}/posts/${draft.id}/comments`, { body: 'early' }),
        404,
      );
      expectProblem(await rt.api(other, 'PUT', `/spaces/${B}/posts/${draft.id}/like`, { liked: true }), 404);
      expect(ids(await ok(other, 'GET', '/me/drafts'))).not.toContain(draft.id);
    }
    for (const list of [`/spaces/${B}/posts`, '/people/bob/posts', '/tags/qnumbers/posts']) {
      for (const account of ['alice', 'bob', 'admin'])
        expect(ids(await ok(account, 'GET', list))).not.toContain(draft.id);
    }
    // Even the author cannot comment on or like a draft.
    expectProblem(
      await rt.api('bob', 'POST', `/spaces/${B}/posts/${draft.id}/comments`, { body: 'note to self' }),
      409,
    );
    expectProblem(await rt.api('bob', 'PUT', `/spaces/${B}/posts/${draft.id}/like`, { liked: true }), 409);

    const published = await ok('bob', 'PUT', `/spaces/${B}/posts/${draft.id}`, {
      title: 'Quarterly numbers',
      body: 'Now public #qnumbers',
      status: 'published',
      version: 1,
    });
    expect(published).toMatchObject({ status: 'published', version: 2, tags: ['qnumbers'] });
    expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(Date.parse(draft.createdAt));

    expect((await ok('alice', 'GET', `/spaces/${B}/posts/${draft.id}`)).title).toBe('Quarterly numbers');
    expect(ids(await ok('bob', 'GET', '/me/drafts'))).not.toContain(draft.id);
    for (const list of [`/spaces/${B}/posts`, '/people/bob/posts', '/tags/qnumbers/posts']) {
      expect(ids(await ok('admin', 'GET', list))).toContain(draft.id);
    }
  });

  it('unpublishing takes a post out of every list and out of everyone else’s reach', async () => {
    const post = await createPost('bob', B, { title: 'Second thoughts', body: 'x #rethink' });
    await ok('alice', 'POST', `/spaces/${B}/posts/${post.id}/comments`, { body: 'nice' });
    const draft = await ok('bob', 'PUT', `/spaces/${B}/posts/${post.id}`, {
      title: 'Second thoughts',
      body: 'x #rethink',
      status: 'draft',
      version: 1,
    });
    expect(draft).toMatchObject({ status: 'draft', version: 2 });
    for (const list of [
      `/spaces/${B}/posts?limit=100`,
      '/people/bob/posts?limit=100',
      '/tags/rethink/posts',
    ]) {
      expect(ids(await ok('alice', 'GET', list))).not.toContain(post.id);
    }
    expectProblem(await rt.api('alice', 'GET', `/spaces/${B}/posts/${post.id}`), 404);
    expectProblem(await rt.api('alice', 'GET', `/spaces/${B}/posts/${post.id}/comments`), 404);
    expect(ids(await ok('bob', 'GET', '/me/drafts'))).toContain(post.id);
  });

  it('a post published later than another sorts above it, by publication time', async () => {
    const early = await createPost('bob', B, {
      title: 'Written first, published last',
      status: 'draft',
      tags: ['ordering'],
    });
    const middle = await createPost('bob', B, { title: 'Published in the middle', tags: ['ordering'] });
    const late = await ok('bob', 'PUT', `/spaces/${B}/posts/${early.id}`, {
      title: early.title,
      body: 'now',
      tags: ['ordering'],
      status: 'published',
      version: 1,
    });
    expect(ids(await ok('alice', 'GET', '/tags/ordering/posts'))).toEqual([late.id, middle.id]);
  });
});

describe('listing newest first with cursor paging', () => {
  const COUNT = 11;
  const LIMIT = 4;
  let created: any[];

  beforeAll(async () => {
    await ok('alice', 'POST', '/spaces', { id: 'paging', name: 'Paging', audience: 'employees' });
    // admin writes nothing else in this file, so their author list is exactly these posts.
    created = [];
    for (let i = 0; i < COUNT; i++)
      created.push(await createPost('admin', 'paging', { title: `Paged ${i}`, tags: ['paged'] }));
    // Noise that must not show up: a draft with the tag and a post with the tag in another space.
    await createPost('admin', 'paging', { title: 'Paged draft', tags: ['paged'], status: 'draft' });
  });

  it.each([
    ['by space', '/spaces/paging/posts'],
    ['by author', '/people/admin/posts'],
    ['by tag', '/tags/paged/posts'],
  ])('%s: every post exactly once across pages, newest first', async (_name, list) => {
    const { items, pages } = await walk('bob', list, LIMIT);
    const expected = [...created].sort(newestFirst).map((p) => p.id);
    expect(items.map((p) => p.id)).toEqual(expected);
    expect(new Set(items.map((p) => p.id)).size).toBe(COUNT);
    expect(pages.slice(0, Math.floor(COUNT / LIMIT))).toEqual(Array(Math.floor(COUNT / LIMIT)).fill(LIMIT));
    // Creation order is time order here (one after the other), so newest first is creation reversed.
    expect(items.map((p) => p.id)).toEqual([...created].reverse().map((p) => p.id));
    // Summaries carry no body or HTML.
    for (const item of items) {
      expect(item.body).toBeUndefined();
      expect(item.html).toBeUndefined();
      expect(item).toMatchObject({ status: 'published', spaceId: 'paging' });
    }
  });

  it('a page size equal to the total still ends', async () => {
    const { items } = await walk('bob', '/spaces/paging/posts', COUNT);
    expect(items).toHaveLength(COUNT);
  });

  it('a post written between two pages does not break the walk of the pages after it', async () => {
    const first = await ok('bob', 'GET', '/spaces/paging/posts?limit=3');
    const newer = await createPost('admin', 'paging', { title: 'Arrived mid-walk' });
    created.unshift(newer);
    const rest = await walk('bob', '/spaces/paging/posts', 3, first.cursor);
    const seen = [...ids(first), ...rest.items.map((p) => p.id)];
    expect(seen).not.toContain(newer.id); // it is newer than the first page, so it is not in the pages after it
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(COUNT);
  });
});

describe('editing', () => {
  it('an edit with the current version succeeds; a stale one is a 409 with currentVersion and overwrites nothing', async () => {
    const post = await createPost('bob', B, { title: 'Editable', body: 'v1 #before', tags: ['edited'] });
    const v2 = await ok('bob', 'PUT', `/spaces/${B}/posts/${post.id}`, {
      title: 'Editable v2',
      body: 'v2 #after',
      tags: ['edited'],
      version: 1,
    });
    expect(v2).toMatchObject({ version: 2, title: 'Editable v2', tags: ['edited', 'after'] });
    expect(
      rt.api('bob', 'GET', `/spaces/${B}/posts/${post.id}`).then((r) => r.headers.get('etag')),
    ).resolves.toBe('"2"');

    const stale = await rt.api('bob', 'PUT', `/spaces/${B}/posts/${post.id}`, {
      title: 'Stale',
      body: 'stale',
      version: 1,
    });
    expectProblem(stale, 409, 'edit-conflict');
    expect(stale.body.currentVersion).toBe(2);

    const current = await ok('alice', 'GET', `/spaces/${B}/posts/${post.id}`);
    expect(current).toMatchObject({ version: 2, title: 'Editable v2', body: 'v2 #after' });
    // Tags moved with the edit: the old body tag is gone from its list, the new one is there.
    expect(ids(await ok('alice', 'GET', '/tags/before/posts'))).not.toContain(post.id);
    expect(ids(await ok('alice', 'GET', '/tags/after/posts'))).toContain(post.id);
    expect(ids(await ok('alice', 'GET', '/tags/edited/posts'))).toContain(post.id);
  });

  it('of two concurrent edits from the same version exactly one wins; the other gets 409', async () => {
    const post = await createPost('bob', B, { title: 'Race' });
    const results = await Promise.all(
      ['first', 'second', 'third', 'fourth'].map((who) =>
        rt.api('bob', 'PUT', `/spaces/${B}/posts/${post.id}`, { title: `By ${who}`, body: who, version: 1 }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) {
      expectProblem(loser, 409, 'edit-conflict');
      expect(loser.body.currentVersion).toBe(2);
    }
    expect(await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`)).toMatchObject({
      version: 2,
      title: winners[0].body.title,
    });
  });

  it('counters survive an edit: likes and comments made meanwhile are not overwritten', async () => {
    const post = await createPost('bob', B, { title: 'Counted' });
    await ok('alice', 'PUT', `/spaces/${B}/posts/${post.id}/like`, { liked: true });
    await ok('alice', 'POST', `/spaces/${B}/posts/${post.id}/comments`, { body: 'hi' });
    const edited = await ok('bob', 'PUT', `/spaces/${B}/posts/${post.id}`, {
      title: 'Counted v2',
      body: 'x',
      version: 1,
    });
    expect(edited).toMatchObject({ likeCount: 1, commentCount: 1 });
    expect(await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`)).toMatchObject({
      likeCount: 1,
      commentCount: 1,
      version: 2,
    });
  });

  it('only the author edits; owners and admins may delete but not rewrite', async () => {
    const post = await createPost('bob', B, { title: 'Bob’s words' });
    for (const account of ['alice', 'admin']) {
      expectProblem(
        await rt.api(account, 'PUT', `/spaces/${B}/posts/${post.id}`, {
          title: 'Not yours',
          body: 'x',
          version: 1,
        }),
        403,
        'forbidden',
      );
    }
    expect((await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`)).title).toBe('Bob’s words');
  });
});

describe('comments', () => {
  let post: any;

  beforeAll(async () => {
    post = await createPost('alice', B, { title: 'Discuss' });
  });

  const comments = () => `/spaces/${B}/posts/${post.id}/comments`;

  it('one level of replies: a reply to a top-level comment works, a reply to a reply is a 409', async () => {
    const top = await ok('bob', 'POST', comments(), { body: 'A question' });
    const reply = await ok('alice', 'POST', comments(), { body: 'An answer', parentId: top.id });
    expect(reply.parentId).toBe(top.id);
    const nested = await rt.api('bob', 'POST', comments(), { body: 'A follow-up', parentId: reply.id });
    expectProblem(nested, 409, 'conflict');
    expect(nested.body.errors).toEqual([
      expect.objectContaining({ field: expect.stringMatching(/parentId$/) }),
    ]);

    const listed = await ok('admin', 'GET', comments());
    expect(ids(listed)).toEqual([top.id, reply.id]); // oldest first
    expect(listed.items[1]).toMatchObject({
      parentId: top.id,
      authorId: 'alice',
      html: '<p>An answer</p>\n',
    });
    expect((await ok('admin', 'GET', `/spaces/${B}/posts/${post.id}`)).commentCount).toBe(2);
  });

  it('authors edit their own comments (with versions); nobody else may, not even owners or admins', async () => {
    const mine = await ok('bob', 'POST', comments(), { body: 'Typo here' });
    const edited = await ok('bob', 'PUT', `${comments()}/${mine.id}`, { body: 'Fixed @alice', version: 1 });
    expect(edited).toMatchObject({ version: 2, body: 'Fixed @alice', mentions: ['alice'] });
    expectProblem(
      await rt.api('bob', 'PUT', `${comments()}/${mine.id}`, { body: 'Stale', version: 1 }),
      409,
      'edit-conflict',
    );
    for (const account of ['alice', 'admin']) {
      expectProblem(
        await rt.api(account, 'PUT', `${comments()}/${mine.id}`, { body: 'Rewritten', version: 2 }),
        403,
        'forbidden',
      );
    }
    const listed = (await ok('alice', 'GET', `${comments()}?limit=100`)).items.find(
      (c: { id: string }) => c.id === mine.id,
    );
    expect(listed).toMatchObject({
      body: 'Fixed @alice',
      version: 2,
      permissions: { edit: false, delete: true },
    });
  });

  it('authors delete their own; the space owner and admins moderate; others get 403', async () => {
    const byAlice = await ok('alice', 'POST', comments(), { body: 'Owner’s own comment' });
    const [own, moderatedByOwner, moderatedByAdmin] = [
      await ok('bob', 'POST', comments(), { body: 'Bob deletes this himself' }),
      await ok('bob', 'POST', comments(), { body: 'The owner removes this' }),
      await ok('bob', 'POST', comments(), { body: 'An admin removes this' }),
    ];
    const before = (await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`)).commentCount;

    // bob is an editor, not an owner: he may not touch alice's comment.
    expectProblem(await rt.api('bob', 'DELETE', `${comments()}/${byAlice.id}`), 403, 'forbidden');
    expect((await rt.api('bob', 'DELETE', `${comments()}/${own.id}`)).status).toBe(204);
    expect((await rt.api('alice', 'DELETE', `${comments()}/${moderatedByOwner.id}`)).status).toBe(204);
    expect((await rt.api('admin', 'DELETE', `${comments()}/${moderatedByAdmin.id}`)).status).toBe(204);
    // Deleting twice, or editing a deleted comment, finds nothing.
    expectProblem(await rt.api('bob', 'DELETE', `${comments()}/${own.id}`), 404);
    expectProblem(await rt.api('bob', 'PUT', `${comments()}/${own.id}`, { body: 'back', version: 1 }), 404);

    const listed = (await ok('alice', 'GET', `${comments()}?limit=100`)).items;
    for (const gone of [own, moderatedByOwner, moderatedByAdmin]) {
      // A tombstone keeps the thread's shape but nothing of what was said.
      expect(listed.find((c: { id: string }) => c.id === gone.id)).toMatchObject({
        deleted: true,
        body: '',
        html: '',
        mentions: [],
      });
    }
    expect(JSON.stringify(listed)).not.toMatch(/deletes this himself|owner removes|admin removes/);
    expect((await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`)).commentCount).toBe(before - 3);
    // A deleted comment cannot be replied to: it is no longer there.
    expectProblem(
      await rt.api('alice', 'POST', comments(), { body: 'reply', parentId: own.id }),
      404,
      'not-found',
    );
  });
});

describe('likes', () => {
  it('are idempotent and counted right under concurrent likes and unlikes from several people', async () => {
    const post = await createPost('bob', B, { title: 'Popular' });
    const like = (account: string, liked: boolean) =>
      rt.api(account, 'PUT', `/spaces/${B}/posts/${post.id}/like`, { liked });
    const people = ['alice', 'bob', 'admin'];
    const streamBefore = rt.front.stream(rt.tableName).latestSequenceNumber;

    // Each person likes three times at once.
    const liked = await Promise.all(people.flatMap((p) => [like(p, true), like(p, true), like(p, true)]));
    for (const response of liked) expect(response.status).toBe(200);
    for (const response of liked) expect(response.body.likedByMe).toBe(true);
    expect(Math.max(...liked.map((r) => r.body.likeCount))).toBe(3);
    expect((await ok('alice', 'GET', `/spaces/${B}/posts/${post.id}`)).likeCount).toBe(3);
    for (const p of people)
      expect((await ok(p, 'GET', `/spaces/${B}/posts/${post.id}`)).likedByMe).toBe(true);

    // Exactly one like item per person was written.
    const likeInserts = rt.front
      .stream(rt.tableName)
      .readAfter(streamBefore, 1e9)
      .filter(
        (r) => r.eventName === 'INSERT' && String(r.dynamodb?.Keys?.SK?.S).startsWith(`LIKE#${post.id}#`),
      );
    expect(likeInserts.map((r) => r.dynamodb?.Keys?.SK?.S).sort()).toEqual(
      people.map((p) => `LIKE#${post.id}#${p}`).sort(),
    );

    // Sequential repeats change nothing.
    expect((await ok('alice', 'PUT', `/spaces/${B}/posts/${post.id}/like`, { liked: true })).likeCount).toBe(
      3,
    );

    const unliked = await Promise.all(people.flatMap((p) => [like(p, false), like(p, false)]));
    for (const response of unliked) expect(response.body).toMatchObject({ likedByMe: false });
    const after = await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`);
    expect(after).toMatchObject({ likeCount: 0, likedByMe: false });
    expect((await ok('alice', 'PUT', `/spaces/${B}/posts/${post.id}/like`, { liked: false })).likeCount).toBe(
      0,
    );
  });
});

describe('mentions and tags', () => {
  it('are parsed from the body (not from code, links or e-mail addresses), normalised and stored', async () => {
    const body = [
      'Thanks @bob and @Alice.Andersen. — ping @bob again.',
      'Filed under #DevOps and #ci-cd, also #DevOps.',
      'Not these: `@codeperson #codetag`, mail me at someone@example.com, a [#linktag @linkperson](https://example.com) and C#sharp.',
      '',
      '```',
      '@blockperson #blocktag',
      '```',
    ].join('\n');
    const post = await createPost('bob', B, {
      title: 'Tagged',
      body,
      tags: ['Release', '#weekly', 'devops'],
    });
    expect(post.mentions).toEqual(['bob', 'alice.andersen']);
    expect(post.tags).toEqual(['release', 'weekly', 'devops', 'ci-cd']);

    const stored = await ok('alice', 'GET', `/spaces/${B}/posts/${post.id}`);
    expect(stored).toMatchObject({ mentions: post.mentions, tags: post.tags });
    expect(stored.html).toContain('<a href="/people/bob" class="mention">@bob</a>');
    expect(stored.html).toContain('<a href="/tags/devops" class="tag">#DevOps</a>');
    expect(stored.html).not.toMatch(
      /class="(mention|tag)">[@#](codeperson|codetag|blockperson|blocktag|linktag|linkperson)/,
    );
    for (const tag of post.tags)
      expect(ids(await ok('alice', 'GET', `/tags/${tag}/posts`))).toContain(post.id);
    for (const tag of ['codetag', 'blocktag', 'linktag', 'sharp'])
      expect(ids(await ok('alice', 'GET', `/tags/${tag}/posts`))).not.toContain(post.id);
  });

  it('every #tag link a post renders leads to a list with the post, Unicode tags included', async () => {
    const post = await createPost('bob', B, {
      title: 'Unicode tags',
      body: 'Über #Café, #straße, #日本 und #naïve-ideas',
    });
    expect(post.tags).toEqual(['café', 'straße', '日本', 'naïve-ideas']);
    const links = [...post.html.matchAll(/<a href="(\/tags\/[^"]+)" class="tag">/g)].map(
      (m: RegExpMatchArray) => m[1],
    );
    expect(links).toHaveLength(4);
    for (const link of links) expect(ids(await ok('alice', 'GET', `${link}/posts`))).toContain(post.id);
    // Tags are lower case: another spelling leads to the same list.
    expect(ids(await ok('alice', 'GET', '/tags/CAF%C3%89/posts'))).toContain(post.id);
    expect(ids(await ok('alice', 'GET', '/tags/Cafe%CC%81/posts'))).toContain(post.id); // decomposed é
  });

  it('mentions in comments are stored too', async () => {
    const post = await createPost('alice', B, { title: 'Mentioned in comments' });
    const comment = await ok('bob', 'POST', `/spaces/${B}/posts/${post.id}/comments`, {
      body: 'cc @admin and @alice',
    });
    expect(comment.mentions).toEqual(['admin', 'alice']);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile Markdown comes back inert

const ALLOWED: Record<string, string[]> = {
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  p: [],
  br: [],
  hr: [],
  blockquote: [],
  em: [],
  strong: [],
  b: [],
  i: [],
  del: [],
  s: [],
  code: ['class'],
  pre: [],
  ul: [],
  ol: ['start'],
  li: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
  a: ['href', 'title', 'class', 'rel'],
  img: ['src', 'alt', 'title'],
  // A task-list checkbox is named (aria-label="task") so it is not an unlabelled control.
  input: ['type', 'checked', 'disabled', 'aria-label'],
};

/** What in `html` could run script or restyle the page; empty when inert. */
function inertnessProblems(html: string): string[] {
  const problems: string[] = [];
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*>/g;
  const attribute = /\s+([a-zA-Z-]+)(?:="([^"]*)")?/g;
  for (const match of html.matchAll(tag)) {
    const name = match[2].toLowerCase();
    if (!(name in ALLOWED)) problems.push(`tag <${name}>`);
    for (const [, attr, rawValue = ''] of match[3].matchAll(attribute)) {
      if (!ALLOWED[name]?.includes(attr.toLowerCase())) problems.push(`attribute ${attr} on <${name}>`);
      const value = rawValue
        .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
        .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
        .replace(/&colon;/gi, ':')
        .replace(/&tab;|&newline;/gi, '');
      if (
        (attr === 'href' || attr === 'src') &&
        // biome-ignore lint/suspicious/noControlCharactersInRegex: leading control characters are what browsers strip from URLs
        /^[\s\u0000-\u001f]*[a-z][a-z0-9+.-]*\s*:/i.test(value.replace(/[\t\n\r]/g, ''))
      ) {
        const scheme = value
          .replace(/[\t\n\r]/g, '')
          .trim()
          .split(':')[0]
          .toLowerCase();
        const allowed = attr === 'href' ? ['http', 'https', 'mailto'] : ['http', 'https'];
        if (!allowed.includes(scheme)) problems.push(`${attr} scheme ${scheme}`);
      }
      if (name === 'input' && attr === 'type' && value !== 'checkbox') problems.push(`input type ${value}`);
    }
    if (name === 'input' && match[1] === '' && !/\sdisabled/.test(match[3])) problems.push('enabled input');
  }
  // Any '<' left that starts markup but is not one of the tags checked above.
  const rest = html.replace(tag, '');
  if (/<[a-zA-Z!/?]/.test(rest)) problems.push(`stray markup: ${rest.match(/<[a-zA-Z!/?][^>]{0,40}/)?.[0]}`);
  return problems;
}

const corpus: { name: string; markdown: string }[] = JSON.parse(
  readFileSync(new URL('../fixtures/hostile-markdown.json', import.meta.url), 'utf8'),
);

describe('hostile Markdown', () => {
  it('the checker flags what it should (so a pass below means something)', () => {
    for (const bad of [
      '<script>x</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="java&#x09;script:x">x</a>',
      '<p style="x">y</p>',
      '<svg></svg>',
      '<input type="text" disabled>',
    ]) {
      expect(inertnessProblems(bad)).not.toEqual([]);
    }
    expect(
      inertnessProblems(
        '<p><a href="https://x.example" rel="noopener noreferrer nofollow">x</a> <a href="/tags/x" class="tag">#x</a></p>',
      ),
    ).toEqual([]);
  });

  it(`every one of the ${corpus.length} corpus entries, as a post body, comes back inert in html (stored and read back)`, async () => {
    await ok('alice', 'POST', '/spaces', { id: 'hostile', name: 'Hostile', audience: 'employees' });
    const created: { name: string; id: string }[] = [];
    for (let start = 0; start < corpus.length; start += 8) {
      const batch = corpus.slice(start, start + 8);
      created.push(
        ...(await Promise.all(
          batch.map(async (entry) => ({
            name: entry.name,
            id: (
              await createPost('alice', 'hostile', { title: entry.name.slice(0, 200), body: entry.markdown })
            ).id,
          })),
        )),
      );
    }
    const failures: string[] = [];
    for (const { name, id } of created) {
      const post = await ok('bob', 'GET', `/spaces/hostile/posts/${id}`);
      const problems = inertnessProblems(post.html);
      if (problems.length) failures.push(`${name}: ${problems.join('; ')} in ${post.html}`);
      expect(post.body).toBe(corpus.find((e) => e.name === name)!.markdown); // the Markdown as written is kept
    }
    expect(failures).toEqual([]);
  });

  it('the whole corpus in one post, and in a comment, comes back inert', async () => {
    const everything = corpus.map((entry) => entry.markdown).join('\n\n');
    const post = await createPost('alice', B, { title: 'Everything at once', body: everything });
    expect(inertnessProblems((await ok('bob', 'GET', `/spaces/${B}/posts/${post.id}`)).html)).toEqual([]);
    const comment = await ok('bob', 'POST', `/spaces/${B}/posts/${post.id}/comments`, {
      body: everything.slice(0, 10_000),
    });
    expect(inertnessProblems(comment.html)).toEqual([]);
    const listed = (await ok('alice', 'GET', `/spaces/${B}/posts/${post.id}/comments`)).items[0];
    expect(inertnessProblems(listed.html)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('deleting a post', () => {
  it('removes it from every list and removes its comments, likes and tag items', async () => {
    const post = await createPost('bob', B, {
      title: 'Short-lived',
      body: 'Going away #ephemeral',
      tags: ['vanishing'],
    });
    const top = await ok('alice', 'POST', `/spaces/${B}/posts/${post.id}/comments`, { body: 'first' });
    await ok('bob', 'POST', `/spaces/${B}/posts/${post.id}/comments`, { body: 'reply', parentId: top.id });
    for (const account of ['alice', 'admin'])
      await ok(account, 'PUT', `/spaces/${B}/posts/${post.id}/like`, { liked: true });
    const lists = [
      `/spaces/${B}/posts?limit=100`,
      '/people/bob/posts?limit=100',
      '/tags/ephemeral/posts',
      '/tags/vanishing/posts',
    ];
    for (const list of lists) expect(ids(await ok('alice', 'GET', list))).toContain(post.id);

    expect((await rt.api('bob', 'DELETE', `/spaces/${B}/posts/${post.id}`)).status).toBe(204);

    expectProblem(await rt.api('bob', 'GET', `/spaces/${B}/posts/${post.id}`), 404);
    expectProblem(await rt.api('alice', 'GET', `/spaces/${B}/posts/${post.id}/comments`), 404);
    expectProblem(
      await rt.api('alice', 'POST', `/spaces/${B}/posts/${post.id}/comments`, { body: 'too late' }),
      404,
    );
    expectProblem(await rt.api('alice', 'PUT', `/spaces/${B}/posts/${post.id}/like`, { liked: true }), 404);
    expectProblem(await rt.api('bob', 'DELETE', `/spaces/${B}/posts/${post.id}`), 404);
    for (const list of lists) expect(ids(await ok('alice', 'GET', list))).not.toContain(post.id);
    // Nothing of the post is left in its space's partition.
    for (const prefix of [
      `POST#${post.id}`,
      `POSTTAG#${post.id}#`,
      `COMMENT#${post.id}#`,
      `LIKE#${post.id}#`,
    ]) {
      const left = await rt.table.query({ partition: `SPACE#${B}`, beginsWith: prefix, limit: 100 });
      expect(left.items).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('operations documents', () => {
  it('GET /api/health needs no token and reports the table ok', async () => {
    const response = await fetch(`${rt.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      table: { status: 'ok', latencyMs: expect.any(Number) },
      stream: { status: 'ok', failedBatches: 0 },
    });
  });

  it('GET /api/openapi.json is an OpenAPI 3.1 document with every route, its parameters, security and problem responses', async () => {
    const response = await fetch(`${rt.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });

    const routes: [string, string][] = [
      ['get', '/api/health'],
      ['get', '/api/spaces'],
      ['post', '/api/spaces'],
      ['get', '/api/spaces/{spaceId}'],
      ['patch', '/api/spaces/{spaceId}'],
      ['put', '/api/spaces/{spaceId}/sharing'],
      ['get', '/api/spaces/{spaceId}/members'],
      ['put', '/api/spaces/{spaceId}/members/{userId}'],
      ['delete', '/api/spaces/{spaceId}/members/{userId}'],
      ['post', '/api/spaces/{spaceId}/join'],
      ['post', '/api/spaces/{spaceId}/leave'],
      ['get', '/api/spaces/{spaceId}/posts'],
      ['post', '/api/spaces/{spaceId}/posts'],
      ['get', '/api/spaces/{spaceId}/posts/{postId}'],
      ['put', '/api/spaces/{spaceId}/posts/{postId}'],
      ['delete', '/api/spaces/{spaceId}/posts/{postId}'],
      ['put', '/api/spaces/{spaceId}/posts/{postId}/like'],
      ['get', '/api/spaces/{spaceId}/posts/{postId}/comments'],
      ['post', '/api/spaces/{spaceId}/posts/{postId}/comments'],
      ['put', '/api/spaces/{spaceId}/posts/{postId}/comments/{commentId}'],
      ['delete', '/api/spaces/{spaceId}/posts/{postId}/comments/{commentId}'],
      ['get', '/api/tags/{tag}/posts'],
      ['get', '/api/people/{userId}'],
      ['get', '/api/people/{userId}/posts'],
      ['get', '/api/me'],
      ['get', '/api/me/drafts'],
      ['get', '/api/orgs'],
      ['post', '/api/orgs'],
    ];
    for (const [method, path] of routes) expect(doc.paths[path]?.[method]).toBeDefined();

    const refs: string[] = [];
    JSON.stringify(doc, (key, value) => {
      if (key === '$ref') refs.push(value);
      return value;
    });
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop()!]).toBeDefined();
    }

    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries<any>(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        const pathParams = (operation.parameters ?? []).filter((p: any) => p.in === 'path');
        expect([where, pathParams.map((p: any) => p.name).sort()]).toEqual([where, templated]);
        for (const p of pathParams) expect(p.required).toBe(true);
        const names = (operation.parameters ?? []).map((p: any) => `${p.in}:${p.name}`);
        expect(new Set(names).size).toBe(names.length);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const r of Object.values<any>(operation.responses)) expect(typeof r.description).toBe('string');
        // Public by design (health, the signed unsubscribe link): no token asked.
        if (PUBLIC_PATHS.has(path)) continue;
        expect([where, operation.security]).toEqual([where, [{ bearer: [] }]]);
        for (const status of ['400', '401', '403', '404']) {
          expect([where, operation.responses[status]?.content?.['application/problem+json']?.schema]).toEqual(
            [where, { $ref: '#/components/schemas/Problem' }],
          );
        }
        if (['post', 'put', 'patch'].includes(method) && operation.requestBody) {
          expect(operation.requestBody.content['application/json'].schema).toBeDefined();
        }
      }
    }
    expect(doc.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail']),
    );
    expect(doc.components.schemas.PostInput.properties).toMatchObject({
      title: expect.any(Object),
      body: expect.any(Object),
    });
  });
});

describe('round trips', () => {
  it('reading one post is ONE DynamoDB round trip (once the reader’s profile exists)', async () => {
    const post = await createPost('bob', B, { title: 'Counted reads' });
    await ok('alice', 'GET', '/me'); // the first request of a person creates their profile; alice's already exists
    await ok('alice', 'GET', `/spaces/${B}/posts/${post.id}`);
    const before = rt.table.roundTrips;
    const read = await ok('alice', 'GET', `/spaces/${B}/posts/${post.id}`);
    expect(rt.table.roundTrips - before).toBe(1);
    expect(read.id).toBe(post.id);
  });

  it('reading one space is one round trip too', async () => {
    const before = rt.table.roundTrips;
    await ok('bob', 'GET', `/spaces/${B}`);
    expect(rt.table.roundTrips - before).toBe(1);
  });
});

describe('explicit tags', () => {
  it('are normalised like #tags in the body (any script, lower case) and listed under their tag', async () => {
    const post = await ok('alice', 'POST', `/spaces/${B}/posts`, {
      title: `Tags ${++seq}`,
      body: 'No tags in the text.',
      tags: ['Café', '#Ops'],
    });
    expect(post.tags).toEqual(['café', 'ops']);
    const listed = await ok('bob', 'GET', `/tags/${encodeURIComponent('café')}/posts`);
    expect(ids(listed)).toContain(post.id);
  });

  it('refuse what is not a tag, naming the field', async () => {
    const response = await rt.api('alice', 'POST', `/spaces/${B}/posts`, {
      title: 'Bad tag',
      body: 'x',
      tags: ['1st place'],
    });
    expectProblem(response, 400, 'validation');
    expect(response.body.errors[0].field).toMatch(/tags/);
  });
});
