// Bad input gets a clear error and changes nothing (DESIGN.md principle 5, issue 2 item 7): malformed
// JSON, wrong types, missing and unknown fields, oversize bodies, invalid path ids, cursors and limits
// each get a 4xx application/problem+json body with type, title, status and detail — and `errors[]`
// naming the field for field problems — and the table is exactly as it was: no stream record was
// appended (every committed write appends one) and the items read back the same.

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
/** The fixture: alice owns space S with post P and comment C; bob is an editor of S. */
const S = 'validation-space';
let P: string;
let C: string;
let otherSpacePostsCursor: string;
let membersCursor: string;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

/** What must not change: the stream length (a precise "nothing was written") and the items as read back. */
async function snapshot() {
  // What earlier writes derive (feed, watches) is appended by the consumers meanwhile: let it land.
  await rt.drain();
  return {
    records: rt.front.stream(rt.tableName).length,
    // The space and the post carry the versions and the member, like and comment counts.
    space: (await rt.api('alice', 'GET', `/spaces/${S}`)).body,
    post: (await rt.api('alice', 'GET', `/spaces/${S}/posts/${P}`)).body,
  };
}

/** Everything the fixture consists of, read back through the lists too (for the final check). */
async function fullSnapshot() {
  return {
    ...(await snapshot()),
    posts: (await rt.api('alice', 'GET', `/spaces/${S}/posts?limit=100`)).body,
    comments: (await rt.api('alice', 'GET', `/spaces/${S}/posts/${P}/comments?limit=100`)).body,
    members: (await rt.api('alice', 'GET', `/spaces/${S}/members?limit=100`)).body,
    drafts: (await rt.api('alice', 'GET', '/me/drafts')).body,
  };
}
let initial: Awaited<ReturnType<typeof fullSnapshot>>;

function expectProblem(response: ApiResponse, status: number, type?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(response.body.detail.length).toBeGreaterThan(0);
  if (type) expect(response.body.type).toMatch(new RegExp(`/${type}$`));
}

/** Field names in errors[] are prefixed with where they were found (json., query., param.) by the schema layer. */
function expectFieldErrors(response: ApiResponse, fields: string[]) {
  expect(Array.isArray(response.body.errors)).toBe(true);
  const named = (response.body.errors as { field: string; message: string; detail: string }[]).map((e) => {
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
    // Each field also gets a sentence for a person: capitalised, ended, no validator jargon.
    expect(e.detail).toMatch(/^[A-Z“].*[.!?]$/s);
    expect(e.detail).not.toMatch(/\(s\)|json\.|Expected|Required$/);
    return e.field;
  });
  for (const field of fields) expect(named).toContainEqual(field);
  // The detail repeats the fields, for a human reading a log line.
  for (const field of fields) expect(response.body.detail).toContain(field.split('.').pop()!);
}

/** Sends a body of `size` bytes on its own connection (so an early answer cannot disturb a kept-alive one). */
function rawRequest(pathname: string, token: string, size: number, chunked: boolean): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const prefix = '{"title":"big","body":"';
    const suffix = '"}';
    const filler = Math.max(0, size - prefix.length - suffix.length);
    const request = http.request(
      `${rt.url}/api${pathname}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          connection: 'close',
          ...(chunked
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': String(prefix.length + filler + suffix.length) }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') headers.set(name, value);
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers });
        });
      },
    );
    // The server may answer and close before the whole body is sent; that is its right, as long as
    // the answer arrives.
    let answered = false;
    request.on('response', () => {
      answered = true;
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) return reject(error);
      setTimeout(() => (answered ? undefined : reject(error)), 1000).unref();
    });
    request.write(prefix);
    for (let sent = 0; sent < filler; sent += 16_384)
      request.write('x'.repeat(Math.min(16_384, filler - sent)));
    request.end(suffix);
  });
}

const cursorOf = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const account of ['alice', 'bob', 'admin']) await ok(account, 'GET', '/me');
  await ok('admin', 'POST', '/orgs', { id: 'acme', name: 'Acme Supplies' });
  await ok('alice', 'POST', '/spaces', { id: S, name: 'Validation', audience: 'members' });
  await ok('alice', 'PUT', `/spaces/${S}/members/bob`, { role: 'editor' });
  P = (
    await ok('alice', 'POST', `/spaces/${S}/posts`, {
      title: 'The original',
      body: 'Untouched #valid',
      tags: ['valid'],
    })
  ).id;
  C = (await ok('alice', 'POST', `/spaces/${S}/posts/${P}/comments`, { body: 'The original comment' })).id;
  await ok('alice', 'POST', `/spaces/${S}/posts`, { title: 'Second', body: 'so there is a next page' });
  membersCursor = (await ok('alice', 'GET', `/spaces/${S}/members?limit=1`)).cursor;
  await ok('alice', 'POST', '/spaces', { id: 'validation-other', name: 'Other', audience: 'members' });
  for (const n of [1, 2])
    await ok('alice', 'POST', '/spaces/validation-other/posts', { title: `Other ${n}`, body: 'x' });
  otherSpacePostsCursor = (await ok('alice', 'GET', '/spaces/validation-other/posts?limit=1')).cursor;
  expect(membersCursor).toBeDefined();
  expect(otherSpacePostsCursor).toBeDefined();
  initial = await fullSnapshot();
});

afterAll(async () => {
  await rt?.close();
});

type Case = [
  name: string,
  account: string,
  method: string,
  path: () => string,
  body: unknown,
  status: number,
  type: string,
  fields: string[],
];

const post = () => `/spaces/${S}/posts/${P}`;
const comment = () => `/spaces/${S}/posts/${P}/comments/${C}`;
const valid = { title: 'Still valid', body: 'text' };

const MALFORMED: Case[] = [
  [
    'POST /spaces, truncated JSON',
    'alice',
    'POST',
    () => '/spaces',
    '{"name": ',
    400,
    'malformed-request',
    [],
  ],
  [
    'PATCH /spaces/{id}, unquoted key',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    '{"name": "x", version: 1}',
    400,
    'malformed-request',
    [],
  ],
  [
    'POST posts, missing brace',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    '{"title":"t","body":"b"',
    400,
    'malformed-request',
    [],
  ],
  [
    'PUT post, single quotes',
    'alice',
    'PUT',
    post,
    "{'title':'t','body':'b','version':1}",
    400,
    'malformed-request',
    [],
  ],
  [
    'POST comment, trailing comma',
    'alice',
    'POST',
    () => `${post()}/comments`,
    '{"body": "x",}',
    400,
    'malformed-request',
    [],
  ],
  ['PUT sharing, empty body', 'alice', 'PUT', () => `/spaces/${S}/sharing`, '', 400, 'malformed-request', []],
  [
    'PUT like, a JSON value that is not an object',
    'alice',
    'PUT',
    () => `${post()}/like`,
    'true',
    400,
    'validation',
    ['json'],
  ],
  [
    'POST posts, a JSON array',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    '[]',
    400,
    'validation',
    ['json'],
  ],
  ['POST posts, JSON null', 'alice', 'POST', () => `/spaces/${S}/posts`, 'null', 400, 'validation', ['json']],
];

const WRONG_TYPES: Case[] = [
  [
    'POST /spaces, name is a number',
    'alice',
    'POST',
    () => '/spaces',
    { name: 42 },
    400,
    'validation',
    ['json.name'],
  ],
  [
    'POST /spaces, unknown audience',
    'alice',
    'POST',
    () => '/spaces',
    { name: 'x', audience: 'everyone' },
    400,
    'validation',
    ['json.audience'],
  ],
  [
    'POST /spaces, audience partners (only through sharing)',
    'alice',
    'POST',
    () => '/spaces',
    { name: 'x', audience: 'partners' },
    400,
    'validation',
    ['json.audience'],
  ],
  [
    'POST /spaces, id with #',
    'alice',
    'POST',
    () => '/spaces',
    { id: 'a#b', name: 'x' },
    400,
    'validation',
    ['json.id'],
  ],
  [
    'PATCH /spaces/{id}, version is a string',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    { name: 'x', version: '1' },
    400,
    'validation',
    ['json.version'],
  ],
  [
    'PATCH /spaces/{id}, version 0',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    { name: 'x', version: 0 },
    400,
    'validation',
    ['json.version'],
  ],
  [
    'PATCH /spaces/{id}, blank name',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    { name: '  ', version: 1 },
    400,
    'validation',
    ['json.name'],
  ],
  [
    'PUT sharing, partnerOrgs is a string',
    'alice',
    'PUT',
    () => `/spaces/${S}/sharing`,
    { partnerOrgs: 'acme', version: 1 },
    400,
    'validation',
    ['json.partnerOrgs'],
  ],
  [
    'PUT sharing, an invalid organisation id',
    'alice',
    'PUT',
    () => `/spaces/${S}/sharing`,
    { partnerOrgs: ['ac me'], version: 1 },
    400,
    'validation',
    ['json.partnerOrgs.0'],
  ],
  [
    'PUT members, unknown role',
    'alice',
    'PUT',
    () => `/spaces/${S}/members/bob`,
    { role: 'king' },
    400,
    'validation',
    ['json.role'],
  ],
  [
    'POST posts, title is an array',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { title: ['t'], body: 'b' },
    400,
    'validation',
    ['json.title'],
  ],
  [
    'POST posts, body is an object',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { title: 't', body: { md: 'x' } },
    400,
    'validation',
    ['json.body'],
  ],
  [
    'POST posts, tags is a string',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, tags: 'devops' },
    400,
    'validation',
    ['json.tags'],
  ],
  [
    'POST posts, a tag with a space',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, tags: ['ok', 'has space'] },
    400,
    'validation',
    ['json.tags.1'],
  ],
  [
    'POST posts, 21 tags',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
    400,
    'validation',
    ['json.tags'],
  ],
  [
    'POST posts, unknown status',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, status: 'live' },
    400,
    'validation',
    ['json.status'],
  ],
  [
    'POST posts, title of 201 characters',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { title: 'x'.repeat(201), body: 'b' },
    400,
    'validation',
    ['json.title'],
  ],
  [
    'POST posts, blank title',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { title: '   ', body: 'b' },
    400,
    'validation',
    ['json.title'],
  ],
  [
    'POST posts, body of 100 001 characters',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { title: 't', body: 'b'.repeat(100_001) },
    400,
    'validation',
    ['json.body'],
  ],
  [
    'PUT post, fractional version',
    'alice',
    'PUT',
    post,
    { ...valid, version: 1.5 },
    400,
    'validation',
    ['json.version'],
  ],
  [
    'PUT like, liked is a string',
    'alice',
    'PUT',
    () => `${post()}/like`,
    { liked: 'yes' },
    400,
    'validation',
    ['json.liked'],
  ],
  [
    'POST comment, body is a number',
    'alice',
    'POST',
    () => `${post()}/comments`,
    { body: 5 },
    400,
    'validation',
    ['json.body'],
  ],
  [
    'POST comment, blank body',
    'alice',
    'POST',
    () => `${post()}/comments`,
    { body: '  \n ' },
    400,
    'validation',
    ['json.body'],
  ],
  [
    'POST comment, invalid parentId',
    'alice',
    'POST',
    () => `${post()}/comments`,
    { body: 'x', parentId: 'a#b' },
    400,
    'validation',
    ['json.parentId'],
  ],
  [
    'PUT comment, version is a string',
    'alice',
    'PUT',
    comment,
    { body: 'x', version: '1' },
    400,
    'validation',
    ['json.version'],
  ],
  [
    'POST /orgs, invalid id',
    'admin',
    'POST',
    () => '/orgs',
    { id: 'Bad Org', name: 'x' },
    400,
    'validation',
    ['json.id'],
  ],
];

const MISSING: Case[] = [
  ['POST /spaces without name', 'alice', 'POST', () => '/spaces', {}, 400, 'validation', ['json.name']],
  [
    'PATCH /spaces/{id} without version',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    { name: 'x' },
    400,
    'validation',
    ['json.version'],
  ],
  [
    'PUT sharing without partnerOrgs',
    'alice',
    'PUT',
    () => `/spaces/${S}/sharing`,
    { version: 1 },
    400,
    'validation',
    ['json.partnerOrgs'],
  ],
  [
    'PUT members without role',
    'alice',
    'PUT',
    () => `/spaces/${S}/members/bob`,
    {},
    400,
    'validation',
    ['json.role'],
  ],
  [
    'POST posts without body',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { title: 't' },
    400,
    'validation',
    ['json.body'],
  ],
  [
    'POST posts without title or body',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    {},
    400,
    'validation',
    ['json.title', 'json.body'],
  ],
  ['PUT post without version', 'alice', 'PUT', post, valid, 400, 'validation', ['json.version']],
  ['PUT like without liked', 'alice', 'PUT', () => `${post()}/like`, {}, 400, 'validation', ['json.liked']],
  [
    'POST comment without body',
    'alice',
    'POST',
    () => `${post()}/comments`,
    {},
    400,
    'validation',
    ['json.body'],
  ],
  [
    'PUT comment without version',
    'alice',
    'PUT',
    comment,
    { body: 'x' },
    400,
    'validation',
    ['json.version'],
  ],
  [
    'POST /orgs without name',
    'admin',
    'POST',
    () => '/orgs',
    { id: 'initech' },
    400,
    'validation',
    ['json.name'],
  ],
];

const UNKNOWN: Case[] = [
  [
    'POST /spaces with an owner',
    'alice',
    'POST',
    () => '/spaces',
    { name: 'x', owner: 'gus' },
    400,
    'validation',
    ['json.owner'],
  ],
  [
    'PATCH /spaces/{id} with partnerOrgs',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    { version: 1, partnerOrgs: ['acme'] },
    400,
    'validation',
    ['json.partnerOrgs'],
  ],
  [
    'PATCH /spaces/{id} with memberCount',
    'alice',
    'PATCH',
    () => `/spaces/${S}`,
    { version: 1, memberCount: 99 },
    400,
    'validation',
    ['json.memberCount'],
  ],
  [
    'POST posts with authorId',
    'bob',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, authorId: 'alice' },
    400,
    'validation',
    ['json.authorId'],
  ],
  [
    'POST posts with likeCount',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, likeCount: 1000 },
    400,
    'validation',
    ['json.likeCount'],
  ],
  [
    'POST posts with html',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    { ...valid, html: '<script>x</script>' },
    400,
    'validation',
    ['json.html'],
  ],
  [
    'POST posts with __proto__',
    'alice',
    'POST',
    () => `/spaces/${S}/posts`,
    '{"title":"t","body":"b","__proto__":{"status":"draft"}}',
    400,
    'validation',
    ['json.__proto__'],
  ],
  [
    'PUT post with authorId',
    'alice',
    'PUT',
    post,
    { ...valid, version: 1, authorId: 'bob' },
    400,
    'validation',
    ['json.authorId'],
  ],
  [
    'PUT like with userId',
    'alice',
    'PUT',
    () => `${post()}/like`,
    { liked: true, userId: 'bob' },
    400,
    'validation',
    ['json.userId'],
  ],
  [
    'POST comment with authorId',
    'alice',
    'POST',
    () => `${post()}/comments`,
    { body: 'x', authorId: 'bob' },
    400,
    'validation',
    ['json.authorId'],
  ],
  [
    'PUT comment with deleted',
    'alice',
    'PUT',
    comment,
    { body: 'x', version: 1, deleted: true },
    400,
    'validation',
    ['json.deleted'],
  ],
  [
    'PUT members with org',
    'alice',
    'PUT',
    () => `/spaces/${S}/members/bob`,
    { role: 'owner', org: 'acme' },
    400,
    'validation',
    ['json.org'],
  ],
];

const PATH_IDS: Case[] = [
  [
    'space id with #',
    'alice',
    'GET',
    () => '/spaces/bad%23id',
    undefined,
    400,
    'validation',
    ['param.spaceId'],
  ],
  [
    'space id of 65 characters',
    'alice',
    'GET',
    () => `/spaces/${'a'.repeat(65)}`,
    undefined,
    400,
    'validation',
    ['param.spaceId'],
  ],
  [
    'space id with a space, on a write',
    'alice',
    'POST',
    () => '/spaces/bad%20id/posts',
    valid,
    400,
    'validation',
    ['param.spaceId'],
  ],
  [
    'post id with a space',
    'alice',
    'GET',
    () => `/spaces/${S}/posts/bad%20id`,
    undefined,
    400,
    'validation',
    ['param.postId'],
  ],
  [
    'post id with #, on a delete',
    'alice',
    'DELETE',
    () => `/spaces/${S}/posts/bad%23id`,
    undefined,
    400,
    'validation',
    ['param.postId'],
  ],
  [
    'comment id with #',
    'alice',
    'PUT',
    () => `${post()}/comments/a%23b`,
    { body: 'x', version: 1 },
    400,
    'validation',
    ['param.commentId'],
  ],
  [
    'member id with #',
    'alice',
    'PUT',
    () => `/spaces/${S}/members/a%23b`,
    { role: 'reader' },
    400,
    'validation',
    ['param.userId'],
  ],
  [
    'member id with #, on a delete',
    'alice',
    'DELETE',
    () => `/spaces/${S}/members/a%23b`,
    undefined,
    400,
    'validation',
    ['param.userId'],
  ],
  [
    'tag starting with a digit',
    'alice',
    'GET',
    () => '/tags/9lives/posts',
    undefined,
    400,
    'validation',
    ['param.tag'],
  ],
  ['person id with #', 'alice', 'GET', () => '/people/a%23b', undefined, 400, 'validation', ['param.userId']],
];

const QUERIES: Case[] = [
  [
    'limit 0',
    'alice',
    'GET',
    () => `/spaces/${S}/posts?limit=0`,
    undefined,
    400,
    'validation',
    ['query.limit'],
  ],
  [
    'limit 101',
    'alice',
    'GET',
    () => `/spaces/${S}/posts?limit=101`,
    undefined,
    400,
    'validation',
    ['query.limit'],
  ],
  [
    'limit -1',
    'alice',
    'GET',
    () => `/spaces/${S}/members?limit=-1`,
    undefined,
    400,
    'validation',
    ['query.limit'],
  ],
  ['limit abc', 'alice', 'GET', () => '/spaces?limit=abc', undefined, 400, 'validation', ['query.limit']],
  [
    'limit 1.5',
    'alice',
    'GET',
    () => `${post()}/comments?limit=1.5`,
    undefined,
    400,
    'validation',
    ['query.limit'],
  ],
  [
    'empty limit',
    'alice',
    'GET',
    () => '/tags/valid/posts?limit=',
    undefined,
    400,
    'validation',
    ['query.limit'],
  ],
  [
    'unknown scope',
    'alice',
    'GET',
    () => '/spaces?scope=everything',
    undefined,
    400,
    'validation',
    ['query.scope'],
  ],
  [
    'cursor that is not base64 JSON',
    'alice',
    'GET',
    () => `/spaces/${S}/posts?cursor=garbage`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
  [
    'cursor longer than 2048 characters',
    'alice',
    'GET',
    () => `/spaces/${S}/posts?cursor=${'a'.repeat(2049)}`,
    undefined,
    400,
    'validation',
    ['query.cursor'],
  ],
  [
    'cursor of another list (members → posts)',
    'alice',
    'GET',
    () => `/spaces/${S}/posts?cursor=${membersCursor}`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
  [
    'cursor of another space’s posts',
    'alice',
    'GET',
    () => `/spaces/${S}/posts?cursor=${otherSpacePostsCursor}`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
  [
    'cursor of a space’s posts, on a tag list',
    'alice',
    'GET',
    () => `/tags/valid/posts?cursor=${otherSpacePostsCursor}`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
  [
    'cursor that is a JSON array',
    'alice',
    'GET',
    () => `/spaces?scope=mine&cursor=${cursorOf(['x'])}`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
  [
    'cursor with a non-string value',
    'alice',
    'GET',
    () => `/spaces/${S}/members?cursor=${cursorOf({ PK: `SPACE#${S}`, SK: 5 })}`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
  [
    'cursor pointing at another space’s partition',
    'alice',
    'GET',
    () => `/spaces/${S}/members?cursor=${cursorOf({ PK: 'SPACE#validation-other', SK: 'MEMBER#a' })}`,
    undefined,
    400,
    'validation',
    ['cursor'],
  ],
];

describe.each([
  ['malformed JSON', MALFORMED],
  ['wrong types', WRONG_TYPES],
  ['missing fields', MISSING],
  ['unknown fields', UNKNOWN],
  ['invalid path ids', PATH_IDS],
  ['invalid queries, cursors and limits', QUERIES],
])('%s', (_group, cases) => {
  it.each(cases.map(([name, ...rest]) => [`${name} → ${rest[4]}`, ...rest] as Case))(
    '%s',
    async (_name, account, method, path, body, status, type, fields) => {
      const before = await snapshot();
      const response = await rt.api(account, method, path(), body);
      expectProblem(response, status, type);
      if (fields.length) expectFieldErrors(response, fields);
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe('bodies', () => {
  it('an empty body where a JSON object is expected → 400 saying the body is empty, nothing written', async () => {
    const before = await snapshot();
    const response = await rt.api('alice', 'PUT', `/spaces/${S}/sharing`, '');
    expectProblem(response, 400, 'malformed-request');
    expect(response.body.title).toBe('Empty request body');
    expect(response.body.detail).toMatch(/body is empty; a JSON object/);
    expect(await snapshot()).toEqual(before);
  });

  it('a body over 256 KiB (with Content-Length) → 413, nothing written', async () => {
    const before = await snapshot();
    const response = await rawRequest(
      `/spaces/${S}/posts`,
      await rt.tokenFor('alice'),
      256 * 1024 + 1,
      false,
    );
    expectProblem(response, 413, 'payload-too-large');
    expect(await snapshot()).toEqual(before);
  });

  it('a chunked body over 256 KiB (no Content-Length) → 413, nothing written', async () => {
    const before = await snapshot();
    const response = await rawRequest(`/spaces/${S}/posts`, await rt.tokenFor('alice'), 300 * 1024, true);
    expectProblem(response, 413, 'payload-too-large');
    expect(await snapshot()).toEqual(before);
  });

  it('a body just under 256 KiB reaches validation (400 naming json.body), nothing written', async () => {
    const before = await snapshot();
    const response = await rawRequest(
      `/spaces/${S}/posts`,
      await rt.tokenFor('alice'),
      256 * 1024 - 100,
      false,
    );
    expectProblem(response, 400, 'validation');
    expectFieldErrors(response, ['json.body']);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form-encoded', { 'content-type': 'application/x-www-form-urlencoded' }],
  ])('a %s body is refused with a 4xx problem, nothing written', async (_name, headers) => {
    const before = await snapshot();
    const response = await rt.api('alice', 'POST', `/spaces/${S}/posts`, 'title=t&body=b', headers);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectProblem(response, response.status);
    expect(await snapshot()).toEqual(before);
  });

  it('an unknown route is a 404 problem, a method the route does not take a 405', async () => {
    expectProblem(await rt.api('alice', 'GET', '/no-such-thing'), 404, 'not-found');
    expectProblem(await rt.api('alice', 'DELETE', `/spaces/${S}`), 405, 'method-not-allowed');
  });
});

describe('rules the domain checks are all-or-nothing too', () => {
  it('sharing with a known and an unknown organisation shares with neither', async () => {
    const before = await snapshot();
    const response = await rt.api('alice', 'PUT', `/spaces/${S}/sharing`, {
      partnerOrgs: ['acme', 'no-such-org'],
      version: before.space.version,
    });
    expectProblem(response, 404, 'not-found');
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        field: expect.stringMatching(/(^|\.)partnerOrgs$/),
        message: expect.stringContaining('no-such-org'),
      }),
    ]);
    expect(await snapshot()).toEqual(before);
    expect(before.space).toMatchObject({ audience: 'members', partnerOrgs: [] });
  });

  it('changing the audience of a shared space names audience and writes nothing', async () => {
    await ok('alice', 'POST', '/spaces', { id: 'validation-shared', name: 'Shared', audience: 'members' });
    await ok('alice', 'PUT', '/spaces/validation-shared/sharing', { partnerOrgs: ['acme'], version: 1 });
    const at = rt.front.stream(rt.tableName).length;
    const response = await rt.api('alice', 'PATCH', '/spaces/validation-shared', {
      audience: 'employees',
      version: 2,
    });
    expectProblem(response, 409, 'conflict');
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: expect.stringMatching(/(^|\.)audience$/) }),
    ]);
    expect(rt.front.stream(rt.tableName).length).toBe(at);
    expect(await ok('alice', 'GET', '/spaces/validation-shared')).toMatchObject({
      audience: 'partners',
      partnerOrgs: ['acme'],
      version: 2,
    });
  });

  it('a reply to a missing comment names parentId and writes nothing', async () => {
    const before = await snapshot();
    const response = await rt.api('bob', 'POST', `${post()}/comments`, {
      body: 'a reply',
      parentId: '01zzzzzzzzzzzzzzzzzzzzzzzz',
    });
    expectProblem(response, 404, 'not-found');
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: expect.stringMatching(/(^|\.)parentId$/) }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('a stale version is a 409 edit-conflict problem and writes nothing', async () => {
    const before = await snapshot();
    for (const [method, path, body] of [
      ['PATCH', `/spaces/${S}`, { name: 'Stale', version: before.space.version - 1 || 99 }],
      ['PUT', post(), { title: 'Stale', body: 'stale', version: before.post.version + 1 }],
      ['PUT', comment(), { body: 'Stale', version: 7 }],
    ] as const) {
      const response = await rt.api('alice', method, path, body);
      expectProblem(response, 409, 'edit-conflict');
      expect(typeof response.body.currentVersion).toBe('number');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the fixture itself is untouched after all of the above', async () => {
    const now = await fullSnapshot();
    // (The test just above wrote a space of its own on purpose, so only the items are compared here.)
    expect({ ...now, records: 0 }).toEqual({ ...initial, records: 0 });
    expect(now.post).toMatchObject({
      title: 'The original',
      body: 'Untouched #valid',
      version: 1,
      tags: ['valid'],
      likeCount: 0,
      commentCount: 1,
    });
    expect(now.comments.items).toEqual([
      expect.objectContaining({ id: C, body: 'The original comment', version: 1 }),
    ]);
    expect(now.space).toMatchObject({ name: 'Validation', version: 1, memberCount: 2 });
  });
});

describe('crafted cursors', () => {
  // decodeCursor requires exactly the key attributes of the table or index being queried.
  it.each([
    ['members list, PK only', () => `/spaces/${S}/members?cursor=${cursorOf({ PK: `SPACE#${S}` })}`],
    [
      'posts list, index PK only',
      () => `/spaces/${S}/posts?cursor=${cursorOf({ GSI1PK: `SPACE#${S}#POSTS` })}`,
    ],
  ])('a cursor missing key attributes (%s) → 400', async (_name, path) => {
    const response = await rt.api('alice', 'GET', path());
    expectProblem(response, 400, 'validation');
    expectFieldErrors(response, ['cursor']);
  });
});

describe('field errors in plain words (issue 10 item 3)', () => {
  it('keeps the precise path and the validator’s message, and adds a sentence per field', async () => {
    const response = await rt.api('alice', 'POST', `/spaces/${S}/posts`, {
      title: '   ',
      body: 'x',
      tags: ['ok', 7],
      extra: true,
    });
    expectProblem(response, 400, 'validation');
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'json.title', message: expect.any(String), detail: 'The title cannot be empty.' },
        {
          field: 'json.tags.1',
          message: expect.any(String),
          detail: 'Entry 2 of the tags should be a string, not a number.',
        },
        {
          field: 'json.extra',
          message: 'unknown field',
          detail: '“extra” is not something this request accepts.',
        },
      ]),
    );
    const long = await rt.api('alice', 'POST', `/spaces/${S}/posts`, { title: 't'.repeat(201), body: '' });
    expect(long.body.errors).toEqual([
      expect.objectContaining({
        field: 'json.title',
        detail: 'The title is too long: at most 200 characters.',
      }),
    ]);
  });

  it('rules the domain checks explain each field with their own sentence', async () => {
    const response = await rt.api('bob', 'POST', `/spaces/${S}/posts/${P}/comments`, {
      body: 'a reply',
      parentId: '01zzzzzzzzzzzzzzzzzzzzzzzz',
    });
    expectProblem(response, 404, 'not-found');
    expect(response.body.errors).toEqual([
      { field: 'parentId', message: 'no such comment', detail: 'The comment you reply to does not exist.' },
    ]);
  });
});

describe('the rules the OpenAPI document states are the ones enforced (issue 9)', () => {
  const param = (doc: any, path: string, name: string) =>
    doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name).schema;

  it('states the tag, cursor and search-date patterns, and takes what they allow', async () => {
    const doc = (await rt.api('anonymous', 'GET', '/openapi.json')).body;
    const tagPattern = new RegExp(param(doc, '/api/tags/{tag}/posts', 'tag').pattern, 'u');
    expect(['Café', '#DevOps', ' жук ', '漢字']).toEqual(
      ['Café', '#DevOps', ' жук ', '漢字'].filter((t) => tagPattern.test(t)),
    );
    expect(tagPattern.test('1abc')).toBe(false);
    expect((await rt.api('alice', 'GET', `/tags/${encodeURIComponent(' жук ')}/posts`)).status).toBe(200);
    expect(param(doc, '/api/spaces', 'cursor')).toMatchObject({
      pattern: '^[A-Za-z0-9_-]*$',
      maxLength: 2048,
    });
    expectProblem(await rt.api('alice', 'GET', '/search?from=2026-02-30'), 400, 'validation');
    expect((await rt.api('alice', 'GET', '/search?from=2024-02-29&type=post,page')).status).toBe(200);
    expectProblem(await rt.api('alice', 'GET', '/search?type=posts'), 400, 'validation');
  });

  it('refuses text that is only white space, naming the field', async () => {
    const response = await rt.api('bob', 'POST', `/spaces/${S}/posts/${P}/comments`, { body: ' \u3000\n' });
    expectProblem(response, 400, 'validation');
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'json.body', detail: 'The body cannot be empty.' }),
    ]);
  });

  it('a body whose fields are all optional may be left out, and its defaults apply', async () => {
    const doc = (await rt.api('anonymous', 'GET', '/openapi.json')).body;
    expect(doc.paths['/api/me/watches/spaces/{spaceId}'].put.requestBody.required).toBe(false);
    expect(doc.paths['/api/spaces'].post.requestBody.required).toBe(true);
    const response = await rt.api('alice', 'PUT', `/me/watches/spaces/${S}`);
    expect(response.status).toBe(200);
    expect(response.body.level).toBe('watching');
  });
});
