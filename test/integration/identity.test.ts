// The local identity provider, mounted under /oidc the way the local server mounts it, driven through
// the real authorization-code + PKCE flow.

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  createIdentityProvider,
  type IdentityProvider,
  LOCAL_CLIENT_ID,
} from '../../local/identity/provider';
import { authorize, exchangeCode, fetchToken } from '../../local/identity/token-client';

let dataDir: string;
let server: http.Server;
let origin: string;
let idp: IdentityProvider;
let redirectUris: string[];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-identity-'));
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/oidc')) idp.callback(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUris = [`${origin}/auth/callback`, 'http://127.0.0.1:49152/callback'];
  idp = await createIdentityProvider({ issuer: `${origin}/oidc`, dataDir, redirectUris });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function verify(token: string) {
  return jwtVerify(token, createRemoteJWKSet(new URL(idp.jwksUrl)), {
    issuer: idp.issuer,
    audience: idp.audience,
    algorithms: ['RS256'],
  });
}

describe('local identity provider', () => {
  it('publishes a discovery document for the code + PKCE flow under the mount path', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: `${origin}/oidc`,
      jwks_uri: idp.jwksUrl,
      authorization_endpoint: `${origin}/oidc/auth`,
      token_endpoint: `${origin}/oidc/token`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.id_token_signing_alg_values_supported).toContain('RS256');
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(idp.audience).toBe(LOCAL_CLIENT_ID);
  });

  it('serves an accessible login page listing the demo accounts', async () => {
    const { url, cookie } = await startLogin();
    const response = await fetch(url, { headers: { cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<legend>Demo accounts</legend>');
    for (const id of ['alice', 'bob', 'admin', 'pat', 'gus'])
      expect(html).toContain(`name="account" value="${id}"`);
  });

  it('issues RS256 JWT access and ID tokens carrying who the employee is', async () => {
    const tokens = await fetchToken(idp.issuer, 'alice', { redirectUri: redirectUris[0] });

    const { payload, protectedHeader } = await verify(tokens.accessToken);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      sub: 'alice',
      email: 'alice@commonplace.example',
      name: 'Alice Andersen',
      groups: ['employee'],
      client_id: LOCAL_CLIENT_ID,
    });
    expect(payload).not.toHaveProperty('org');
    expect(payload.exp! - payload.iat!).toBe(3600);

    const id = await verify(tokens.idToken);
    expect(id.payload).toMatchObject({
      sub: 'alice',
      email: 'alice@commonplace.example',
      name: 'Alice Andersen',
      groups: ['employee'],
    });
    expect(id.payload).not.toHaveProperty('org');
  });

  it('puts the partner organisation into partner tokens', async () => {
    const tokens = await fetchToken(idp.issuer, 'pat', { redirectUri: redirectUris[1] });
    for (const token of [tokens.accessToken, tokens.idToken]) {
      const { payload } = await verify(token);
      expect(payload).toMatchObject({
        sub: 'pat',
        email: 'pat@acme.example',
        groups: ['partner'],
        org: 'acme',
      });
    }
  });

  it('gives admins both groups', async () => {
    const { payload } = await verify(
      (await fetchToken(idp.issuer, 'admin', { redirectUri: redirectUris[0] })).accessToken,
    );
    expect(payload.groups).toEqual(['employee', 'admin']);
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const authorization = await authorize(idp.issuer, 'bob', { redirectUri: redirectUris[0] });
    await expect(exchangeCode(authorization, 'x'.repeat(43))).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = new URL(`${idp.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: LOCAL_CLIENT_ID,
      redirect_uri: redirectUris[0],
      response_type: 'code',
      scope: 'openid',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', url);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a redirect URI that is not registered', async () => {
    await expect(fetchToken(idp.issuer, 'alice', { redirectUri: `${origin}/elsewhere` })).rejects.toThrow(
      /redirect_uri/,
    );
  });

  it('refuses an unknown account with a clear error', async () => {
    await expect(fetchToken(idp.issuer, 'mallory', { redirectUri: redirectUris[0] })).rejects.toThrow(
      /refused to sign in "mallory".*Unknown account.*Known accounts: alice, bob, admin, pat, gus/,
    );
  });

  it('keeps its signing key across a restart', async () => {
    const before = await fetchToken(idp.issuer, 'gus', { redirectUri: redirectUris[0] });
    expect(fs.existsSync(path.join(dataDir, 'identity', 'signing-key.json'))).toBe(true);

    idp = await createIdentityProvider({ issuer: `${origin}/oidc`, dataDir, redirectUris });

    const { payload } = await verify(before.accessToken);
    expect(payload).toMatchObject({ sub: 'gus', org: 'globex' });
    const after = await fetchToken(idp.issuer, 'gus', { redirectUri: redirectUris[0] });
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(decodeProtectedHeader(before.accessToken).kid);
  });
});

/** Starts an authorization request by hand and returns the login page URL with its cookies. */
async function startLogin(): Promise<{ url: URL; cookie: string }> {
  const url = new URL(`${idp.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: redirectUris[0],
    response_type: 'code',
    scope: 'openid email profile',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { url: new URL(response.headers.get('location') ?? '', url), cookie };
}
