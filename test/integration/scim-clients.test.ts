/**
 * SCIM 2.0 as Okta and Entra ID drive it, over the real local runtime: discovery (what we support,
 * truthfully), the lookup by userName before a create, create, get, patch of attributes, deactivate
 * (cannot sign in at the local broker, content stays), reactivate — once in each client's request
 * shapes. Also: the filters they send and a 400 invalidFilter for others; ETags with If-Match → 412.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchToken } from '../../local/identity/token-client';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

let rt: TestRuntime;
let token: string;

async function scim(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${rt.url}/api/scim/v2${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const filter = (expression: string) => `/Users?filter=${encodeURIComponent(expression)}`;

beforeAll(async () => {
  rt = await startTestRuntime();
  token = fs.readFileSync(path.join(rt.dataDir, 'scim', 'token'), 'utf8').trim();
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('discovery', () => {
  it('says what is supported: patch, filter (with maxResults), ETags; no bulk, sort or password change', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toMatch(/application\/scim\+json/);
    expect(config.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
  });

  it('lists the User resource type with the enterprise extension, and its schemas', async () => {
    const types = await scim('GET', '/ResourceTypes');
    expect(types.body).toMatchObject({ schemas: [LIST], totalResults: 1 });
    expect(types.body.Resources[0]).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    expect((await scim('GET', '/ResourceTypes/User')).body.id).toBe('User');
    expect((await scim('GET', '/ResourceTypes/Group')).status).toBe(404);
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, ENTERPRISE]);
    const user = await scim('GET', `/Schemas/${USER}`);
    const names = user.body.attributes.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['userName', 'name', 'active', 'externalId', 'emails']));
    expect(user.body.attributes.find((a: { name: string }) => a.name === 'userName')).toMatchObject({
      required: true,
      uniqueness: 'server',
    });
    expect((await scim('GET', '/Schemas/urn:example:nothing')).status).toBe(404);
  });

  it('is behind the token like the rest', async () => {
    const response = await fetch(`${rt.url}/api/scim/v2/ServiceProviderConfig`);
    expect(response.status).toBe(401);
  });
});

describe('filters', () => {
  it('refuses a filter no client sends with 400 invalidFilter in SCIM’s error format', async () => {
    for (const expression of [
      'userName sw "a"',
      'displayName eq "A"',
      'userName eq "a" or userName eq "b"',
    ]) {
      const response = await scim('GET', filter(expression));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
    }
  });
});

/** The sequence a provisioning client runs; `shape` is how Okta or Entra ID words each request. */
async function provisioningSequence(shape: {
  email: string;
  externalId: string;
  create: (email: string, externalId: string) => unknown;
  patchTitle: unknown;
  lookup: 'userName' | 'externalId' | 'emails';
}) {
  const lookupFilter = {
    userName: `userName eq "${shape.email}"`,
    externalId: `externalId eq "${shape.externalId}"`,
    emails: `emails[type eq "work"].value eq "${shape.email}"`,
  }[shape.lookup];
  // 1. Is the person there? Not yet.
  const before = await scim('GET', `${filter(lookupFilter)}&startIndex=1&count=100`);
  expect(before.status).toBe(200);
  expect(before.body).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [] });
  // 2. Create.
  const created = await scim('POST', '/Users', shape.create(shape.email, shape.externalId));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect(created.headers.get('etag')).toBe(created.body.meta.version);
  // 3. Found by each filter the clients use; get by id.
  for (const expression of [
    `userName eq "${shape.email}"`,
    `externalId eq "${shape.externalId}"`,
    `emails[type eq "work"].value eq "${shape.email}"`,
  ]) {
    const found = await scim('GET', filter(expression));
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([id]);
  }
  const got = await scim('GET', `/Users/${id}`);
  expect(got.body).toMatchObject({ id, userName: shape.email, externalId: shape.externalId, active: true });
  // 4. Patch attributes, with the ETag it has; the stale one is refused.
  const etag = got.headers.get('etag') as string;
  const patched = await scim('PATCH', `/Users/${id}`, shape.patchTitle, { 'If-Match': etag });
  expect(patched.status).toBe(200);
  expect(patched.body.title).toBe('Director');
  expect(patched.headers.get('etag')).not.toBe(etag);
  const stale = await scim('PATCH', `/Users/${id}`, shape.patchTitle, { 'If-Match': etag });
  expect(stale.status).toBe(412);
  expect(stale.body).toMatchObject({ schemas: [ERROR], status: '412' });
  return id;
}

describe('Okta’s sequence', () => {
  it('discovers, looks up, creates, gets, patches, deactivates and reactivates a user', async () => {
    const id = await provisioningSequence({
      email: 'alice@commonplace.example',
      externalId: '00u1okta',
      lookup: 'userName',
      create: (email, externalId) => ({
        schemas: [USER],
        userName: email,
        name: { givenName: 'Alice', familyName: 'Andersen' },
        emails: [{ primary: true, value: email, type: 'work' }],
        displayName: 'Alice Andersen',
        externalId,
        locale: 'en-US',
        groups: [],
        password: 'ignored-by-us',
        active: true,
      }),
      // Okta sends full replacements in a value object, without path.
      patchTitle: {
        schemas: [PATCH],
        Operations: [{ op: 'replace', value: { title: 'Director', name: { givenName: 'Alice' } } }],
      },
    });
    // She signs in (the local broker), writes; Okta deactivates her: no sign-in, the post stays.
    const signedIn = (await fetchToken(rt.issuer, 'alice')).accessToken;
    const me = await fetch(`${rt.url}/api/me`, { headers: { authorization: `Bearer ${signedIn}` } });
    expect(((await me.json()) as { userId: string }).userId).toBe(id);
    const blog = `${rt.url}/api/spaces?scope=mine`;
    const spaces = (await (
      await fetch(blog, { headers: { authorization: `Bearer ${signedIn}` } })
    ).json()) as {
      items: { id: string; personalOf?: string }[];
    };
    const space = spaces.items.find((s) => s.personalOf === id)!;
    const post = await fetch(`${rt.url}/api/spaces/${space.id}/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${signedIn}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Notes', body: 'Before I go' }),
    });
    expect(post.status).toBe(201);
    const postId = ((await post.json()) as { id: string }).id;
    const off = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.body.active).toBe(false);
    await expect(fetchToken(rt.issuer, 'alice')).rejects.toThrow(/deactivated/);
    expect((await rt.api('admin', 'GET', `/spaces/${space.id}/posts/${postId}`)).status).toBe(200);
    const on = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.body.active).toBe(true);
    expect((await fetchToken(rt.issuer, 'alice')).accessToken).toBeTruthy();
  });
});

describe('Entra ID’s sequence', () => {
  it('discovers, looks up, creates, gets, patches with paths, deactivates with "False", reactivates', async () => {
    const id = await provisioningSequence({
      email: 'bob@commonplace.example',
      externalId: '7f3c-entra-object-id',
      lookup: 'externalId',
      create: (email, externalId) => ({
        schemas: [USER, ENTERPRISE],
        externalId,
        userName: email,
        active: true,
        displayName: 'Bob Baker',
        emails: [{ primary: true, type: 'work', value: email }],
        name: { formatted: 'Bob Baker', familyName: 'Baker', givenName: 'Bob' },
        [ENTERPRISE]: { department: 'Research' },
      }),
      // Entra sends one operation per attribute, with a path, op capitalised.
      patchTitle: {
        schemas: [PATCH],
        Operations: [
          { op: 'Replace', path: 'title', value: 'Director' },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Platform' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'bob@commonplace.example' },
        ],
      },
    });
    expect((await scim('GET', `/Users/${id}`)).body[ENTERPRISE]).toMatchObject({ department: 'Platform' });
    const signedIn = (await fetchToken(rt.issuer, 'bob')).accessToken;
    expect(signedIn).toBeTruthy();
    const off = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.body.active).toBe(false);
    await expect(fetchToken(rt.issuer, 'bob')).rejects.toThrow(/deactivated/);
    // His place in the directory stays, marked.
    expect((await rt.api('admin', 'GET', `/people/${id}`)).body.active).toBe(false);
    const on = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(on.body.active).toBe(true);
    expect((await fetchToken(rt.issuer, 'bob')).accessToken).toBeTruthy();
  });

  it('refuses an externalId another person holds (409 uniqueness)', async () => {
    const response = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'someone.else@commonplace.example',
      displayName: 'Someone Else',
      externalId: '7f3c-entra-object-id',
    });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ schemas: [ERROR], scimType: 'uniqueness' });
    const lookup = await scim('GET', filter('userName eq "someone.else@commonplace.example"'));
    expect(lookup.body.totalResults).toBe(0);
  });
});
