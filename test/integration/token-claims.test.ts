// A token must say when it expires and when it was issued (issue 10 item 9): one signed with the real
// key but without `exp` (valid forever) or without `iat` is refused like any other bad token.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader, importJWK, type JWTPayload, SignJWT } from 'jose';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let claims: JWTPayload;
let sign: (payload: JWTPayload) => Promise<string>;

beforeAll(async () => {
  rt = await startTestRuntime();
  const real = await rt.tokenFor('alice');
  claims = decodeJwt(real);
  const { kid } = decodeProtectedHeader(real);
  const jwk = JSON.parse(fs.readFileSync(path.join(rt.dataDir, 'identity', 'signing-key.json'), 'utf8'));
  const key = await importJWK(jwk, 'RS256');
  sign = (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).sign(key);
  // A partner's organisation must exist: every partner request checks it.
  expect((await rt.api('admin', 'POST', '/orgs', { id: 'acme', name: 'Acme Supplies' })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('tokens signed with the real key', () => {
  it('are accepted with exp and iat (the forgery itself is sound)', async () => {
    const response = await rt.api(await sign(claims), 'GET', '/me');
    expect(response.status).toBe(200);
  });

  it.each(['exp', 'iat'])('are refused without %s', async (claim) => {
    const { [claim]: _dropped, ...rest } = claims;
    const response = await rt.api(await sign(rest), 'GET', '/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(/rejected/);
  });
});

describe('only access tokens', () => {
  it('carry token_use "access", as Cognito access tokens do', () => {
    expect(claims.token_use).toBe('access');
  });

  it.each([
    ['an ID token', 'id'],
    ['no token_use', undefined],
  ])('are accepted: %s is refused', async (_what, tokenUse) => {
    const { token_use: _dropped, ...rest } = claims;
    const response = await rt.api(
      await sign(tokenUse ? { ...rest, token_use: tokenUse } : rest),
      'GET',
      '/me',
    );
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/access tokens/);
  });
});

describe('@handles', () => {
  const person = (sub: string, email: string, extra: Record<string, unknown> = {}) =>
    sign({ ...claims, sub, email, name: sub, groups: ['employee'], ...extra });

  it("are unique across everyone: a partner's ceo@ does not take or share an employee's @ceo", async () => {
    const employee = await rt.api(await person('hc-emp', 'ceo@commonplace.example'), 'GET', '/me');
    const partner = await rt.api(
      await person('hc-partner', 'ceo@acme.example', { groups: ['partner'], org: 'acme' }),
      'GET',
      '/me',
    );
    expect(employee.body.handle).toBe('ceo');
    expect(partner.body.handle).toBe('ceo-acme');
    const byHandle = await rt.api('alice', 'GET', '/people/ceo');
    expect(byHandle.body.userId).toBe('hc-emp');
  });

  it('stay unique when several people with the same local part sign in at once', async () => {
    const tokens = await Promise.all(
      ['a', 'b', 'c', 'd'].map((n) => person(`hc-same-${n}`, `sam@${n}.commonplace.example`)),
    );
    const handles = (await Promise.all(tokens.map((t) => rt.api(t, 'GET', '/me')))).map((r) => r.body.handle);
    expect(new Set(handles).size).toBe(4);
    expect(handles).toContain('sam');
  });
});
