/**
 * SCIM 2.0 Users over the real local runtime, with the requests Okta and Entra ID send (RFC 7644):
 * look up by userName, create, get, replace, patch (Okta's value object, Entra's path with "False"),
 * delete = deactivate. A bad token is a 401 in SCIM's error format and changes nothing; a deactivated
 * person cannot sign in at the local identity provider, and their content stays.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchToken } from '../../local/identity/token-client';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let rt: TestRuntime;
let token: string;

async function scim(method: string, pathname: string, body?: unknown, bearer = token) {
  const response = await fetch(`${rt.url}/api/scim/v2${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  token = fs.readFileSync(path.join(rt.dataDir, 'scim', 'token'), 'utf8').trim();
}, 180_000);

afterAll(async () => {
  await rt?.close();
});

describe('SCIM 2.0 /Users', () => {
  let dana: string;

  it('refuses a missing or wrong token with a SCIM 401, changing nothing', async () => {
    const before = rt.front.stream(rt.tableName).length;
    for (const bearer of ['', 'wrong', `${token}x`, await rt.tokenFor('admin')]) {
      const response = await scim(
        'POST',
        '/Users',
        { schemas: [USER], userName: 'x@corp.example', displayName: 'X' },
        bearer,
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/application\/scim\+json/);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '401' });
    }
    expect((await scim('DELETE', '/Users/alice', undefined, 'wrong')).status).toBe(401);
    expect(rt.front.stream(rt.tableName).length).toBe(before);
    expect((await rt.api('alice', 'GET', '/people/alice')).body.active).toBeUndefined();
  });

  it('creates a user as Okta does: look up by userName, then POST', async () => {
    const lookup = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "dana@corp.example"')}&startIndex=1&count=100`,
    );
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });
    const created = await scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      userName: 'Dana@corp.example',
      name: { givenName: 'Dana', familyName: 'Scully' },
      emails: [{ primary: true, value: 'dana@corp.example', type: 'work' }],
      title: 'Investigator',
      active: true,
      externalId: '00u1abcd',
      [ENTERPRISE]: { department: 'X-Files', manager: { value: 'admin' } },
    });
    expect(created.status).toBe(201);
    dana = created.body.id;
    expect(created.headers.get('location')).toBe(`${rt.url}/api/scim/v2/Users/${dana}`);
    expect(created.body).toMatchObject({
      userName: 'dana@corp.example',
      displayName: 'Dana Scully',
      active: true,
      externalId: '00u1abcd',
      [ENTERPRISE]: { department: 'X-Files', manager: { value: 'admin' } },
    });
    const again = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'dana@corp.example',
      displayName: 'Dana',
    });
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe('uniqueness');
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "dana@corp.example"')}`);
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([dana]);
    // In the directory and the org chart at once.
    expect((await rt.api('alice', 'GET', '/people?department=x-files')).body.items[0]).toMatchObject({
      userId: dana,
      title: 'Investigator',
    });
    expect(
      (await rt.api('alice', 'GET', `/people/${dana}/org-chart`)).body.chain.map(
        (p: { userId: string }) => p.userId,
      ),
    ).toEqual(['admin']);
  });

  it('replaces and patches (Okta value object, Entra path with "False")', async () => {
    const put = await scim('PUT', `/Users/${dana}`, {
      schemas: [USER, ENTERPRISE],
      userName: 'dana@corp.example',
      name: { formatted: 'Dana Katherine Scully' },
      title: 'Special Agent',
      active: true,
      [ENTERPRISE]: { department: 'X-Files' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Dana Katherine Scully', title: 'Special Agent' });
    const entra = await scim('PATCH', `/Users/${dana}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'title', value: 'Director' },
        { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Bureau' },
      ],
    });
    expect(entra.body).toMatchObject({ title: 'Director', [ENTERPRISE]: { department: 'Bureau' } });
    const bad = await scim('PATCH', `/Users/${dana}`, {
      schemas: [PATCH],
      Operations: [{ op: 'move', path: 'title' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidSyntax' });
    expect((await scim('GET', '/Users/nobody')).status).toBe(404);
    expect((await scim('POST', '/Users', { schemas: [USER], displayName: 'No user name' })).status).toBe(400);
    expect((await scim('GET', `/Users?filter=${encodeURIComponent('emails co "x"')}`)).body.scimType).toBe(
      'invalidFilter',
    );
  });

  it('deactivates (PATCH active "False", DELETE): cannot sign in, content and reports stay', async () => {
    // bob reports to alice; alice writes a post; then alice is deactivated by the provisioning client.
    await rt.api('admin', 'PUT', '/people/bob/manager', { managerId: 'alice' });
    const post = await rt.api('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Before I go',
      body: 'Notes',
    });
    expect(post.status).toBe(201);
    const patched = await scim('PATCH', '/Users/alice', {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(patched.body.active).toBe(false);
    await expect(fetchToken(rt.issuer, 'alice')).rejects.toThrow();
    expect((await rt.api('bob', 'GET', `/spaces/engineering/posts/${post.body.id}`)).status).toBe(200);
    const chart = (await rt.api('bob', 'GET', '/people/bob/org-chart')).body;
    expect(chart.chain).toEqual([expect.objectContaining({ userId: 'alice', active: false })]);
    expect(
      (await rt.api('bob', 'GET', '/people/alice/org-chart')).body.reports.map(
        (p: { userId: string }) => p.userId,
      ),
    ).toEqual(['bob']);
    // Reactivated, she signs in again; DELETE deactivates once more.
    await scim('PATCH', '/Users/alice', {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect((await fetchToken(rt.issuer, 'alice')).accessToken).toBeTruthy();
    expect((await scim('DELETE', `/Users/${dana}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${dana}`)).body.active).toBe(false);
    expect((await scim('GET', '/Users/pat')).status).toBe(404);
  });
});
