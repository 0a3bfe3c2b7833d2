// The local broker (Cognito's part, at /oidc) and the demo partners' own identity providers (/idp/<name>)
// in the real local runtime, driven through the real authorization-code + PKCE flow: employees at the
// broker, partners through their organisation's IdP and back, with the deployed pre-token trigger
// deciding over what the table holds about providers and organisations.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { TableSignInDirectory } from '../../functions/auth/sign-in-directory';
import { keys } from '../../functions/data/keys';
import { LOCAL_CLIENT_ID } from '../../local/identity/broker';
import { registerDemoOrganisations } from '../../local/identity/demo-organisations';
import { identityLinkKey } from '../../local/identity/identity-link';
import { authorize, exchangeCode, fetchToken, OAuthError } from '../../local/identity/token-client';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let redirectUri: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  await registerDemoOrganisations(rt.table);
  redirectUri = `${rt.url}/auth/callback`;
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const jwksUrl = () => `${rt.issuer}/jwks`;
function verify(token: string) {
  return jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl())), {
    issuer: rt.issuer,
    audience: LOCAL_CLIENT_ID,
    algorithms: ['RS256'],
  });
}
const tokens = (account: string, opts: { email?: string; provider?: string } = {}) =>
  fetchToken(rt.issuer, account, { redirectUri, ...opts });

/** Expects the sign-in to end with access_denied and a message matching `message`. */
async function expectRefused(
  account: string,
  message: RegExp,
  opts: { email?: string; provider?: string } = {},
) {
  const refusal = await tokens(account, opts).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(OAuthError);
  expect(refusal).toMatchObject({ code: 'access_denied', message: expect.stringMatching(message) });
}

describe('the broker', () => {
  it('publishes a discovery document for the code + PKCE flow under the mount path', async () => {
    const response = await fetch(`${rt.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: rt.issuer,
      jwks_uri: jwksUrl(),
      authorization_endpoint: `${rt.issuer}/auth`,
      token_endpoint: `${rt.issuer}/token`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
  });

  it('offers the employees, a button per partner provider read from the table, and a work e-mail field', async () => {
    const { url, cookie } = await startLogin();
    const html = await (await fetch(url, { headers: { cookie } })).text();
    expect(html).toContain('<html lang="en">');
    for (const id of ['alice', 'bob', 'admin']) expect(html).toContain(`name="account" value="${id}"`);
    for (const id of ['pat', 'gus']) expect(html).not.toContain(`name="account" value="${id}"`);
    expect(html).toContain('name="provider" value="acme">Sign in with Acme Supplies');
    expect(html).toContain('name="provider" value="globex">Sign in with Globex Partners');
    expect(html).toMatch(
      /<label for="work-email">Work e-mail<\/label>\s*<input id="work-email" type="email" name="email"/,
    );
  });

  it('issues Cognito-shaped RS256 tokens to an employee, with the claims the trigger added', async () => {
    const set = await tokens('alice');
    const { payload, protectedHeader } = await verify(set.accessToken);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      sub: 'alice',
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
      username: 'alice',
      email: 'alice@commonplace.example',
      name: 'Alice Andersen',
      groups: ['employee'],
    });
    expect(payload).not.toHaveProperty('org');
    expect(payload).not.toHaveProperty('cognito:groups');
    expect(payload.exp! - payload.iat!).toBe(3600);

    const id = await verify(set.idToken);
    expect(id.payload).toMatchObject({
      sub: 'alice',
      token_use: 'id',
      'cognito:username': 'alice',
      email: 'alice@commonplace.example',
      email_verified: true,
      groups: ['employee'],
    });
    expect(id.payload).not.toHaveProperty('identities');
  });

  it('gives admins the Cognito admin group and, through the trigger, both groups', async () => {
    const { payload } = await verify((await tokens('admin')).accessToken);
    expect(payload['cognito:groups']).toEqual(['admin']);
    expect(payload.groups).toEqual(['employee', 'admin']);
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const authorization = await authorize(rt.issuer, 'bob', { redirectUri });
    await expect(exchangeCode(authorization, 'x'.repeat(43))).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = new URL(`${rt.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: LOCAL_CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', url);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a redirect URI that is not registered', async () => {
    await expect(fetchToken(rt.issuer, 'alice', { redirectUri: `${rt.url}/elsewhere` })).rejects.toThrow(
      /redirect_uri/,
    );
  });

  it('refuses an unknown account with a clear error', async () => {
    await expect(tokens('mallory')).rejects.toThrow(
      /refused to sign in "mallory".*Unknown account.*Known accounts: alice, bob, admin, pat, gus/,
    );
  });

  it('signs with the key kept under the data folder (tokens outlive a restart)', async () => {
    const key = JSON.parse(fs.readFileSync(path.join(rt.dataDir, 'identity', 'signing-key.json'), 'utf8'));
    expect(decodeProtectedHeader((await tokens('gus')).accessToken).kid).toBe(key.kid);
  });
});

describe("the trigger's table reads", () => {
  it('are two round trips for a partner sign-in (IDP item, then ORG + profile), whatever the data size', async () => {
    const directory = new TableSignInDirectory(rt.table);
    const before = rt.table.roundTrips;
    expect(await directory.partnerFacts('acme', 'pat')).toMatchObject({
      orgId: 'acme',
      organisation: { id: 'acme', name: 'Acme Supplies', emailDomains: ['acme.example'], status: 'active' },
    });
    expect(rt.table.roundTrips - before).toBe(2);
    const unknown = rt.table.roundTrips;
    expect(await directory.partnerFacts('nobody', 'pat')).toEqual({});
    expect(rt.table.roundTrips - unknown).toBe(1);
  });
});

describe('partners through their own identity provider', () => {
  it("signs pat in through Acme's IdP by work e-mail: a partner of acme, linked to the known user id", async () => {
    const set = await tokens('pat');
    const { payload } = await verify(set.accessToken);
    expect(payload).toMatchObject({
      sub: 'pat',
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
      username: 'acme_pat',
      'cognito:groups': ['local_commonplace_acme'],
      email: 'pat@acme.example',
      groups: ['partner'],
      org: 'acme',
    });
    const id = await verify(set.idToken);
    expect(id.payload).toMatchObject({
      sub: 'pat',
      groups: ['partner'],
      org: 'acme',
      'cognito:username': 'acme_pat',
    });
    expect(id.payload.identities).toEqual([
      expect.objectContaining({ providerName: 'acme', providerType: 'OIDC', userId: 'pat', primary: 'true' }),
    ]);
  });

  it('signs gus in through Globex by its button, and the API takes the token', async () => {
    const { payload } = await verify((await tokens('gus', { provider: 'globex' })).accessToken);
    expect(payload).toMatchObject({ sub: 'gus', groups: ['partner'], org: 'globex', username: 'globex_gus' });
    expect((await rt.api('gus', 'GET', '/me')).body).toMatchObject({ userId: 'gus' });
  });

  it('skips the broker page when the client names the provider (identity_provider), as Cognito does', async () => {
    const { url, cookie } = await startLogin({ identity_provider: 'acme' });
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain(`${rt.url}/idp/acme/auth?`);
  });

  it('links a new federated subject to a new user id on first sign-in, and to the same one after', async () => {
    // Oscar's address is outside Acme's domain: refused, but the link to his subject exists (Cognito
    // too creates the federated user before the trigger runs).
    await expectRefused('oscar', /oscar@elsewhere\.example is not in a domain of partner organisation acme/, {
      provider: 'acme',
    });
    const link = await rt.table.get(identityLinkKey('acme', 'oscar'));
    expect(link?.userId).toMatch(/^[0-9a-z]{26}$/);
    await expectRefused('oscar', /not in a domain/, { provider: 'acme' });
    expect((await rt.table.get(identityLinkKey('acme', 'oscar')))?.userId).toBe(link?.userId);
  });

  it('refuses an address the IdP did not verify', async () => {
    await expectRefused('una', /did not verify the e-mail una@acme\.example/, { provider: 'acme' });
  });

  it('refuses an e-mail domain no organisation claims, at the broker', async () => {
    await expect(tokens('pat', { email: 'pat@nowhere.example' })).rejects.toThrow(
      /No partner organisation signs in with nowhere\.example addresses/,
    );
  });

  it('refuses while the organisation is suspended or past its end date, and a user past their own', async () => {
    const org = keys.organisation('globex');
    await rt.table.update({
      Key: org,
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'suspended' },
    });
    await expectRefused('gus', /Access for Globex Partners is suspended/);
    await rt.table.update({
      Key: org,
      UpdateExpression: 'SET #s = :s, accessEndsAt = :e',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'active', ':e': '2020-01-31T00:00:00Z' },
    });
    await expectRefused('gus', /Access for Globex Partners ended on 2020-01-31\./);
    await rt.table.update({ Key: org, UpdateExpression: 'REMOVE accessEndsAt' });
    await rt.api('gus', 'GET', '/me'); // the profile exists
    await rt.table.update({
      Key: keys.profile('gus'),
      UpdateExpression: 'SET accessEndsAt = :e',
      ExpressionAttributeValues: { ':e': '2021-06-30T00:00:00Z' },
    });
    await expectRefused('gus', /Your access ended on 2021-06-30\./);
    await rt.table.update({ Key: keys.profile('gus'), UpdateExpression: 'REMOVE accessEndsAt' });
    expect((await verify((await tokens('gus')).accessToken)).payload.org).toBe('globex');
  });

  it('refuses a provider that was removed (its IDP item gone) as unknown', async () => {
    const idp = await rt.table.get(keys.organisationProvider('globex'));
    await rt.table.delete(keys.organisationProvider('globex'));
    try {
      await expect(tokens('gus', { provider: 'globex' })).rejects.toThrow(
        /Unknown identity provider "globex"/,
      );
    } finally {
      await rt.table.put(idp!);
    }
  });

  it('signs in the user of an organisation added at run time, with no restart', async () => {
    await expect(tokens('ian')).rejects.toThrow(/No partner organisation signs in with initech\.example/);
    // What the partner-organisation service writes when an admin adds Initech in the app.
    await rt.table.put({
      ...keys.organisation('initech'),
      type: 'organisation',
      id: 'initech',
      name: 'Initech',
      createdAt: new Date().toISOString(),
      GSI1PK: keys.organisationsIndex,
      GSI1SK: 'initech#initech',
      emailDomains: ['initech.example'],
      provider: {
        name: 'initech',
        kind: 'oidc',
        issuer: 'http://localhost:3000/idp/initech',
        clientId: 'commonplace-broker',
        clientSecret: 'local-demo-secret',
      },
    });
    await rt.table.put({ ...keys.organisationDomain('initech.example'), orgId: 'initech' });
    await rt.table.put({ ...keys.organisationProvider('initech'), orgId: 'initech' });
    const { payload } = await verify((await tokens('ian')).accessToken);
    expect(payload).toMatchObject({ groups: ['partner'], org: 'initech', email: 'ian@initech.example' });
  });

  it('says plainly that a SAML provider cannot run locally', async () => {
    await rt.table.put({
      ...keys.organisation('umbrella'),
      type: 'organisation',
      id: 'umbrella',
      name: 'Umbrella',
      GSI1PK: keys.organisationsIndex,
      GSI1SK: 'umbrella#umbrella',
      emailDomains: ['umbrella.example'],
      provider: { name: 'umbrella', kind: 'saml', metadataUrl: 'https://idp.umbrella.example/metadata' },
    });
    await rt.table.put({ ...keys.organisationProvider('umbrella'), orgId: 'umbrella' });
    await expect(tokens('pat', { provider: 'umbrella' })).rejects.toThrow(/Umbrella signs in with SAML/);
  });
});

/** Starts an authorization request by hand and returns the broker's page URL with its cookies. */
async function startLogin(extra: Record<string, string> = {}): Promise<{ url: URL; cookie: string }> {
  const url = new URL(`${rt.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { url: new URL(response.headers.get('location') ?? '', url), cookie };
}
