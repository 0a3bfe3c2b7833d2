// The permission matrix (issue 2, item 7): every space and blog route × every kind of caller, over the
// real local runtime with real tokens. For each audience of space (open to employees, members only,
// shared with acme) a table states the status each caller must get, and the list routes state whether
// each caller may see the item at all. Reads, lists and counts must not leak: what a caller may not
// read is absent from every list, and a space or post they may not read is indistinguishable from one
// that does not exist.
//
// Callers: alice writes the posts and comments (author), bob owns the spaces (owner), carol is an
// employee with no role (other), admin, pat (partner of acme, the sharing organisation), gus (partner
// of globex), and no token / an expired token / a forged token. The demo accounts have only two
// non-admin employees, so carol's token is minted with the local provider's own signing key — the
// API cannot tell it from one the provider issued (the same key, kid and claims).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';
import { moduleRoutes } from '../../functions/api/module-app';
import { ALL_MODULES } from '../../functions/api/modules/all-modules';
import { seedDemoData } from '../../local/seed';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

const ACTORS = ['author', 'other', 'owner', 'admin', 'partner', 'otherPartner'] as const;
type Actor = (typeof ACTORS)[number];
const AUDIENCES = ['employees', 'members', 'shared'] as const;
type Audience = (typeof AUDIENCES)[number];

interface Fixture {
  spaceId: string;
  tag: string;
  postId: string;
  postTitle: string;
  commentId: string;
  pageId: string;
}

let rt: TestRuntime;
/** The account id (or raw token) each actor calls the API with. */
const as: Record<Actor, string> = {
  author: 'alice',
  other: '',
  owner: 'bob',
  admin: 'admin',
  partner: 'pat',
  otherPartner: 'gus',
};
let daveToken: string;
let expiredToken: string;
let forgedToken: string;
let realKid: string;
const fixtures = {} as Record<Audience, Fixture>;
let seq = 0;

// ---------------------------------------------------------------------------------------------
// Tokens

async function signingKey() {
  const jwk = JSON.parse(fs.readFileSync(path.join(rt.dataDir, 'identity', 'signing-key.json'), 'utf8'));
  return { key: await importJWK(jwk, 'RS256'), kid: jwk.kid as string };
}

/** A token like the provider's for `account`, with claims overridden, signed with `key`. */
async function mintToken(
  key: CryptoKey | Uint8Array | Awaited<ReturnType<typeof importJWK>>,
  kid: string,
  claims: JWTPayload,
): Promise<string> {
  const template = decodeJwt(await rt.tokenFor('alice'));
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...template, jti: `test-${++seq}`, iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
    .sign(key);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function call(actor: Actor, method: string, pathname: string, body?: unknown): Promise<ApiResponse> {
  return rt.api(as[actor], method, pathname, body);
}

async function ok(
  account: string,
  method: string,
  pathname: string,
  body?: unknown,
  status = [200, 201, 204],
): Promise<any> {
  const response = await rt.api(account, method, pathname, body);
  if (!status.includes(response.status))
    throw new Error(`${account} ${method} ${pathname} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

function expectProblem(response: ApiResponse, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

function expectStatus(response: ApiResponse, status: number) {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  if (status >= 400) expectProblem(response, status);
}

/** A space of the given audience owned by bob, with alice as editor (and pat joined when shared). */
async function makeSpace(audience: Audience): Promise<string> {
  const spaceId = `mx-${audience}-${++seq}`;
  await ok('bob', 'POST', '/spaces', {
    id: spaceId,
    name: `Matrix ${audience} ${seq}`,
    audience: audience === 'employees' ? 'employees' : 'members',
  });
  await ok('bob', 'PUT', `/spaces/${spaceId}/members/alice`, { role: 'editor' });
  if (audience === 'shared') {
    await ok('bob', 'PUT', `/spaces/${spaceId}/sharing`, { partnerOrgs: ['acme'], version: 1 });
    await ok('pat', 'POST', `/spaces/${spaceId}/join`);
  }
  return spaceId;
}

async function makePost(
  spaceId: string,
  tag: string,
  title = `Post ${++seq} in ${spaceId}`,
): Promise<{ id: string; title: string }> {
  const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
    title,
    body: `Something about #${tag} for @bob`,
    tags: [tag],
  });
  return { id: post.id, title };
}

async function makeComment(spaceId: string, postId: string): Promise<string> {
  return (
    await ok('alice', 'POST', `/spaces/${spaceId}/posts/${postId}/comments`, { body: `Comment ${++seq}` })
  ).id;
}

async function makePage(spaceId: string): Promise<string> {
  return (
    await ok('alice', 'POST', `/spaces/${spaceId}/pages`, { title: `Page ${++seq}`, body: `Text ${seq}` })
  ).id;
}

async function makeFixture(audience: Audience): Promise<Fixture> {
  const spaceId = await makeSpace(audience);
  const tag = `mx${audience}${seq}`;
  const post = await makePost(spaceId, tag, `Matrix post in the ${audience} space`);
  const commentId = await makeComment(spaceId, post.id);
  const pageId = await makePage(spaceId);
  return { spaceId, tag, postId: post.id, postTitle: post.title, commentId, pageId };
}

async function version(spaceId: string): Promise<number> {
  return (await ok('bob', 'GET', `/spaces/${spaceId}`)).version;
}

const ids = (response: ApiResponse) =>
  (response.body.items as { id?: string; userId?: string }[]).map((item) => item.id ?? item.userId);

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  const { key, kid } = await signingKey();
  realKid = kid;
  as.other = await mintToken(key, kid, {
    sub: 'carol',
    email: 'carol@commonplace.example',
    name: 'Carol Clark',
    groups: ['employee'],
  });
  daveToken = await mintToken(key, kid, {
    sub: 'dave',
    email: 'dave@commonplace.example',
    name: 'Dave Day',
    groups: ['employee'],
  });
  const past = Math.floor(Date.now() / 1000) - 3600;
  expiredToken = await mintToken(key, kid, { iat: past - 3600, exp: past });
  const { privateKey: foreignKey } = await generateKeyPair('RS256');
  forgedToken = await mintToken(foreignKey, kid, {});
  // First calls create profiles (and personal blogs), so everyone exists before the matrix runs.
  for (const account of [...Object.values(as), daveToken]) await ok(account, 'GET', '/me');
  // The demo organisations' e-mail domains (invitations need them; the seed may already claim them).
  for (const org of ['acme', 'globex']) {
    const { organisation } = await ok('admin', 'GET', `/orgs/${org}`);
    if (!organisation.emailDomains.length)
      await ok('admin', 'PATCH', `/orgs/${org}`, {
        emailDomains: [`${org}.example`],
        version: organisation.version,
      });
  }
  for (const audience of AUDIENCES) fixtures[audience] = await makeFixture(audience);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

// ---------------------------------------------------------------------------------------------
// Tokens: a valid control, then everything that must be refused

describe('bearer tokens', () => {
  it('a token minted with the provider key and fresh claims is accepted (control for the cases below)', async () => {
    const response = await rt.api(as.other, 'GET', '/me');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: 'carol', groups: ['employee'] });
    expect(decodeProtectedHeader(expiredToken).kid).toBe(realKid);
    expect(decodeProtectedHeader(forgedToken).kid).toBe(realKid);
    expect(decodeJwt(forgedToken)).toMatchObject({ iss: rt.issuer, aud: 'commonplace-web' });
  });

  it.each([
    ['expired (real key, exp in the past)', () => expiredToken],
    ['forged (foreign key, real kid)', () => forgedToken],
    ['garbage with dots', () => 'not.a.jwt'],
  ])('%s → 401 problem+json', async (_name, token) => {
    const response = await rt.api(token(), 'GET', '/me');
    expectProblem(response, 401);
    expect(response.body.type).toMatch(/unauthenticated$/);
  });

  it('no token → 401 problem+json with WWW-Authenticate: Bearer', async () => {
    const response = await rt.api('anonymous', 'GET', '/me');
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['another audience', { aud: 'someone-else', client_id: 'someone-else' }],
    ['another issuer', { iss: 'https://evil.example/oidc' }],
    ['no Commonplace group', { groups: ['contractor'] }],
    ['an unusable subject', { sub: 'a#b' }],
  ])('a real-key token with %s → 401', async (_name, claims) => {
    const { key, kid } = await signingKey();
    expectProblem(await rt.api(await mintToken(key, kid, claims), 'GET', '/me'), 401);
  });
});

// ---------------------------------------------------------------------------------------------
// Every route refuses callers without a valid token, before it looks at anything else

const SOME = {
  spaceId: 'engineering',
  postId: '01aaaaaaaaaaaaaaaaaaaaaaaa',
  commentId: '01bbbbbbbbbbbbbbbbbbbbbbbb',
  bookmarkId: '0123456789abcdef0123456789abcdef',
};
const EVERY_ROUTE: [string, string, unknown?][] = [
  ['GET', '/spaces'],
  ['GET', '/spaces?scope=directory'],
  ['POST', '/spaces', { name: 'x' }],
  ['GET', `/spaces/${SOME.spaceId}`],
  ['PATCH', `/spaces/${SOME.spaceId}`, { name: 'x', version: 1 }],
  ['PUT', `/spaces/${SOME.spaceId}/sharing`, { partnerOrgs: [], version: 1 }],
  ['GET', `/spaces/${SOME.spaceId}/members`],
  ['PUT', `/spaces/${SOME.spaceId}/members/bob`, { role: 'reader' }],
  ['DELETE', `/spaces/${SOME.spaceId}/members/bob`],
  ['POST', `/spaces/${SOME.spaceId}/join`],
  ['POST', `/spaces/${SOME.spaceId}/leave`],
  ['GET', `/spaces/${SOME.spaceId}/posts`],
  ['POST', `/spaces/${SOME.spaceId}/posts`, { title: 'x', body: 'y' }],
  ['GET', `/spaces/${SOME.spaceId}/posts/${SOME.postId}`],
  ['PUT', `/spaces/${SOME.spaceId}/posts/${SOME.postId}`, { title: 'x', body: 'y', version: 1 }],
  ['DELETE', `/spaces/${SOME.spaceId}/posts/${SOME.postId}`],
  ['PUT', `/spaces/${SOME.spaceId}/posts/${SOME.postId}/like`, { liked: true }],
  ['GET', `/spaces/${SOME.spaceId}/posts/${SOME.postId}/comments`],
  ['POST', `/spaces/${SOME.spaceId}/posts/${SOME.postId}/comments`, { body: 'x' }],
  [
    'PUT',
    `/spaces/${SOME.spaceId}/posts/${SOME.postId}/comments/${SOME.commentId}`,
    { body: 'x', version: 1 },
  ],
  ['DELETE', `/spaces/${SOME.spaceId}/posts/${SOME.postId}/comments/${SOME.commentId}`],
  ['GET', `/spaces/${SOME.spaceId}/pages`],
  ['POST', `/spaces/${SOME.spaceId}/pages`, { title: 'x', body: 'y' }],
  ['GET', `/spaces/${SOME.spaceId}/pages/some-page`],
  ['PUT', `/spaces/${SOME.spaceId}/pages/some-page`, { title: 'x', body: 'y', version: 1 }],
  ['DELETE', `/spaces/${SOME.spaceId}/pages/some-page`],
  ['GET', `/spaces/${SOME.spaceId}/pages/some-page/versions`],
  ['GET', `/spaces/${SOME.spaceId}/pages/some-page/versions/1`],
  ['POST', `/spaces/${SOME.spaceId}/pages/some-page/restore`, { fromVersion: 1, version: 1 }],
  ['GET', `/spaces/${SOME.spaceId}/pages/some-page/backlinks`],
  ['GET', `/spaces/${SOME.spaceId}/page-tree`],
  ['GET', `/spaces/${SOME.spaceId}/page-tree/nodes?ids=some-page`],
  ['GET', '/tags/devops/posts'],
  ['GET', '/people/alice'],
  ['GET', '/people/alice/posts'],
  ['GET', '/me'],
  ['PATCH', '/me', { title: 'x', version: 1 }],
  ['GET', '/people?skill=kubernetes'],
  ['GET', '/people'],
  ['GET', '/people/suggest?q=al'],
  ['GET', '/people/alice/org-chart'],
  ['GET', '/people/alice/reports'],
  ['PUT', '/people/bob/manager', { managerId: 'alice' }],
  ['POST', '/people/import', { csv: 'Email,Name\na@corp.example,A' }],
  ['GET', '/expertise?topic=kubernetes'],
  ['GET', '/people/alice/topics'],
  ['GET', '/people/alice/activity'],
  ['GET', '/people/alice/endorsements'],
  ['PUT', '/people/alice/endorsements/kubernetes'],
  ['DELETE', '/people/alice/endorsements/kubernetes'],
  ['DELETE', '/me/endorsements/kubernetes/bob'],
  ['PUT', '/me/topics', { hidden: [], pinned: [], version: 1 }],
  ['GET', `/spaces/${SOME.spaceId}/mentionable?q=bo`],
  ['GET', '/people/alice/vcard'],
  ['GET', '/me/drafts'],
  ['GET', '/feed'],
  ['GET', '/orgs'],
  ['POST', '/orgs', { id: 'initech', name: 'Initech' }],
  ['PUT', '/me/follows/alice', { level: 'following' }],
  ['DELETE', '/me/follows/alice'],
  ['GET', '/me/follows'],
  ['PUT', `/me/watches/spaces/${SOME.spaceId}`, { level: 'watching' }],
  ['DELETE', `/me/watches/spaces/${SOME.spaceId}`],
  ['PUT', `/me/watches/spaces/${SOME.spaceId}/posts/${SOME.postId}`, { level: 'watching' }],
  ['DELETE', `/me/watches/spaces/${SOME.spaceId}/posts/${SOME.postId}`],
  ['PUT', `/me/watches/spaces/${SOME.spaceId}/pages/some-page`, { level: 'watching' }],
  ['DELETE', `/me/watches/spaces/${SOME.spaceId}/pages/some-page`],
  ['PUT', '/me/watches/tags/devops', { level: 'watching' }],
  ['DELETE', '/me/watches/tags/devops'],
  ['GET', '/me/watches'],
  ['GET', '/me/notifications'],
  ['GET', '/me/notifications/unread-count'],
  ['POST', '/me/notifications/20261130T090000000Z-aaaaaaaaaaaaaaaaaaaaaa/read'],
  ['POST', '/me/notifications/read-all'],
  ['GET', '/me/subscription-settings'],
  ['PUT', '/me/subscription-settings', { watchOnComment: true }],
  ['POST', `/spaces/${SOME.spaceId}/posts/preview-audience`, { title: 'x', body: 'y' }],
  ['POST', `/spaces/${SOME.spaceId}/pages/preview-audience`, { title: 'x', body: 'y' }],
  ['POST', '/me/bookmarks', { url: 'https://example.com' }],
  ['GET', '/me/bookmarks'],
  ['GET', '/me/bookmarks/export'],
  ['POST', '/me/bookmarks/imports/uploads', { size: 100 }],
  ['POST', '/me/bookmarks/imports', { uploadId: 'someupload' }],
  ['GET', '/me/bookmarks/imports/someimport'],
  ['GET', `/me/bookmarks/${SOME.bookmarkId}`],
  ['PATCH', `/me/bookmarks/${SOME.bookmarkId}`, { title: 'x', version: 1 }],
  ['PUT', `/me/bookmarks/${SOME.bookmarkId}/favourite`, { favourite: true }],
  ['DELETE', `/me/bookmarks/${SOME.bookmarkId}`],
  ['GET', '/bookmarks/lookup?url=https://example.com'],
  ['GET', '/bookmarks/recent'],
  ['GET', '/bookmarks/popular'],
  ['GET', '/people/alice/bookmarks'],
  ['GET', `/spaces/${SOME.spaceId}/bookmarks`],
  ['GET', '/me/bookmark-tags'],
  ['POST', '/me/bookmark-tags/rename', { from: 'a', to: 'b' }],
  ['GET', '/bookmark-tags'],
  ['GET', '/me/bookmark-bundles'],
  ['POST', '/me/bookmark-bundles', { name: 'x' }],
  ['GET', '/me/bookmark-bundles/some-bundle'],
  ['PUT', '/me/bookmark-bundles/some-bundle', { name: 'x', version: 1 }],
  ['DELETE', '/me/bookmark-bundles/some-bundle'],
  ['GET', '/me/bookmark-bundles/some-bundle/bookmarks'],
  ['GET', '/me/notification-preferences'],
  ['PUT', '/me/notification-preferences', { post: 'hourly' }],
  ...(['pages/some-page', `posts/${SOME.postId}`] as const).flatMap((owner): [string, string, unknown?][] => [
    [
      'POST',
      `/spaces/${SOME.spaceId}/${owner}/attachments/uploads`,
      { name: 'a.png', size: 9, contentType: 'image/png' },
    ],
    ['POST', `/spaces/${SOME.spaceId}/${owner}/attachments`, { uploadId: '01aaaaaaaaaaaaaaaaaaaaaaaa' }],
    ['GET', `/spaces/${SOME.spaceId}/${owner}/attachments`],
    ['GET', `/spaces/${SOME.spaceId}/${owner}/attachments/01aaaaaaaaaaaaaaaaaaaaaaaa`],
    ['DELETE', `/spaces/${SOME.spaceId}/${owner}/attachments/01aaaaaaaaaaaaaaaaaaaaaaaa`],
  ]),
  ['POST', '/me/photo/uploads', { size: 9, contentType: 'image/png' }],
  ['PUT', '/me/photo', { uploadId: '01aaaaaaaaaaaaaaaaaaaaaaaa' }],
  ['DELETE', '/me/photo'],
  ['GET', '/profile-photos?ids=alice'],
  ['GET', '/orgs/acme'],
  ['PATCH', '/orgs/acme', { name: 'x', version: 1 }],
  ['DELETE', '/orgs/acme'],
  ['PUT', '/orgs/acme/status', { status: 'suspended' }],
  ['PUT', '/orgs/acme/access', { accessEndsAt: null }],
  ['PUT', '/orgs/acme/people/pat/access', { accessEndsAt: null }],
  ['POST', `/spaces/${SOME.spaceId}/invitations`, { email: 'x@acme.example' }],
  ['GET', `/spaces/${SOME.spaceId}/invitations`],
  ['DELETE', `/spaces/${SOME.spaceId}/invitations/x@acme.example`],
  ['GET', '/audit'],
  ['GET', '/audit/export'],
];

describe.each([
  ['no token', () => 'anonymous'],
  ['an expired token', () => expiredToken],
  ['a forged token', () => forgedToken],
])('with %s', (_name, token) => {
  // Every row has three entries (body possibly undefined): with two, jest would pass `done` as the third argument.
  it.each(EVERY_ROUTE.map(([method, pathname, body]) => [method, pathname, body] as const))(
    '%s %s → 401',
    async (method, pathname, body) => {
      await rt.drain();
      const before = rt.front.stream(rt.tableName).length;
      expectProblem(await rt.api(token(), method, pathname, body), 401);
      expect(rt.front.stream(rt.tableName).length).toBe(before);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Space and blog routes × audience × caller

type Expected = Record<Audience, Record<Actor, number>>;

/** Readers of each audience; everyone else gets 404 from every route of that space. */
const READERS: Record<Audience, readonly Actor[]> = {
  employees: ['author', 'other', 'owner', 'admin'],
  members: ['author', 'owner', 'admin'],
  shared: ['author', 'owner', 'admin', 'partner'],
};

/** Builds the expected table: `readers` gives the status of each reader (default `readerStatus`); non-readers get 404. */
function expectTable(
  readerStatus: number,
  overrides: Partial<Record<Audience, Partial<Record<Actor, number>>>> = {},
): Expected {
  const table = {} as Expected;
  for (const audience of AUDIENCES) {
    table[audience] = {} as Record<Actor, number>;
    for (const actor of ACTORS) {
      table[audience][actor] = READERS[audience].includes(actor)
        ? (overrides[audience]?.[actor] ?? readerStatus)
        : 404;
    }
  }
  return table;
}
/** The same status for every caller of every audience. */
function forEveryone(status: number): Expected {
  return Object.fromEntries(
    AUDIENCES.map((audience) => [audience, Object.fromEntries(ACTORS.map((actor) => [actor, status]))]),
  ) as Expected;
}
const managersOnly = (ok: number) =>
  expectTable(
    403,
    Object.fromEntries(AUDIENCES.map((a) => [a, { owner: ok, admin: ok }])) as Partial<
      Record<Audience, Partial<Record<Actor, number>>>
    >,
  );

/** Managers get the status of each audience (403 for other readers, 404 for non-readers). */
const managersBy = (status: Record<Audience, number>) =>
  expectTable(403, Object.fromEntries(AUDIENCES.map((a) => [a, { owner: status[a], admin: status[a] }])));

interface RouteCase {
  route: string;
  expected: Expected;
  /** Prepares what the call needs (a fresh space, post or comment; the current version) as the owner or author. */
  setup?(f: Fixture, audience: Audience): Promise<Record<string, any>>;
  run(actor: Actor, f: Fixture, prepared: Record<string, any>): Promise<ApiResponse>;
  /** Extra checks on a successful answer. */
  check?(response: ApiResponse, f: Fixture, actor: Actor): void;
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('matrix'),
]);

/** Asks for an upload as `account` and sends the bytes with the form, as a browser does; the grant. */
async function uploadAs(account: string, pathname: string, body: Record<string, unknown> = {}) {
  const grant = await ok(account, 'POST', pathname, {
    name: 'matrix.png',
    size: PNG.length,
    contentType: 'image/png',
    ...body,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.upload.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([new Uint8Array(PNG)]), 'matrix.png');
  const sent = await fetch(grant.upload.url, { method: 'POST', body: form });
  if (sent.status !== 204) throw new Error(`upload form → ${sent.status}`);
  return grant as { uploadId: string };
}

/** A file attached to the fixture's page or post by alice (its author, an editor). */
async function attachedBy(f: Fixture, kind: 'pages' | 'posts'): Promise<{ owner: string; id: string }> {
  const owner = `/spaces/${f.spaceId}/${kind}/${kind === 'pages' ? f.pageId : f.postId}`;
  const { uploadId } = await uploadAs('alice', `${owner}/attachments/uploads`);
  return { owner, id: (await ok('alice', 'POST', `${owner}/attachments`, { uploadId })).id };
}

/** Attachments: readers read; pages take files from their editors, posts from their author. */
const allAudiences = (overrides: Partial<Record<Actor, number>>) =>
  Object.fromEntries(AUDIENCES.map((a) => [a, overrides])) as Partial<
    Record<Audience, Partial<Record<Actor, number>>>
  >;
const ATTACHMENT_ROUTES: RouteCase[] = (['pages', 'posts'] as const).flatMap((kind): RouteCase[] => {
  const ownerOf = (f: Fixture) => `/spaces/${f.spaceId}/${kind}/${kind === 'pages' ? f.pageId : f.postId}`;
  const param = kind === 'pages' ? '{pageId}' : '{postId}';
  return [
    {
      route: `POST /spaces/{id}/${kind}/${param}/attachments/uploads`,
      expected:
        kind === 'pages'
          ? expectTable(201, { employees: { other: 403 } })
          : expectTable(403, allAudiences({ author: 201 })),
      run: (actor, f) =>
        call(actor, 'POST', `${ownerOf(f)}/attachments/uploads`, {
          name: 'a.png',
          size: 9,
          contentType: 'image/png',
        }),
      check: (response) => expect(response.body.upload.fields.key).toMatch(/^uploads\//),
    },
    {
      // Only who asked for the upload confirms it, and only while they may still edit.
      route: `POST /spaces/{id}/${kind}/${param}/attachments (confirm alice's upload)`,
      expected: expectTable(403, allAudiences({ author: 201 })),
      setup: async (f) => uploadAs('alice', `${ownerOf(f)}/attachments/uploads`),
      run: (actor, f, { uploadId }) => call(actor, 'POST', `${ownerOf(f)}/attachments`, { uploadId }),
      check: (response) => expect(response.body).toMatchObject({ name: 'matrix.png', image: true }),
    },
    {
      route: `GET /spaces/{id}/${kind}/${param}/attachments`,
      expected: expectTable(200),
      setup: async (f) => attachedBy(f, kind),
      run: (actor, f) => call(actor, 'GET', `${ownerOf(f)}/attachments`),
      check: (response) => expect(response.body.items.length).toBeGreaterThan(0),
    },
    {
      route: `GET /spaces/{id}/${kind}/${param}/attachments/{attachmentId}`,
      expected: expectTable(200),
      setup: async (f) => attachedBy(f, kind),
      run: (actor, f, { id }) => call(actor, 'GET', `${ownerOf(f)}/attachments/${id}`),
      check: (response) => expect(response.body.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:/),
    },
    {
      route: `DELETE /spaces/{id}/${kind}/${param}/attachments/{attachmentId}`,
      expected:
        kind === 'pages'
          ? expectTable(204, { employees: { other: 403 } })
          : expectTable(204, { employees: { other: 403 }, shared: { partner: 403 } }),
      setup: async (f) => attachedBy(f, kind),
      run: (actor, f, { id }) => call(actor, 'DELETE', `${ownerOf(f)}/attachments/${id}`),
    },
  ];
});

const ROUTES: RouteCase[] = [
  ...ATTACHMENT_ROUTES,
  // Links saved into a space: its readers list them; saving one needs the right to post there.
  {
    route: 'GET /spaces/{id}/bookmarks',
    expected: expectTable(200),
    setup: async (f) => {
      await ok(
        'alice',
        'POST',
        '/me/bookmarks',
        {
          url: `https://matrix.example/${f.spaceId}/listed`,
          visibility: 'space',
          spaceId: f.spaceId,
        },
        [201, 409],
      );
      return {};
    },
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/bookmarks`),
    check: (response, f) =>
      expect(response.body.items.map((b: { url: string }) => b.url)).toContain(
        `https://matrix.example/${f.spaceId}/listed`,
      ),
  },
  {
    route: 'POST /me/bookmarks (into the space)',
    expected: expectTable(201, { employees: { other: 403 } }),
    run: (actor, f) =>
      call(actor, 'POST', '/me/bookmarks', {
        url: `https://matrix.example/${f.spaceId}/${actor}/${++seq}`,
        visibility: 'space',
        spaceId: f.spaceId,
      }),
    check: (response, f) => expect(response.body).toMatchObject({ visibility: 'space', spaceId: f.spaceId }),
  },
  {
    route: 'GET /spaces/{id}',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}`),
    check: (response, f, actor) => {
      expect(response.body.id).toBe(f.spaceId);
      // Which other organisations a space is shared with is not a partner's business.
      if (actor === 'partner') expect(response.body.partnerOrgs).toEqual(['acme']);
    },
  },
  {
    route: 'PATCH /spaces/{id}',
    expected: managersOnly(200),
    setup: async (f) => ({ version: await version(f.spaceId) }),
    run: (actor, f, { version }) =>
      call(actor, 'PATCH', `/spaces/${f.spaceId}`, { description: `changed by ${actor}`, version }),
    check: (response, _f, actor) => expect(response.body.description).toBe(`changed by ${actor}`),
  },
  {
    route: 'PUT /spaces/{id}/sharing (same organisations)',
    expected: managersOnly(200),
    setup: async (f, audience) => ({
      version: await version(f.spaceId),
      orgs: audience === 'shared' ? ['acme'] : [],
    }),
    run: (actor, f, { version, orgs }) =>
      call(actor, 'PUT', `/spaces/${f.spaceId}/sharing`, { partnerOrgs: orgs, version }),
  },
  // Invitations: managers only; the e-mail's organisation (acme) must be one the space is shared with.
  {
    route: 'POST /spaces/{id}/invitations',
    expected: managersBy({ employees: 409, members: 409, shared: 201 }),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/invitations`, { email: `invitee${++seq}@acme.example` }),
  },
  {
    route: 'POST /spaces/{id}/invitations (organisation not shared)',
    expected: managersOnly(409),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/invitations`, { email: `invitee${++seq}@globex.example` }),
  },
  {
    route: 'GET /spaces/{id}/invitations',
    expected: managersOnly(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/invitations`),
  },
  {
    route: 'DELETE /spaces/{id}/invitations/{email}',
    expected: managersBy({ employees: 404, members: 404, shared: 204 }),
    setup: async (f, audience) => {
      const email = `revoked${++seq}@acme.example`;
      if (audience === 'shared') await ok('bob', 'POST', `/spaces/${f.spaceId}/invitations`, { email });
      return { email };
    },
    run: (actor, f, { email }) => call(actor, 'DELETE', `/spaces/${f.spaceId}/invitations/${email}`),
  },
  {
    route: 'GET /spaces/{id}/members',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/members`),
    check: (response) => expect(ids(response)).toEqual(expect.arrayContaining(['alice', 'bob'])),
  },
  {
    route: 'PUT /spaces/{id}/members/{userId}',
    expected: managersOnly(200),
    run: (actor, f) => call(actor, 'PUT', `/spaces/${f.spaceId}/members/dave`, { role: 'reader' }),
    check: (response) => expect(response.body).toMatchObject({ userId: 'dave', role: 'reader' }),
  },
  {
    route: 'DELETE /spaces/{id}/members/{userId}',
    expected: managersOnly(204),
    setup: async (f) => ok('bob', 'PUT', `/spaces/${f.spaceId}/members/dave`, { role: 'reader' }),
    run: (actor, f) => call(actor, 'DELETE', `/spaces/${f.spaceId}/members/dave`),
  },
  {
    route: 'POST /spaces/{id}/join (fresh space)',
    // Members get 409; only employees' spaces are open to join for employees; partners of a sharing org may join.
    expected: expectTable(409, {
      employees: { other: 200, admin: 200 },
      members: { admin: 403 },
      shared: { admin: 403 },
    }),
    setup: async (_f, audience) => ({ spaceId: await makeSpace(audience) }),
    run: (actor, _f, { spaceId }) => call(actor, 'POST', `/spaces/${spaceId}/join`),
    check: (response) => expect(response.body.myRole).toBe('editor'),
  },
  {
    route: 'POST /spaces/{id}/leave (fresh space)',
    // The last owner cannot leave; non-members get 409.
    expected: expectTable(409, {
      employees: { author: 204 },
      members: { author: 204 },
      shared: { author: 204, partner: 204 },
    }),
    setup: async (_f, audience) => ({ spaceId: await makeSpace(audience) }),
    run: (actor, _f, { spaceId }) => call(actor, 'POST', `/spaces/${spaceId}/leave`),
  },
  {
    route: 'GET /spaces/{id}/posts',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/posts`),
    check: (response, f) => expect(ids(response)).toContain(f.postId),
  },
  {
    route: 'POST /spaces/{id}/posts',
    expected: expectTable(201, { employees: { other: 403 } }),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/posts`, { title: `By ${actor}`, body: 'x', status: 'draft' }),
  },
  {
    route: 'GET /spaces/{id}/posts/{postId}',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/posts/${f.postId}`),
    check: (response, f) => expect(response.body).toMatchObject({ id: f.postId, title: f.postTitle }),
  },
  {
    route: 'PUT /spaces/{id}/posts/{postId}',
    expected: expectTable(403, {
      employees: { author: 200 },
      members: { author: 200 },
      shared: { author: 200 },
    }),
    setup: async (f) => ({
      version: (await ok('alice', 'GET', `/spaces/${f.spaceId}/posts/${f.postId}`)).version,
    }),
    run: (actor, f, { version }) =>
      call(actor, 'PUT', `/spaces/${f.spaceId}/posts/${f.postId}`, {
        title: f.postTitle,
        body: `Edited by ${actor} #${f.tag}`,
        tags: [f.tag],
        version,
      }),
    check: (response, _f, actor) =>
      expect(response.body.body).toBe(`Edited by author #${response.body.tags[0]}`.replace('author', actor)),
  },
  {
    route: 'DELETE /spaces/{id}/posts/{postId} (fresh post)',
    expected: expectTable(204, { employees: { other: 403 }, shared: { partner: 403 } }),
    setup: async (f) => ({ postId: (await makePost(f.spaceId, f.tag)).id }),
    run: (actor, f, { postId }) => call(actor, 'DELETE', `/spaces/${f.spaceId}/posts/${postId}`),
  },
  {
    route: 'PUT /spaces/{id}/posts/{postId}/like',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'PUT', `/spaces/${f.spaceId}/posts/${f.postId}/like`, { liked: true }),
    check: (response) => expect(response.body.likedByMe).toBe(true),
  },
  {
    route: 'GET /spaces/{id}/posts/{postId}/comments',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/posts/${f.postId}/comments`),
    check: (response, f) => expect(ids(response)).toContain(f.commentId),
  },
  {
    route: 'POST /spaces/{id}/posts/{postId}/comments',
    expected: expectTable(201),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/posts/${f.postId}/comments`, { body: `From ${actor}` }),
  },
  {
    route: 'PUT /spaces/{id}/posts/{postId}/comments/{commentId} (fresh comment)',
    expected: expectTable(403, {
      employees: { author: 200 },
      members: { author: 200 },
      shared: { author: 200 },
    }),
    setup: async (f) => ({ commentId: await makeComment(f.spaceId, f.postId) }),
    run: (actor, f, { commentId }) =>
      call(actor, 'PUT', `/spaces/${f.spaceId}/posts/${f.postId}/comments/${commentId}`, {
        body: `Edited by ${actor}`,
        version: 1,
      }),
    check: (response) => expect(response.body.version).toBe(2),
  },
  {
    route: 'DELETE /spaces/{id}/posts/{postId}/comments/{commentId} (fresh comment)',
    expected: expectTable(204, { employees: { other: 403 }, shared: { partner: 403 } }),
    setup: async (f) => ({ commentId: await makeComment(f.spaceId, f.postId) }),
    run: (actor, f, { commentId }) =>
      call(actor, 'DELETE', `/spaces/${f.spaceId}/posts/${f.postId}/comments/${commentId}`),
  },
  {
    route: 'GET /spaces/{id}/pages',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/pages`),
    check: (response, f) => expect(ids(response)).toContain(f.pageId),
  },
  {
    route: 'POST /spaces/{id}/pages',
    expected: expectTable(201, { employees: { other: 403 } }),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/pages`, { title: `Page by ${actor} ${++seq}`, body: 'x' }),
  },
  // "Who will be notified" is a read, but only for those who may write there (as the write itself).
  {
    route: 'POST /spaces/{id}/posts/preview-audience',
    expected: expectTable(200, { employees: { other: 403 } }),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/posts/preview-audience`, { title: 'x', body: '@bob' }),
    check: (response) =>
      expect(response.body).toMatchObject({ event: 'post-published', groups: expect.any(Array) }),
  },
  {
    route: 'POST /spaces/{id}/pages/preview-audience',
    expected: expectTable(200, { employees: { other: 403 } }),
    run: (actor, f) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/pages/preview-audience`, {
        pageId: f.pageId,
        title: 'Matrix page',
        body: 'x',
      }),
    check: (response) => expect(response.body).toMatchObject({ event: 'page-edited' }),
  },
  {
    route: 'GET /spaces/{id}/pages/{pageId}',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/pages/${f.pageId}`),
    check: (response, f) => expect(response.body.id).toBe(f.pageId),
  },
  {
    route: 'PUT /spaces/{id}/pages/{pageId}',
    expected: expectTable(200, { employees: { other: 403 } }),
    setup: async (f) => ({
      version: (await ok('alice', 'GET', `/spaces/${f.spaceId}/pages/${f.pageId}`)).version,
    }),
    run: (actor, f, { version }) =>
      call(actor, 'PUT', `/spaces/${f.spaceId}/pages/${f.pageId}`, {
        title: 'Matrix page',
        body: `Edited by ${actor}`,
        version,
      }),
    check: (response, _f, actor) => expect(response.body.body).toBe(`Edited by ${actor}`),
  },
  {
    route: 'DELETE /spaces/{id}/pages/{pageId} (fresh page)',
    expected: managersOnly(204),
    setup: async (f) => ({ pageId: await makePage(f.spaceId) }),
    run: (actor, f, { pageId }) => call(actor, 'DELETE', `/spaces/${f.spaceId}/pages/${pageId}`),
  },
  {
    route: 'GET /spaces/{id}/pages/{pageId}/versions',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/pages/${f.pageId}/versions`),
    check: (response) => expect(response.body.items.at(-1).version).toBe(1),
  },
  {
    route: 'GET /spaces/{id}/pages/{pageId}/versions/{n}',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/pages/${f.pageId}/versions/1`),
    check: (response) =>
      expect(response.body).toMatchObject({ version: 1, body: expect.stringMatching(/^Text/) }),
  },
  {
    route: 'POST /spaces/{id}/pages/{pageId}/restore',
    expected: expectTable(200, { employees: { other: 403 } }),
    setup: async (f) => ({
      version: (await ok('alice', 'GET', `/spaces/${f.spaceId}/pages/${f.pageId}`)).version,
    }),
    run: (actor, f, { version }) =>
      call(actor, 'POST', `/spaces/${f.spaceId}/pages/${f.pageId}/restore`, { fromVersion: 1, version }),
    check: (response) => expect(response.body.body).toMatch(/^Text/),
  },
  {
    route: 'GET /spaces/{id}/pages/{pageId}/backlinks',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/pages/${f.pageId}/backlinks`),
    check: (response) => expect(response.body.items).toEqual([]),
  },
  {
    route: 'GET /spaces/{id}/page-tree',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/page-tree`),
    check: (response, f) =>
      expect(response.body.items.map((entry: { id: string }) => entry.id)).toContain(f.pageId),
  },
  // @mention candidates: only where the caller may read (and so write about) the space.
  {
    route: 'GET /spaces/{id}/mentionable',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'GET', `/spaces/${f.spaceId}/mentionable?q=bo`),
    check: (response) =>
      expect(response.body.items.map((p: { userId: string }) => p.userId)).not.toContain('gus'),
  },
  {
    route: 'GET /spaces/{id}/page-tree/nodes',
    expected: expectTable(200),
    run: (actor, f) =>
      call(actor, 'GET', `/spaces/${f.spaceId}/page-tree/nodes?ids=${f.pageId},no-such-page`),
    check: (response, f) =>
      expect(response.body.items.map((entry: { id: string }) => entry.id)).toEqual([f.pageId]),
  },
  // Watching needs read access (404 otherwise, as if it did not exist); removing one's own watch or
  // mute reveals nothing, so it is a 204 for everyone.
  {
    route: 'PUT /me/watches/spaces/{id}',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'PUT', `/me/watches/spaces/${f.spaceId}`, { level: 'watching' }),
    check: (response, f) => expect(response.body).toMatchObject({ kind: 'space', spaceId: f.spaceId }),
  },
  {
    route: 'DELETE /me/watches/spaces/{id}',
    expected: forEveryone(204),
    run: (actor, f) => call(actor, 'DELETE', `/me/watches/spaces/${f.spaceId}`),
  },
  {
    route: 'PUT /me/watches/spaces/{id}/posts/{postId}',
    expected: expectTable(200),
    run: (actor, f) =>
      call(actor, 'PUT', `/me/watches/spaces/${f.spaceId}/posts/${f.postId}`, { level: 'muted' }),
    check: (response, f) =>
      expect(response.body).toMatchObject({
        kind: 'post',
        postId: f.postId,
        label: f.postTitle,
        level: 'muted',
      }),
  },
  {
    route: 'DELETE /me/watches/spaces/{id}/posts/{postId}',
    expected: forEveryone(204),
    run: (actor, f) => call(actor, 'DELETE', `/me/watches/spaces/${f.spaceId}/posts/${f.postId}`),
  },
  {
    route: 'PUT /me/watches/spaces/{id}/pages/{pageId}',
    expected: expectTable(200),
    run: (actor, f) => call(actor, 'PUT', `/me/watches/spaces/${f.spaceId}/pages/${f.pageId}`, {}),
    check: (response, f) => expect(response.body).toMatchObject({ kind: 'page', pageId: f.pageId }),
  },
  {
    route: 'DELETE /me/watches/spaces/{id}/pages/{pageId}',
    expected: forEveryone(204),
    run: (actor, f) => call(actor, 'DELETE', `/me/watches/spaces/${f.spaceId}/pages/${f.pageId}`),
  },
];

describe.each(AUDIENCES)('a space open to %s', (audience) => {
  const rows = ROUTES.flatMap((route) =>
    ACTORS.map((actor) => [route.route, actor, route.expected[audience][actor], route] as const),
  );
  it.each(rows)('%s as %s → %i', async (_route, actor, status, route) => {
    const f = fixtures[audience];
    const prepared = (await route.setup?.(f, audience)) ?? {};
    // The fan-out writes derived items (inbox items, authors' watches) after the setup's writes: let
    // it finish, so what is counted below is the request's own writes.
    await rt.drain();
    const before = rt.front.stream(rt.tableName).length;
    const response = await route.run(actor, f, prepared);
    expectStatus(response, status);
    if (status < 300) route.check?.(response, f, actor);
    // A refused request writes nothing at all.
    if (status >= 400) expect(rt.front.stream(rt.tableName).length).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Routes that are not about one space

const everyone = (status: number): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<Actor, number>;
const employeesOnly = (yes: number, no: number): Record<Actor, number> => ({
  ...everyone(yes),
  partner: no,
  otherPartner: no,
});
const adminOnly = (yes: number, no: number): Record<Actor, number> => ({ ...everyone(no), admin: yes });

/** A fresh partner organisation (version 1), made by the admin. */
async function freshOrg(): Promise<string> {
  return (await ok('admin', 'POST', '/orgs', { id: `fresh-${++seq}`, name: `Fresh ${seq}` })).id;
}

/** A fresh private save of the actor's (version 1), for the routes that act on one's own. */
async function ownBookmark(actor: Actor): Promise<string> {
  return (
    await ok(as[actor], 'POST', '/me/bookmarks', { url: `https://matrix.example/own/${actor}/${++seq}` })
  ).id;
}
/** A one-link bookmark file sent to the blob store with the form the API grants; its upload id. */
async function uploadedBookmarkFile(actor: Actor): Promise<string> {
  const file = `<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DT><A HREF="https://matrix.example/import/${actor}/${++seq}">x</A>`;
  const grant = await ok(as[actor], 'POST', '/me/bookmarks/imports/uploads', {
    size: Buffer.byteLength(file),
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.upload.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([file], { type: 'text/html' }));
  const sent = await fetch(grant.upload.url, { method: 'POST', body: form });
  if (!sent.ok) throw new Error(`upload refused: ${sent.status} ${await sent.text()}`);
  return grant.uploadId;
}
/** An import job of the actor's, run to its end. */
async function ownImport(actor: Actor): Promise<string> {
  const job = await ok(
    as[actor],
    'POST',
    '/me/bookmarks/imports',
    { uploadId: await uploadedBookmarkFile(actor) },
    [202],
  );
  await rt.drain();
  return job.id;
}
async function ownBundle(actor: Actor): Promise<string> {
  return (await ok(as[actor], 'POST', '/me/bookmark-bundles', { name: `Bundle ${++seq}`, any: ['matrix'] }))
    .id;
}

const GLOBAL_ROUTES: [string, Record<Actor, number>, (actor: Actor) => Promise<ApiResponse>][] = [
  ['GET /spaces?scope=mine', everyone(200), (a) => call(a, 'GET', '/spaces?scope=mine')],
  ['GET /spaces?scope=directory', everyone(200), (a) => call(a, 'GET', '/spaces?scope=directory')],
  ['GET /spaces?scope=all', adminOnly(200, 403), (a) => call(a, 'GET', '/spaces?scope=all')],
  ['POST /spaces', employeesOnly(201, 403), (a) => call(a, 'POST', '/spaces', { name: `Created by ${a}` })],
  ['GET /tags/{tag}/posts', everyone(200), (a) => call(a, 'GET', '/tags/logistics/posts')],
  ['GET /people/{employee}', everyone(200), (a) => call(a, 'GET', '/people/alice')],
  [
    'GET /people/{acme partner}',
    { ...everyone(200), otherPartner: 404 },
    (a) => call(a, 'GET', '/people/pat'),
  ],
  ['GET /people/{globex partner}', { ...everyone(200), partner: 404 }, (a) => call(a, 'GET', '/people/gus')],
  ['GET /people/{nobody}', everyone(404), (a) => call(a, 'GET', '/people/nobody')],
  ['GET /people/{employee}/posts', everyone(200), (a) => call(a, 'GET', '/people/alice/posts')],
  [
    'GET /people/{globex partner}/posts',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/posts'),
  ],
  [
    'GET /people/{acme partner}/posts',
    { ...everyone(200), otherPartner: 404 },
    (a) => call(a, 'GET', '/people/pat/posts'),
  ],
  ['GET /me', everyone(200), (a) => call(a, 'GET', '/me')],
  ['GET /me/drafts', everyone(200), (a) => call(a, 'GET', '/me/drafts')],
  ['GET /feed', everyone(200), (a) => call(a, 'GET', '/feed')],
  ['GET /orgs', everyone(200), (a) => call(a, 'GET', '/orgs')],
  [
    'POST /orgs',
    adminOnly(201, 403),
    (a) => call(a, 'POST', '/orgs', { id: `org-${a.toLowerCase()}-${++seq}`, name: 'Some partner' }),
  ],
  // Managing an organisation: admins only, each call on a fresh one (so a suspension affects nobody).
  ['GET /orgs/{id}', adminOnly(200, 403), async (a) => call(a, 'GET', `/orgs/${await freshOrg()}`)],
  [
    'PATCH /orgs/{id}',
    adminOnly(200, 403),
    async (a) => call(a, 'PATCH', `/orgs/${await freshOrg()}`, { name: `Renamed by ${a}`, version: 1 }),
  ],
  ['DELETE /orgs/{id}', adminOnly(204, 403), async (a) => call(a, 'DELETE', `/orgs/${await freshOrg()}`)],
  [
    'PUT /orgs/{id}/status',
    adminOnly(200, 403),
    async (a) => call(a, 'PUT', `/orgs/${await freshOrg()}/status`, { status: 'suspended' }),
  ],
  [
    'PUT /orgs/{id}/access',
    adminOnly(200, 403),
    async (a) => call(a, 'PUT', `/orgs/${await freshOrg()}/access`, { accessEndsAt: '2099-01-01T00:00:00Z' }),
  ],
  [
    'PUT /orgs/{id}/people/{userId}/access',
    adminOnly(200, 403),
    (a) => call(a, 'PUT', '/orgs/acme/people/pat/access', { accessEndsAt: null }),
  ],
  ['GET /audit', adminOnly(200, 403), (a) => call(a, 'GET', '/audit')],
  ['GET /audit/export', adminOnly(200, 403), (a) => call(a, 'GET', '/audit/export?format=csv')],
  [
    'PATCH /me',
    everyone(200),
    async (a) => {
      const { version } = (await call(a, 'GET', '/me')).body;
      return call(a, 'PATCH', '/me', { title: `Title of ${a}`, version });
    },
  ],
  ['GET /people?skill=', everyone(200), (a) => call(a, 'GET', '/people?skill=logistics')],
  // The people directory and reporting lines (issue 15): everyone reads what they may see (partners:
  // employees and their own organisation); admins alone set managers and import.
  ['GET /people', everyone(200), (a) => call(a, 'GET', '/people?department=logistics')],
  ['GET /people/suggest', everyone(200), (a) => call(a, 'GET', '/people/suggest?q=al')],
  ['GET /people/{employee}/org-chart', everyone(200), (a) => call(a, 'GET', '/people/alice/org-chart')],
  [
    'GET /people/{globex partner}/org-chart',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/org-chart'),
  ],
  ['GET /people/{employee}/reports', everyone(200), (a) => call(a, 'GET', '/people/alice/reports')],
  [
    'PUT /people/{}/manager',
    adminOnly(200, 403),
    (a) => call(a, 'PUT', '/people/bob/manager', { managerId: 'alice' }),
  ],
  [
    'POST /people/import',
    adminOnly(200, 403),
    (a) => call(a, 'POST', '/people/import', { csv: 'Email,Name\nmatrix@corp.example,Matrix Person' }),
  ],
  ['GET /search', everyone(200), (a) => call(a, 'GET', '/search?q=matrix')],
  ['GET /search/suggest', everyone(200), (a) => call(a, 'GET', '/search/suggest?q=ma')],
  // Following a person needs seeing them (another organisation's partner is a 404); yourself is a 409.
  [
    'PUT /me/follows/{employee}',
    { ...everyone(200), author: 409 },
    (a) => call(a, 'PUT', '/me/follows/alice', { level: 'following' }),
  ],
  [
    'PUT /me/follows/{acme partner}',
    { ...everyone(200), partner: 409, otherPartner: 404 },
    (a) => call(a, 'PUT', '/me/follows/pat', { level: 'muted' }),
  ],
  [
    'PUT /me/follows/{globex partner}',
    { ...everyone(200), partner: 404, otherPartner: 409 },
    (a) => call(a, 'PUT', '/me/follows/gus', {}),
  ],
  ['PUT /me/follows/{nobody}', everyone(404), (a) => call(a, 'PUT', '/me/follows/nobody', {})],
  ['DELETE /me/follows/{userId}', everyone(204), (a) => call(a, 'DELETE', '/me/follows/alice')],
  ['GET /me/follows', everyone(200), (a) => call(a, 'GET', '/me/follows')],
  ['PUT /me/watches/tags/{tag}', everyone(200), (a) => call(a, 'PUT', '/me/watches/tags/logistics', {})],
  ['DELETE /me/watches/tags/{tag}', everyone(204), (a) => call(a, 'DELETE', '/me/watches/tags/logistics')],
  ['GET /me/watches', everyone(200), (a) => call(a, 'GET', '/me/watches')],
  ['GET /me/subscription-settings', everyone(200), (a) => call(a, 'GET', '/me/subscription-settings')],
  ['PUT /me/subscription-settings', everyone(200), (a) => call(a, 'PUT', '/me/subscription-settings', {})],
  ['GET /me/notifications', everyone(200), (a) => call(a, 'GET', '/me/notifications')],
  [
    'GET /me/notifications/unread-count',
    everyone(200),
    (a) => call(a, 'GET', '/me/notifications/unread-count'),
  ],
  [
    'POST /me/notifications/{someone else’s or none}/read',
    everyone(404),
    (a) => call(a, 'POST', '/me/notifications/20261130T090000000Z-aaaaaaaaaaaaaaaaaaaaaa/read'),
  ],
  ['POST /me/notifications/read-all', everyone(200), (a) => call(a, 'POST', '/me/notifications/read-all')],
  // Bookmarks: everyone keeps their own; the company-wide lists and cloud are employees' (partners
  // find links in the spaces shared with them); another person's save or bundle is a 404.
  [
    'POST /me/bookmarks',
    everyone(201),
    (a) => call(a, 'POST', '/me/bookmarks', { url: `https://matrix.example/${a}/${++seq}` }),
  ],
  ['GET /me/bookmarks', everyone(200), (a) => call(a, 'GET', '/me/bookmarks')],
  ['GET /me/bookmarks/export', everyone(200), (a) => call(a, 'GET', '/me/bookmarks/export')],
  // Imports: everyone imports their own file, as a job; a job is its owner's only.
  [
    'POST /me/bookmarks/imports/uploads',
    everyone(201),
    (a) => call(a, 'POST', '/me/bookmarks/imports/uploads', { size: 100 }),
  ],
  [
    'POST /me/bookmarks/imports',
    everyone(202),
    async (a) => {
      const uploadId = await uploadedBookmarkFile(a);
      const response = await call(a, 'POST', '/me/bookmarks/imports', { uploadId });
      await rt.drain();
      return response;
    },
  ],
  [
    'GET /me/bookmarks/imports/{importId} (own)',
    everyone(200),
    async (a) => call(a, 'GET', `/me/bookmarks/imports/${await ownImport(a)}`),
  ],
  [
    'GET /me/bookmarks/imports/{importId} (someone else’s)',
    everyone(404),
    async (a) =>
      call(a, 'GET', `/me/bookmarks/imports/${await ownImport(a === 'author' ? 'other' : 'author')}`),
  ],
  [
    'GET /me/bookmarks/{bookmarkId} (own)',
    everyone(200),
    async (a) => call(a, 'GET', `/me/bookmarks/${await ownBookmark(a)}`),
  ],
  [
    'GET /me/bookmarks/{bookmarkId} (someone else’s)',
    everyone(404),
    (a) => call(a, 'GET', `/me/bookmarks/${SOME.bookmarkId}`),
  ],
  [
    'PATCH /me/bookmarks/{bookmarkId} (own)',
    everyone(200),
    async (a) => call(a, 'PATCH', `/me/bookmarks/${await ownBookmark(a)}`, { title: `By ${a}`, version: 1 }),
  ],
  [
    'PUT /me/bookmarks/{bookmarkId}/favourite (own)',
    everyone(200),
    async (a) => call(a, 'PUT', `/me/bookmarks/${await ownBookmark(a)}/favourite`, { favourite: true }),
  ],
  [
    'DELETE /me/bookmarks/{bookmarkId} (own)',
    everyone(204),
    async (a) => call(a, 'DELETE', `/me/bookmarks/${await ownBookmark(a)}`),
  ],
  [
    'DELETE /me/bookmarks/{bookmarkId} (someone else’s)',
    everyone(404),
    (a) => call(a, 'DELETE', `/me/bookmarks/${SOME.bookmarkId}`),
  ],
  [
    'GET /bookmarks/lookup',
    everyone(200),
    (a) => call(a, 'GET', '/bookmarks/lookup?url=https://example.com'),
  ],
  ['GET /bookmarks/recent', employeesOnly(200, 403), (a) => call(a, 'GET', '/bookmarks/recent')],
  ['GET /bookmarks/popular', employeesOnly(200, 403), (a) => call(a, 'GET', '/bookmarks/popular')],
  ['GET /people/{employee}/bookmarks', everyone(200), (a) => call(a, 'GET', '/people/alice/bookmarks')],
  [
    'GET /people/{globex partner}/bookmarks',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/bookmarks'),
  ],
  ['GET /me/bookmark-tags', everyone(200), (a) => call(a, 'GET', '/me/bookmark-tags')],
  [
    'POST /me/bookmark-tags/rename',
    everyone(200),
    (a) => call(a, 'POST', '/me/bookmark-tags/rename', { from: 'matrix', to: 'matrices' }),
  ],
  ['GET /bookmark-tags', employeesOnly(200, 403), (a) => call(a, 'GET', '/bookmark-tags')],
  ['GET /me/bookmark-bundles', everyone(200), (a) => call(a, 'GET', '/me/bookmark-bundles')],
  [
    'POST /me/bookmark-bundles',
    everyone(201),
    (a) => call(a, 'POST', '/me/bookmark-bundles', { name: `Of ${a}` }),
  ],
  [
    'GET /me/bookmark-bundles/{bundleId} (own)',
    everyone(200),
    async (a) => call(a, 'GET', `/me/bookmark-bundles/${await ownBundle(a)}`),
  ],
  [
    'GET /me/bookmark-bundles/{bundleId} (someone else’s)',
    everyone(404),
    async (a) =>
      call(a, 'GET', `/me/bookmark-bundles/${await ownBundle(a === 'author' ? 'owner' : 'author')}`),
  ],
  [
    'PUT /me/bookmark-bundles/{bundleId} (own)',
    everyone(200),
    async (a) =>
      call(a, 'PUT', `/me/bookmark-bundles/${await ownBundle(a)}`, { name: `Renamed by ${a}`, version: 1 }),
  ],
  [
    'DELETE /me/bookmark-bundles/{bundleId} (own)',
    everyone(204),
    async (a) => call(a, 'DELETE', `/me/bookmark-bundles/${await ownBundle(a)}`),
  ],
  [
    'GET /me/bookmark-bundles/{bundleId}/bookmarks (own)',
    everyone(200),
    async (a) => call(a, 'GET', `/me/bookmark-bundles/${await ownBundle(a)}/bookmarks`),
  ],
  // Expertise (issue 15): anyone may ask and sees only what they may read; a person a partner may not
  // see is a 404 on every route that names them; endorsing oneself is a 409.
  ['GET /expertise', everyone(200), (a) => call(a, 'GET', '/expertise?topic=logistics')],
  ['GET /people/{employee}/topics', everyone(200), (a) => call(a, 'GET', '/people/alice/topics')],
  [
    'GET /people/{globex partner}/topics',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/topics'),
  ],
  ['GET /people/{employee}/activity', everyone(200), (a) => call(a, 'GET', '/people/alice/activity')],
  [
    'GET /people/{globex partner}/activity',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/activity'),
  ],
  ['GET /people/{employee}/endorsements', everyone(200), (a) => call(a, 'GET', '/people/alice/endorsements')],
  [
    'GET /people/{globex partner}/endorsements',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/endorsements'),
  ],
  [
    'PUT /people/{bob}/endorsements/{skill}',
    { ...everyone(200), owner: 409 },
    (a) => call(a, 'PUT', '/people/bob/endorsements/logistics'),
  ],
  [
    'PUT /people/{globex partner}/endorsements/{skill}',
    { ...everyone(200), partner: 404, otherPartner: 409 },
    (a) => call(a, 'PUT', '/people/gus/endorsements/logistics'),
  ],
  [
    'DELETE /people/{employee}/endorsements/{skill}',
    everyone(200),
    (a) => call(a, 'DELETE', '/people/alice/endorsements/logistics'),
  ],
  [
    'DELETE /me/endorsements/{skill}/{endorserId}',
    everyone(200),
    (a) => call(a, 'DELETE', '/me/endorsements/logistics/alice'),
  ],
  [
    'PUT /me/topics',
    everyone(200),
    async (a) => {
      const me = await ok(as[a], 'GET', '/me');
      return call(a, 'PUT', '/me/topics', { hidden: [], pinned: ['logistics'], version: me.version });
    },
  ],
  ['GET /people/{employee}/vcard', everyone(200), (a) => call(a, 'GET', '/people/alice/vcard')],
  [
    'GET /people/{globex partner}/vcard',
    { ...everyone(200), partner: 404 },
    (a) => call(a, 'GET', '/people/gus/vcard'),
  ],
  ['GET /me/notification-preferences', everyone(200), (a) => call(a, 'GET', '/me/notification-preferences')],
  [
    'PUT /me/notification-preferences',
    everyone(200),
    (a) => call(a, 'PUT', '/me/notification-preferences', { page: 'hourly' }),
  ],
  // Public, signature-checked: a link not signed for this person and kind is refused whoever asks.
  [
    'GET /unsubscribe (forged link)',
    everyone(403),
    (a) => call(a, 'GET', '/unsubscribe?user=alice&kind=post&sig=forged'),
  ],
  [
    'POST /unsubscribe (forged link)',
    everyone(403),
    (a) => call(a, 'POST', '/unsubscribe?user=alice&kind=post&sig=forged'),
  ],
  [
    'POST /me/photo/uploads',
    everyone(201),
    (a) => call(a, 'POST', '/me/photo/uploads', { size: 9, contentType: 'image/png' }),
  ],
  [
    'PUT /me/photo',
    everyone(200),
    async (a) =>
      call(a, 'PUT', '/me/photo', {
        uploadId: (await uploadAs(as[a], '/me/photo/uploads', { name: undefined })).uploadId,
      }),
  ],
  ['DELETE /me/photo', everyone(204), (a) => call(a, 'DELETE', '/me/photo')],
  // Photos of people the caller may not see are left out, as from every list (asserted in attachments.test.ts).
  ['GET /profile-photos', everyone(200), (a) => call(a, 'GET', '/profile-photos?ids=alice,pat,gus')],
  ['GET /health', everyone(200), () => rt.api('anonymous', 'GET', '/health')],
  ['GET /openapi.json', everyone(200), () => rt.api('anonymous', 'GET', '/openapi.json')],
];

describe('the matrix itself', () => {
  // A route added to any module without a row here fails this test: the list comes from the apps.
  it('has a row for every route of every API module', () => {
    const normalise = (row: string) =>
      row
        .replace(/ \(.*\)$/, '')
        .replace(/\?.*$/, '')
        .replace(/\{[^}]+\}/g, '{}');
    const rows = new Set(
      [...ROUTES.map((r) => r.route), ...GLOBAL_ROUTES.map(([route]) => route)].map(normalise),
    );
    const routes = ALL_MODULES.flatMap((module) =>
      moduleRoutes(module).map(
        ({ method, path }) => `${method} ${path.replace(/^\/api/, '').replace(/:[^/]+/g, '{}')}`,
      ),
    );
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((route) => !rows.has(route))).toEqual([]);
  });
});

describe('routes across spaces', () => {
  const rows = GLOBAL_ROUTES.flatMap(([route, expected, run]) =>
    ACTORS.map((actor) => [route, actor, expected[actor], run] as const),
  );
  it.each(rows)('%s as %s → %i', async (_route, actor, status, run) => {
    expectStatus(await run(actor), status);
  });

  it('GET /orgs shows a partner their own organisation only', async () => {
    expect(ids(await call('partner', 'GET', '/orgs'))).toEqual(['acme']);
    expect(ids(await call('otherPartner', 'GET', '/orgs'))).toEqual(['globex']);
    expect(ids(await call('other', 'GET', '/orgs'))).toEqual(expect.arrayContaining(['acme', 'globex']));
  });

  it('GET /me/drafts lists only the caller’s drafts', async () => {
    const draft = await ok('alice', 'POST', `/spaces/${fixtures.employees.spaceId}/posts`, {
      title: 'Alice’s secret draft',
      body: 'wip',
      status: 'draft',
    });
    expect(ids(await call('author', 'GET', '/me/drafts'))).toContain(draft.id);
    for (const actor of ACTORS.filter((a) => a !== 'author')) {
      const response = await call(actor, 'GET', '/me/drafts');
      expect(ids(response)).not.toContain(draft.id);
      expect(JSON.stringify(response.body)).not.toContain('secret draft');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Lists never show what the caller cannot read

/** 1 where an actor can read the space of that audience, else 0. */
function readersSee(): Expected {
  const table = {} as Expected;
  for (const audience of AUDIENCES) {
    table[audience] = Object.fromEntries(
      ACTORS.map((a) => [a, READERS[audience].includes(a) ? 1 : 0]),
    ) as Record<Actor, number>;
  }
  return table;
}

/** Whether each list route must show the fixture's item to each actor, per audience. */
const LISTS: [string, (f: Fixture) => string, Expected][] = [
  // scope=mine: memberships only (admin is not a member of these spaces).
  [
    '/spaces?scope=mine',
    () => '/spaces?scope=mine&limit=100',
    {
      employees: { author: 1, other: 0, owner: 1, admin: 0, partner: 0, otherPartner: 0 },
      members: { author: 1, other: 0, owner: 1, admin: 0, partner: 0, otherPartner: 0 },
      shared: { author: 1, other: 0, owner: 1, admin: 0, partner: 1, otherPartner: 0 },
    },
  ],
  // scope=directory: spaces open to all employees; for partners, the spaces shared with their organisation.
  [
    '/spaces?scope=directory',
    () => '/spaces?scope=directory&limit=100',
    {
      employees: { author: 1, other: 1, owner: 1, admin: 1, partner: 0, otherPartner: 0 },
      members: { author: 0, other: 0, owner: 0, admin: 0, partner: 0, otherPartner: 0 },
      shared: { author: 0, other: 0, owner: 0, admin: 0, partner: 1, otherPartner: 0 },
    },
  ],
  ['/tags/{tag}/posts', (f) => `/tags/${f.tag}/posts?limit=100`, readersSee()],
  ['/people/{author}/posts', () => '/people/alice/posts?limit=100', readersSee()],
  // Admins list every space.
  [
    '/spaces?scope=all (admin)',
    () => '/spaces?scope=all&limit=100',
    {
      employees: { author: 0, other: 0, owner: 0, admin: 1, partner: 0, otherPartner: 0 },
      members: { author: 0, other: 0, owner: 0, admin: 1, partner: 0, otherPartner: 0 },
      shared: { author: 0, other: 0, owner: 0, admin: 1, partner: 0, otherPartner: 0 },
    },
  ],
];

describe.each(AUDIENCES)('lists, for a space open to %s', (audience) => {
  const rows = LISTS.flatMap(([list, url, expected]) =>
    ACTORS.map((actor) => [list, actor, expected[audience][actor] === 1, url] as const),
  );
  it.each(rows)('%s as %s shows the item: %s', async (_list, actor, visible, url) => {
    const f = fixtures[audience];
    const response = await call(actor, 'GET', url(f));
    if (url(f).includes('scope=all') && actor !== 'admin') {
      expectStatus(response, 403);
      return;
    }
    expect(response.status).toBe(200);
    const listed = ids(response);
    const target = url(f).startsWith('/spaces') ? f.spaceId : f.postId;
    if (visible) {
      expect(listed).toContain(target);
    } else {
      expect(listed).not.toContain(target);
      expect(JSON.stringify(response.body)).not.toContain(f.postTitle);
      expect(JSON.stringify(response.body)).not.toContain(`"${f.spaceId}"`);
    }
  });
});

describe('notifications never cross a partner boundary', () => {
  it('a tag both partners watch tells only those who can read the post, and every inbox holds only readable spaces', async () => {
    const tag = fixtures.shared.tag;
    for (const actor of ACTORS) await ok(as[actor], 'PUT', `/me/watches/tags/${tag}`, {});
    const post = await makePost(fixtures.shared.spaceId, tag, 'Tagged for the watchers');
    const employeesPost = await makePost(fixtures.employees.spaceId, tag, 'Tagged in the employees space');
    await rt.drain();
    const told = async (actor: Actor, postId: string) =>
      (await ok(as[actor], 'GET', '/me/notifications?limit=100')).items.filter(
        (n: { postId?: string }) => n.postId === postId,
      ).length;
    // alice wrote both (the actor is never told); the others as they can read each space.
    expect(await told('author', post.id)).toBe(0);
    expect(await told('partner', post.id)).toBe(1);
    expect(await told('otherPartner', post.id)).toBe(0);
    expect(await told('other', post.id)).toBe(0);
    expect(await told('owner', post.id)).toBe(1);
    expect(await told('other', employeesPost.id)).toBe(1);
    expect(await told('partner', employeesPost.id)).toBe(0);
    expect(await told('otherPartner', employeesPost.id)).toBe(0);
    for (const actor of ['partner', 'otherPartner'] as const) {
      const items = (await ok(as[actor], 'GET', '/me/notifications?limit=100')).items as {
        spaceId: string;
      }[];
      // Readable: their spaces, and every space shared with their organisation (of which they are told).
      const readable = new Set(
        [
          ...(await ok(as[actor], 'GET', '/spaces?scope=mine&limit=100')).items,
          ...(await ok(as[actor], 'GET', '/spaces?scope=directory&limit=100')).items,
        ].map((s: { id: string }) => s.id),
      );
      for (const item of items) expect(readable.has(item.spaceId)).toBe(true);
    }
  });
});

describe('no leaks between partner organisations', () => {
  let dual: string;
  let gusPost: { id: string };
  let gusComment: { id: string };

  beforeAll(async () => {
    // A space shared with both partner organisations, with a member, a post and a comment from each.
    dual = `mx-dual-${++seq}`;
    await ok('bob', 'POST', '/spaces', { id: dual, name: 'Shared with both', audience: 'members' });
    await ok('bob', 'PUT', `/spaces/${dual}/sharing`, { partnerOrgs: ['acme', 'globex'], version: 1 });
    await ok('pat', 'POST', `/spaces/${dual}/join`);
    await ok('gus', 'POST', `/spaces/${dual}/join`);
    gusPost = await ok('gus', 'POST', `/spaces/${dual}/posts`, {
      title: 'Partner notes',
      body: 'From the other partner #dualtag',
      tags: ['dualtag'],
    });
    gusComment = await ok('gus', 'POST', `/spaces/${dual}/posts/${gusPost.id}/comments`, {
      body: 'A comment from outside',
    });
    await ok('pat', 'PUT', `/spaces/${dual}/posts/${gusPost.id}/like`, { liked: true });
  });

  it('a partner never sees members of another partner organisation', async () => {
    const forPat = await call('partner', 'GET', `/spaces/${dual}/members?limit=100`);
    expect(ids(forPat)).toEqual(expect.arrayContaining(['bob', 'pat']));
    expect(ids(forPat)).not.toContain('gus');
    expect(JSON.stringify(forPat.body)).not.toMatch(/globex|Gus Guest/i);
    const forGus = await call('otherPartner', 'GET', `/spaces/${dual}/members?limit=100`);
    expect(ids(forGus)).toEqual(expect.arrayContaining(['bob', 'gus']));
    expect(JSON.stringify(forGus.body)).not.toMatch(/acme|Pat Partner|"pat"/i);
    // Employees see everyone.
    expect(ids(await call('owner', 'GET', `/spaces/${dual}/members?limit=100`))).toEqual(
      expect.arrayContaining(['bob', 'pat', 'gus']),
    );
  });

  it('member pages of size one do not reveal the hidden member either', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        'partner',
        'GET',
        `/spaces/${dual}/members?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...ids(page).map(String));
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen).not.toContain('gus');
  });

  it('a space view shows a partner only their own organisation in partnerOrgs, in every shape', async () => {
    for (const [actor, org] of [
      ['partner', 'acme'],
      ['otherPartner', 'globex'],
    ] as const) {
      expect((await call(actor, 'GET', `/spaces/${dual}`)).body.partnerOrgs).toEqual([org]);
      for (const scope of ['mine', 'directory']) {
        const listed = (await call(actor, 'GET', `/spaces?scope=${scope}&limit=100`)).body.items.find(
          (s: { id: string }) => s.id === dual,
        );
        expect(listed?.partnerOrgs).toEqual([org]);
      }
    }
    expect((await call('owner', 'GET', `/spaces/${dual}`)).body.partnerOrgs).toEqual(['acme', 'globex']);
  });

  it('posts by another organisation’s partner do not name them, in every read and list', async () => {
    await rt.drain(); // the feed is derived from the table stream: gus's post is in it
    const reads = [
      await call('partner', 'GET', `/spaces/${dual}/posts/${gusPost.id}`),
      await call('partner', 'GET', `/spaces/${dual}/posts`),
      await call('partner', 'GET', '/tags/dualtag/posts'),
      await call('partner', 'GET', '/feed?limit=100'),
      await call('partner', 'PUT', `/spaces/${dual}/posts/${gusPost.id}/like`, { liked: true }),
    ];
    expect(reads[0].body.title).toBe('Partner notes'); // the content itself is shared with pat…
    for (const response of reads) {
      expect(response.status).toBe(200);
      // …but not who wrote it.
      expect(JSON.stringify(response.body)).not.toMatch(/Gus Guest|"gus"|globex/i);
    }
    expect(ids(reads[3])).toContain(gusPost.id); // in pat's feed, as by an external user
    // …while employees see who wrote it.
    expect((await call('owner', 'GET', `/spaces/${dual}/posts/${gusPost.id}`)).body).toMatchObject({
      authorId: 'gus',
      authorOrg: 'globex',
    });
  });

  it('comments by another organisation’s partner do not name them or their organisation', async () => {
    const response = await call('partner', 'GET', `/spaces/${dual}/posts/${gusPost.id}/comments`);
    expect(response.status).toBe(200);
    expect(ids(response)).toContain(gusComment.id);
    expect(JSON.stringify(response.body)).not.toMatch(/Gus Guest|"gus"|globex/i);
    expect(
      (await call('owner', 'GET', `/spaces/${dual}/posts/${gusPost.id}/comments`)).body.items[0],
    ).toMatchObject({ authorId: 'gus' });
  });

  // Search masks another organisation's partner like posts and comments do, and a partner's query does
  // not match on author names (else "Gus Guest" would be an oracle for who wrote what).
  it('search results do not name another organisation’s partner, nor match on their name', async () => {
    await rt.drain();
    const byTitle = await call('partner', 'GET', '/search?q=partner+notes');
    expect(byTitle.status).toBe(200);
    expect(JSON.stringify(byTitle.body)).not.toMatch(/Gus Guest|"gus"|globex/i);
    expect((await call('partner', 'GET', '/search?q=Gus+Guest')).body.items).toEqual([]);
  });

  // Counts would reveal members of another organisation, so partners get none.
  it('a partner gets no member count that could reveal members they cannot see', async () => {
    const space = (await call('partner', 'GET', `/spaces/${dual}`)).body;
    expect(space.memberCount).toBeUndefined();
    expect(space.ownerCount).toBeUndefined();
  });

  it('neither partner can read the other organisation’s space, and it is absent from their lists', async () => {
    expectStatus(await call('partner', 'GET', '/spaces/globex-pilot'), 404);
    expectStatus(await call('otherPartner', 'GET', '/spaces/acme-supply-chain'), 404);
    for (const [actor, foreign] of [
      ['partner', /globex/i],
      ['otherPartner', /acme/i],
    ] as const) {
      for (const url of [
        '/spaces?scope=mine&limit=100',
        '/spaces?scope=directory&limit=100',
        '/tags/logistics/posts',
        '/tags/pilot/posts',
        '/people/bob/posts',
        '/people/alice/posts',
        '/orgs',
      ]) {
        const response = await call(actor, 'GET', url);
        expect(response.status).toBe(200);
        const text = JSON.stringify(response.body);
        expect(text).not.toMatch(foreign);
      }
    }
  });
});

describe('missing and forbidden are indistinguishable', () => {
  const shape = (response: ApiResponse) => ({
    status: response.status,
    type: response.body.type,
    title: response.body.title,
    detail: response.body.detail,
  });

  it.each([
    ['a members-only space, to a non-member employee', 'other', 'members'],
    ['a members-only space, to a partner', 'partner', 'members'],
    ['a space shared with acme, to a globex partner', 'otherPartner', 'shared'],
    ['a space shared with acme, to a non-member employee', 'other', 'shared'],
    ['an employees space, to a partner', 'partner', 'employees'],
  ] as const)('%s', async (_name, actor, audience) => {
    const f = fixtures[audience];
    const pairs: [string, string][] = [
      [`/spaces/${f.spaceId}`, '/spaces/no-such-space'],
      [`/spaces/${f.spaceId}/posts`, '/spaces/no-such-space/posts'],
      [`/spaces/${f.spaceId}/members`, '/spaces/no-such-space/members'],
      [`/spaces/${f.spaceId}/posts/${f.postId}`, `/spaces/no-such-space/posts/${f.postId}`],
      [`/spaces/${f.spaceId}/posts/${f.postId}/comments`, `/spaces/no-such-space/posts/${f.postId}/comments`],
    ];
    for (const [real, missing] of pairs) {
      const [a, b] = [await call(actor, 'GET', real), await call(actor, 'GET', missing)];
      expect(shape(a)).toEqual(shape(b));
      expect(a.status).toBe(404);
    }
    for (const [method, suffix, body] of [
      ['POST', '/join', undefined],
      ['POST', '/posts', { title: 'x', body: 'y' }],
      ['PATCH', '', { name: 'x', version: 1 }],
      ['PUT', `/posts/${f.postId}/like`, { liked: true }],
    ] as const) {
      const [a, b] = [
        await call(actor, method, `/spaces/${f.spaceId}${suffix}`, body),
        await call(actor, method, `/spaces/no-such-space${suffix}`, body),
      ];
      expect(shape(a)).toEqual(shape(b));
      expect(a.status).toBe(404);
    }
  });

  it('someone else’s draft is indistinguishable from a missing post', async () => {
    const f = fixtures.employees;
    const draft = await ok('alice', 'POST', `/spaces/${f.spaceId}/posts`, {
      title: 'Draft nobody else sees',
      body: 'wip #mxdraft',
      tags: ['mxdraft'],
      status: 'draft',
    });
    for (const actor of ['other', 'owner', 'admin'] as const) {
      for (const suffix of ['', '/comments']) {
        const [a, b] = [
          await call(actor, 'GET', `/spaces/${f.spaceId}/posts/${draft.id}${suffix}`),
          await call(actor, 'GET', `/spaces/${f.spaceId}/posts/01zzzzzzzzzzzzzzzzzzzzzzzz${suffix}`),
        ];
        expect(a.status).toBe(404);
        expect(shape(a)).toEqual(shape(b));
      }
      expect(ids(await call(actor, 'GET', `/spaces/${f.spaceId}/posts?limit=100`))).not.toContain(draft.id);
      expect(ids(await call(actor, 'GET', '/people/alice/posts?limit=100'))).not.toContain(draft.id);
      expect(ids(await call(actor, 'GET', '/tags/mxdraft/posts'))).toEqual([]);
    }
    expect((await call('author', 'GET', `/spaces/${f.spaceId}/posts/${draft.id}`)).status).toBe(200);
  });
});

describe('unsharing a space', () => {
  it('cuts the partner off at once: the space, its posts and comments 404 and it leaves every list', async () => {
    const spaceId = await makeSpace('shared');
    const tag = `mxunshare${seq}`;
    const post = await makePost(spaceId, tag, 'Soon to be unshared');
    const commentId = await makeComment(spaceId, post.id);
    const patPost = await ok('pat', 'POST', `/spaces/${spaceId}/posts`, {
      title: 'Pat wrote this',
      body: `#${tag}`,
    });

    // Before: pat reads everything.
    const reads = [
      `/spaces/${spaceId}`,
      `/spaces/${spaceId}/posts`,
      `/spaces/${spaceId}/members`,
      `/spaces/${spaceId}/posts/${post.id}`,
      `/spaces/${spaceId}/posts/${post.id}/comments`,
    ];
    for (const url of reads) expect((await call('partner', 'GET', url)).status).toBe(200);
    expect(ids(await call('partner', 'GET', '/spaces?scope=mine&limit=100'))).toContain(spaceId);
    expect(ids(await call('partner', 'GET', '/spaces?scope=directory&limit=100'))).toContain(spaceId);
    expect(ids(await call('partner', 'GET', `/tags/${tag}/posts`))).toEqual(
      expect.arrayContaining([post.id, patPost.id]),
    );
    await rt.drain(); // the feed is derived from the table stream
    expect(ids(await call('partner', 'GET', '/feed?limit=100'))).toEqual(
      expect.arrayContaining([post.id, patPost.id]),
    );

    await ok('bob', 'PUT', `/spaces/${spaceId}/sharing`, {
      partnerOrgs: [],
      version: await version(spaceId),
    });

    for (const url of reads) expectStatus(await call('partner', 'GET', url), 404);
    for (const [method, url, body] of [
      ['POST', `/spaces/${spaceId}/posts`, { title: 'x', body: 'y' }],
      ['PUT', `/spaces/${spaceId}/posts/${patPost.id}`, { title: 'x', body: 'y', version: 1 }],
      ['DELETE', `/spaces/${spaceId}/posts/${patPost.id}`, undefined],
      ['PUT', `/spaces/${spaceId}/posts/${post.id}/like`, { liked: true }],
      ['POST', `/spaces/${spaceId}/posts/${post.id}/comments`, { body: 'still here?' }],
      ['DELETE', `/spaces/${spaceId}/posts/${post.id}/comments/${commentId}`, undefined],
      ['POST', `/spaces/${spaceId}/leave`, undefined],
      ['POST', `/spaces/${spaceId}/join`, undefined],
    ] as const) {
      expectStatus(await call('partner', method, url, body), 404);
    }
    for (const url of [
      '/spaces?scope=mine&limit=100',
      '/spaces?scope=directory&limit=100',
      `/tags/${tag}/posts`,
      '/people/alice/posts?limit=100',
      '/people/pat/posts?limit=100',
      '/feed?limit=100',
    ]) {
      const response = await call('partner', 'GET', url);
      expect(response.status).toBe(200);
      expect(ids(response)).not.toContain(spaceId);
      expect(ids(response)).not.toContain(post.id);
      expect(ids(response)).not.toContain(patPost.id);
      expect(JSON.stringify(response.body)).not.toMatch(/Soon to be unshared|Pat wrote this/);
    }
    // The space is now members-only for employees: its members still read it.
    expect((await call('author', 'GET', `/spaces/${spaceId}/posts/${post.id}`)).status).toBe(200);
    expect((await call('owner', 'GET', `/spaces/${spaceId}`)).body).toMatchObject({
      audience: 'members',
      partnerOrgs: [],
    });
  });
});

describe('roles, eligibility and claims', () => {
  it('a partner cannot promote themself, and an owner cannot add a partner of an organisation the space is not shared with', async () => {
    const spaceId = await makeSpace('shared');
    expectStatus(await call('partner', 'PUT', `/spaces/${spaceId}/members/pat`, { role: 'owner' }), 403);
    const gus = await call('owner', 'PUT', `/spaces/${spaceId}/members/gus`, { role: 'reader' });
    expectStatus(gus, 409);
    expect(gus.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
    expectStatus(
      await call('owner', 'PUT', `/spaces/${fixtures.employees.spaceId}/members/pat`, { role: 'reader' }),
      409,
    );
    expect(ids(await call('owner', 'GET', `/spaces/${spaceId}/members`))).not.toContain('gus');
  });

  it('a space keeps at least one owner: neither demoting nor removing the last owner is possible', async () => {
    const spaceId = await makeSpace('members');
    expectStatus(await call('admin', 'PUT', `/spaces/${spaceId}/members/bob`, { role: 'reader' }), 409);
    expectStatus(await call('admin', 'DELETE', `/spaces/${spaceId}/members/bob`), 409);
    expectStatus(await call('owner', 'POST', `/spaces/${spaceId}/leave`), 409);
    // With a second owner, the first may go.
    await ok('bob', 'PUT', `/spaces/${spaceId}/members/alice`, { role: 'owner' });
    expectStatus(await call('owner', 'POST', `/spaces/${spaceId}/leave`), 204);
    expect((await call('author', 'GET', `/spaces/${spaceId}`)).body).toMatchObject({
      myRole: 'owner',
      ownerCount: 1,
      memberCount: 1,
    });
  });

  it('changing the audience takes effect at once, in reads and in the directory', async () => {
    const spaceId = await makeSpace('employees');
    const post = await makePost(spaceId, `mxaudience${seq}`);
    expect(ids(await call('other', 'GET', '/spaces?scope=directory&limit=100'))).toContain(spaceId);
    await ok('bob', 'PATCH', `/spaces/${spaceId}`, { audience: 'members', version: await version(spaceId) });
    expectStatus(await call('other', 'GET', `/spaces/${spaceId}/posts/${post.id}`), 404);
    expect(ids(await call('other', 'GET', '/spaces?scope=directory&limit=100'))).not.toContain(spaceId);
    expect(ids(await call('other', 'GET', '/people/alice/posts?limit=100'))).not.toContain(post.id);
    await ok('bob', 'PATCH', `/spaces/${spaceId}`, {
      audience: 'employees',
      version: await version(spaceId),
    });
    expect((await call('other', 'GET', `/spaces/${spaceId}/posts/${post.id}`)).status).toBe(200);
    expect(ids(await call('other', 'GET', '/spaces?scope=directory&limit=100'))).toContain(spaceId);
  });

  it('a settings change racing joins loses none of the member count', async () => {
    for (let round = 0; round < 5; round++) {
      const spaceId = `mx-race-${++seq}`;
      await ok('bob', 'POST', '/spaces', { id: spaceId, name: 'Race', audience: 'employees' });
      const responses = await Promise.all([
        call('owner', 'PATCH', `/spaces/${spaceId}`, { description: 'renamed meanwhile', version: 1 }),
        call('author', 'POST', `/spaces/${spaceId}/join`),
        call('other', 'POST', `/spaces/${spaceId}/join`),
        call('admin', 'POST', `/spaces/${spaceId}/join`),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const members = ids(await call('owner', 'GET', `/spaces/${spaceId}/members?limit=100`));
      expect(members).toHaveLength(4);
      expect((await call('owner', 'GET', `/spaces/${spaceId}`)).body).toMatchObject({
        memberCount: 4,
        ownerCount: 1,
        description: 'renamed meanwhile',
      });
    }
  });

  it('a settings change racing a co-owner leaving cannot let the last owner go', async () => {
    for (let round = 0; round < 5; round++) {
      const spaceId = await makeSpace('members');
      await ok('bob', 'PUT', `/spaces/${spaceId}/members/alice`, { role: 'owner' });
      const [patched, left] = await Promise.all([
        call('owner', 'PATCH', `/spaces/${spaceId}`, {
          description: 'meanwhile',
          version: await version(spaceId),
        }),
        call('author', 'POST', `/spaces/${spaceId}/leave`),
      ]);
      expect([patched.status, left.status]).toEqual([200, 204]);
      expect((await call('owner', 'GET', `/spaces/${spaceId}`)).body).toMatchObject({
        ownerCount: 1,
        memberCount: 1,
      });
      expectStatus(await call('owner', 'POST', `/spaces/${spaceId}/leave`), 409);
    }
  });

  it('nobody can leave or be removed from their own blog, and only its owner writes in it', async () => {
    expectStatus(await call('author', 'POST', '/spaces/~alice/leave'), 409);
    expectStatus(await call('admin', 'DELETE', '/spaces/~alice/members/alice'), 409);
    expectStatus(
      await call('owner', 'POST', '/spaces/~alice/posts', { title: 'Not my blog', body: 'x' }),
      403,
    );
    expectStatus(await call('owner', 'POST', '/spaces/~alice/join'), 403);
    expectStatus(await call('partner', 'GET', '/spaces/~alice'), 404);
    expectStatus(
      await call('author', 'PUT', '/spaces/~alice/sharing', {
        partnerOrgs: ['acme'],
        version: (await ok('alice', 'GET', '/spaces/~alice')).version,
      }),
      409,
    );
  });

  it.each([
    [
      'an employee token that also names an organisation is a partner of it',
      { groups: ['employee'], org: 'acme' },
      { engineering: 404, 'acme-supply-chain': 200, 'globex-pilot': 404 },
    ],
    [
      'an admin token that names an organisation is not an admin',
      { groups: ['employee', 'admin'], org: 'acme' },
      { engineering: 404, leadership: 404, 'globex-pilot': 404 },
    ],
    [
      'a partner token without an organisation reads nothing',
      { groups: ['partner'] },
      { engineering: 404, 'acme-supply-chain': 404, 'globex-pilot': 404 },
    ],
  ] as const)('%s', async (_name, claims, expected) => {
    const { key, kid } = await signingKey();
    const token = await mintToken(key, kid, {
      sub: `mixed-${++seq}`,
      email: `mixed${seq}@example.com`,
      ...claims,
    });
    for (const [spaceId, status] of Object.entries(expected))
      expectStatus(await rt.api(token, 'GET', `/spaces/${spaceId}`), status);
    expectStatus(await rt.api(token, 'POST', '/spaces', { name: 'Should not exist' }), 403);
    expectStatus(await rt.api(token, 'GET', '/spaces?scope=all'), 403);
  });
});
