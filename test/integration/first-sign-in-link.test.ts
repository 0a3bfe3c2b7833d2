/**
 * People an HR import or SCIM provisioned who then sign in: in the real local runtime, through the
 * local broker (the Cognito stand-in) and the deployed pre-token trigger over the real table. The first
 * sign-in with a verified address links the sign-in to the provisioned person — same id, manager,
 * department, blog — in one conditional transaction: two sign-ins at once link once and leave no second
 * profile; never a partner to an employee's profile or the other way round; never an unverified address;
 * a deactivated person is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { createPreTokenGenerationHandler } from '../../functions/auth/pre-token-generation';
import { TableSignInDirectory } from '../../functions/auth/sign-in-directory';
import { keys } from '../../functions/data/keys';
import { provisionedUserId } from '../../functions/domain/people/provisioning';
import { registerDemoOrganisations } from '../../local/identity/demo-organisations';
import { fetchToken } from '../../local/identity/token-client';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let rt: TestRuntime;
let scimToken: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  await registerDemoOrganisations(rt.table);
  scimToken = fs.readFileSync(path.join(rt.dataDir, 'scim', 'token'), 'utf8').trim();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

async function scim(method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${rt.url}/api/scim/v2${pathname}`, {
    method,
    headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The API with a raw access token (not the helper's cached one: each sign-in here is the point). */
async function api(token: string, method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${rt.url}/api${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const signIn = async (account: string, opts: { provider?: string } = {}) =>
  (await fetchToken(rt.issuer, account, opts)).accessToken;

/** Profiles holding an address, over the whole directory (one person per address is the point). */
async function profilesWithEmail(email: string): Promise<string[]> {
  const all = await rt.table.query({
    index: 'GSI1',
    partition: keys.peopleDirectory(undefined),
    limit: 1000,
  });
  return all.items.filter((item) => item.email === email).map((item) => String(item.userId));
}

async function importCsv(csv: string) {
  const admin = await rt.tokenFor('admin');
  let cursor: string | undefined;
  do {
    const step = await api(admin, 'POST', '/people/import', { csv, ...(cursor ? { cursor } : {}) });
    expect(step.status).toBe(200);
    expect(step.body.problems).toEqual([]);
    cursor = step.body.cursor;
  } while (cursor);
}

describe('an imported employee signing in for the first time, through the local broker', () => {
  const alice = provisionedUserId('alice@commonplace.example');
  const mia = provisionedUserId('mia@commonplace.example');

  beforeAll(async () => {
    await importCsv(
      [
        'Work Email,First Name,Last Name,Department,Job Title,Manager Email',
        'mia@commonplace.example,Mia,Manager,Platform,Head of Platform,',
        'alice@commonplace.example,Alice,Andersen,Platform,Engineer,mia@commonplace.example',
      ].join('\n'),
    );
  });

  it('becomes the imported person: same id, department, manager; a blog of their own', async () => {
    const token = await signIn('alice');
    expect(decodeJwt(token)).toMatchObject({ sub: 'alice', person_id: alice });
    const me = await api(token, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: alice, department: 'Platform', title: 'Engineer' });
    const chart = await api(token, 'GET', `/people/${alice}/org-chart`);
    expect(chart.body.chain.map((p: { userId: string }) => p.userId)).toEqual([mia]);
    // Their content is the imported person's: a post in their own blog, authored by that id.
    const spaces = await api(token, 'GET', '/spaces?scope=mine');
    const blog = spaces.body.items.find((s: { personalOf?: string }) => s.personalOf === alice);
    expect(blog).toBeDefined();
    const post = await api(token, 'POST', `/spaces/${blog.id}/posts`, { title: 'Hello', body: 'First post' });
    expect(post.status).toBe(201);
    expect(post.body.authorId).toBe(alice);
    // One profile for the address, none under the sign-in's own subject.
    expect(await profilesWithEmail('alice@commonplace.example')).toEqual([alice]);
    expect(await rt.table.get(keys.profile('alice'))).toBeUndefined();
  });

  it('stays linked at the next sign-in (one link each way)', async () => {
    const token = await signIn('alice');
    expect((await api(token, 'GET', '/me')).body.userId).toBe(alice);
    expect(await rt.table.get(keys.signInLink('alice'))).toMatchObject({ userId: alice });
    expect(await rt.table.get(keys.personLink(alice))).toMatchObject({ subject: 'alice' });
  });

  it('is refused once deactivated by SCIM, and is the same person again once reactivated', async () => {
    const off = await scim('PATCH', `/Users/${alice}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.body.active).toBe(false);
    await expect(signIn('alice')).rejects.toThrow(/deactivated/);
    await scim('PATCH', `/Users/${alice}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect((await api(await signIn('alice'), 'GET', '/me')).body.userId).toBe(alice);
  });
});

describe('two first sign-ins at once', () => {
  it('link once: both act as the SCIM-provisioned person, and no second profile appears', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'bob@commonplace.example',
      name: { givenName: 'Bob', familyName: 'Baker' },
    });
    expect(created.status).toBe(201);
    const [one, two] = await Promise.all([signIn('bob'), signIn('bob')]);
    expect(decodeJwt(one).person_id).toBe(created.body.id);
    expect(decodeJwt(two).person_id).toBe(created.body.id);
    const [meOne, meTwo] = await Promise.all([api(one, 'GET', '/me'), api(two, 'GET', '/me')]);
    expect([meOne.body.userId, meTwo.body.userId]).toEqual([created.body.id, created.body.id]);
    expect(await profilesWithEmail('bob@commonplace.example')).toEqual([created.body.id]);
    expect(await rt.table.get(keys.profile('bob'))).toBeUndefined();
  });

  it('of two different accounts with the same address: one is linked, the other refused, never both', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'dana@commonplace.example',
      displayName: 'Dana Doe',
    });
    const directory = new TableSignInDirectory(rt.table);
    const answers = await Promise.all(
      ['dana-native', 'dana-entra', 'dana-native', 'dana-entra'].map((subject) =>
        directory.employeePerson(subject, 'dana@commonplace.example'),
      ),
    );
    const linked = answers.filter((a) => a.personId === created.body.id && !a.conflict);
    const refused = answers.filter((a) => a.conflict);
    expect(linked.length + refused.length).toBe(4);
    const winner = (await rt.table.get(keys.personLink(created.body.id)))?.subject;
    expect(['dana-native', 'dana-entra']).toContain(winner);
    // The same subject always gets the same answer; the loser is refused, with its reason.
    expect(refused.length).toBe(2);
    expect(refused[0].conflict).toMatch(/already signs in with another account/);
    const loser = winner === 'dana-native' ? 'dana-entra' : 'dana-native';
    expect(await rt.table.get(keys.signInLink(loser))).toBeUndefined();
  });
});

describe('never across organisations, never unverified', () => {
  it('a partner with the address of an imported employee signs in as their own partner profile', async () => {
    await importCsv(
      ['Work Email,First Name,Last Name,Department', 'pat@acme.example,Pat,Imported,Sales'].join('\n'),
    );
    const provisioned = provisionedUserId('pat@acme.example');
    const token = await signIn('pat', { provider: 'acme' });
    expect(decodeJwt(token).person_id).toBeUndefined();
    const me = await api(token, 'GET', '/me');
    expect(me.body.userId).not.toBe(provisioned);
    expect(me.body).toMatchObject({ kind: 'partner', org: 'acme' });
    expect(await rt.table.get(keys.personLink(provisioned))).toBeUndefined();
  });

  it('an employee whose address belongs to a partner profile stays their own person', async () => {
    const directory = new TableSignInDirectory(rt.table);
    // Pat's partner profile holding the address (as an import that found them would record it).
    const pat =
      (await rt.table.get(keys.handleClaim('pat-acme'))) ?? (await rt.table.get(keys.handleClaim('pat')));
    expect(pat?.userId).toEqual(expect.any(String));
    await rt.table.put({ ...keys.emailClaim('pat@acme.example'), type: 'emailClaim', userId: pat?.userId });
    const answer = await directory.employeePerson('employee-with-pats-address', 'pat@acme.example');
    expect(answer).toEqual({ personId: 'employee-with-pats-address', active: true });
  });

  it('an unverified address links nothing (the trigger on a Cognito event over the table)', async () => {
    await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'eve@commonplace.example',
      displayName: 'Eve',
    });
    const trigger = createPreTokenGenerationHandler({ directory: new TableSignInDirectory(rt.table) });
    const event = (verified: string, sub: string) =>
      ({
        version: '2',
        triggerSource: 'TokenGeneration_HostedAuth',
        userName: sub,
        request: {
          userAttributes: { sub, email: 'eve@commonplace.example', email_verified: verified, name: 'Eve' },
          groupConfiguration: { groupsToOverride: [] },
        },
        response: { claimsAndScopeOverrideDetails: {} },
      }) as unknown as PreTokenGenerationV2TriggerEvent;
    const claims = (e: PreTokenGenerationV2TriggerEvent) =>
      e.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride as Record<
        string,
        unknown
      >;
    expect(claims(await trigger(event('false', 'eve-unverified'))).person_id).toBeUndefined();
    expect(await rt.table.get(keys.signInLink('eve-unverified'))).toBeUndefined();
    expect(claims(await trigger(event('true', 'eve-verified'))).person_id).toBe(
      provisionedUserId('eve@commonplace.example'),
    );
  });

  it('a provisioned person deactivated before their first sign-in is refused, and nothing is linked', async () => {
    const created = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'finn@commonplace.example',
      displayName: 'Finn',
      active: false,
    });
    const trigger = createPreTokenGenerationHandler({ directory: new TableSignInDirectory(rt.table) });
    await expect(
      trigger({
        version: '2',
        userName: 'finn',
        request: {
          userAttributes: { sub: 'finn', email: 'finn@commonplace.example', email_verified: 'true' },
          groupConfiguration: { groupsToOverride: [] },
        },
        response: { claimsAndScopeOverrideDetails: {} },
      } as unknown as PreTokenGenerationV2TriggerEvent),
    ).rejects.toThrow(/deactivated/);
    expect(await rt.table.get(keys.personLink(created.body.id))).toBeUndefined();
  });

  it('someone who signed in before keeps their own profile', async () => {
    const admin = await rt.tokenFor('admin');
    expect((await api(admin, 'GET', '/me')).body.userId).toBe('admin');
    const answer = await new TableSignInDirectory(rt.table).employeePerson(
      'admin',
      'admin@commonplace.example',
    );
    expect(answer).toEqual({ personId: 'admin', active: true });
  });
});
