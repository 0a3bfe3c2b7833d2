/**
 * Defects found in review, each pinned by a test: reserved personal-blog ids, comments following their
 * post out of search, the author filter as a partner, cursors outside the query's range, invalid search
 * dates, partners as owners. And from fuzzing the API from its OpenAPI document (schemathesis,
 * docs/operations.md): a PostUpdate schema no body could satisfy, Node's empty 431 for long URLs, tag
 * routes that refused other spellings of a tag, 404
 * instead of 405 for a method a path does not take. Text over DynamoDB's item limit counted in
 * UTF-8 bytes (dynalite counts characters).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  await rt.drain();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const cursorOf = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('hardening', () => {
  it('reserves ~<id> space ids for personal blogs', async () => {
    const response = await rt.api('alice', 'POST', '/spaces', {
      id: '~carol',
      name: 'Not yours',
      audience: 'members',
    });
    // The request schema says so (the OpenAPI document states the pattern), before the domain's own check.
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'json.id', message: expect.stringContaining('not starting with ~') }),
    ]);
  });

  it('takes a post’s comments out of search when the post goes back to draft', async () => {
    const post = await rt.api('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Okapi plan',
      body: 'Plans.',
    });
    await rt.api('bob', 'POST', `/spaces/engineering/posts/${post.body.id}/comments`, {
      body: 'A zebrafinch remark',
    });
    await rt.drain();
    const found = await rt.api('bob', 'GET', '/search?q=zebrafinch');
    expect(found.body.total).toBe(1);
    await rt.api('alice', 'PUT', `/spaces/engineering/posts/${post.body.id}`, {
      title: 'Okapi plan',
      body: 'Plans.',
      status: 'draft',
      version: post.body.version,
    });
    await rt.drain();
    expect((await rt.api('bob', 'GET', '/search?q=zebrafinch')).body.total).toBe(0);
  });

  it('answers a partner’s author filter for an invisible person as for nobody', async () => {
    // A space shared with both organisations, where gus (Globex) writes something pat (Acme) can read.
    const space = await rt.api('bob', 'POST', '/spaces', {
      id: 'joint-hardening',
      name: 'Joint',
      audience: 'members',
    });
    await rt.api('bob', 'PUT', '/spaces/joint-hardening/sharing', {
      partnerOrgs: ['acme', 'globex'],
      version: space.body.version,
    });
    await rt.api('gus', 'POST', '/spaces/joint-hardening/join');
    await rt.api('pat', 'POST', '/spaces/joint-hardening/join');
    expect(
      (await rt.api('gus', 'POST', '/spaces/joint-hardening/posts', { title: 'Lemur note', body: 'lemur' }))
        .status,
    ).toBe(201);
    await rt.drain();
    const byText = await rt.api('pat', 'GET', '/search?q=lemur');
    expect(byText.body.total).toBe(1);
    expect(byText.body.items[0].authorName).toBe('External user');
    const byAuthor = await rt.api('pat', 'GET', '/search?q=lemur&author=gus');
    expect(byAuthor.status).toBe(200);
    expect(byAuthor.body.total).toBe(0);
    expect((await rt.api('bob', 'GET', '/search?q=lemur&author=gus')).body.total).toBe(1);
  });

  it('refuses a cursor whose sort key lies outside the list', async () => {
    const response = await rt.api(
      'alice',
      'GET',
      `/spaces/engineering/members?cursor=${cursorOf({ PK: 'SPACE#engineering', SK: 'POST#zzz' })}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('cursor');
  });

  it('refuses search dates that are not dates', async () => {
    for (const query of ['to=2026-99-99x', 'from=2026-01-01junk', 'from=2026-13-45']) {
      const response = await rt.api('alice', 'GET', `/search?q=x&${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });

  it('does not make a partner an owner', async () => {
    const response = await rt.api('bob', 'PUT', '/spaces/acme-supply-chain/members/pat', { role: 'owner' });
    expect(response.status).toBe(409);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    expect(
      (await rt.api('bob', 'PUT', '/spaces/acme-supply-chain/members/pat', { role: 'reader' })).status,
    ).toBe(200);
  });

  it('documents request bodies that can be satisfied: no allOf over a schema that refuses unknown fields', async () => {
    interface Schema {
      $ref?: string;
      allOf?: Schema[];
      additionalProperties?: unknown;
    }
    const doc = (await (await fetch(`${rt.url}/api/openapi.json`)).json()) as {
      components: { schemas: Record<string, Schema> };
    };
    const schemas = doc.components.schemas;
    const resolve = (schema: Schema) => (schema.$ref ? schemas[schema.$ref.split('/').pop()!] : schema);
    const unsatisfiable = Object.entries(schemas)
      .filter(([, schema]) =>
        (schema.allOf ?? []).some((part) => resolve(part).additionalProperties === false),
      )
      .map(([name]) => name);
    expect(unsatisfiable).toEqual([]);
    expect(schemas.PostUpdate).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: expect.arrayContaining(['title', 'body', 'version']),
    });
  });

  it('answers a request line over 16 KiB with a problem, not an empty 431', async () => {
    const response = await fetch(`${rt.url}/api/feed?cursor=${'x'.repeat(20_000)}`, {
      headers: { authorization: `Bearer ${await rt.tokenFor('alice')}` },
    });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 431, title: 'Request headers too large' });
  });

  it('answers a method a path does not take with 405 and the methods it does take', async () => {
    const wrongMethod = await rt.api('alice', 'DELETE', '/spaces');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST, HEAD');
    expect(wrongMethod.body).toMatchObject({ status: 405, title: 'Method not allowed' });
    expect((await rt.api('alice', 'PATCH', '/spaces/engineering/posts/x')).headers.get('allow')).toBe(
      'GET, PUT, DELETE, HEAD',
    );
    expect((await rt.api('alice', 'GET', '/no/such/route')).status).toBe(404);
  });

  it('refuses text that would be over DynamoDB’s 400 KB item limit with a 413, and stores nothing', async () => {
    // 80,000 CJK characters: 240 KB as UTF-8, stored three times (Markdown, HTML, plain text). Within
    // the 256 KiB request limit and the 100,000-character field limit; dynalite, which counts
    // characters, would accept it, DynamoDB would not.
    const body = '日本'.repeat(40_000);
    const before = await rt.api('alice', 'GET', '/people/alice/posts?limit=100');
    const created = await rt.api('alice', 'POST', '/spaces/~alice/posts', { title: 'Too large', body });
    expect(created.status).toBe(413);
    expect(created.body).toMatchObject({ type: expect.stringContaining('payload-too-large') });
    expect(created.body.detail).toMatch(/limit is 400 KB/);
    expect((await rt.api('alice', 'GET', '/people/alice/posts?limit=100')).body).toEqual(before.body);

    // The same through an edit: the post keeps its last good version.
    const post = await rt.api('alice', 'POST', '/spaces/~alice/posts', { title: 'Small', body: 'short' });
    const edited = await rt.api('alice', 'PUT', `/spaces/~alice/posts/${post.body.id}`, {
      title: 'Small',
      body,
      version: post.body.version,
    });
    expect(edited.status).toBe(413);
    const kept = await rt.api('alice', 'GET', `/spaces/~alice/posts/${post.body.id}`);
    expect(kept.body).toMatchObject({ body: 'short', version: 1 });
  });
});
