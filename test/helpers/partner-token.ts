/**
 * An access token for a partner user of any organisation, as the local provider would issue it
 * (same key, kid, issuer, audience and claims shape): for organisations added at run time, whose
 * users sign in through a provider the test does not run (the federated sign-in is the broker's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import type { TestRuntime } from './runtime';

let seq = 0;

export async function partnerToken(
  rt: TestRuntime,
  user: { sub: string; email: string; org: string; name?: string },
): Promise<string> {
  const jwk = JSON.parse(fs.readFileSync(path.join(rt.dataDir, 'identity', 'signing-key.json'), 'utf8'));
  const key = await importJWK(jwk, 'RS256');
  const template = decodeJwt(await rt.tokenFor('pat'));
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ...template,
    jti: `partner-${process.pid}-${++seq}`,
    iat: now,
    exp: now + 3600,
    sub: user.sub,
    email: user.email,
    name: user.name ?? user.sub,
    org: user.org,
    groups: ['partner'],
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid })
    .sign(key);
}
