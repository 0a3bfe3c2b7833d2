/**
 * Bearer-token verification: the token must be a JWT signed by the configured issuer's key (JWKS),
 * unexpired, for our client (`aud`, or Cognito's `client_id` on access tokens). The claims become the
 * domain's Principal; anything doubtful is a 401.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { Unauthenticated } from '../domain/errors';
import type { Group, Principal } from '../domain/principal';

export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const GROUPS: readonly Group[] = ['employee', 'partner', 'admin'];

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000 });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: config.issuer,
        algorithms: ['RS256'],
        clockTolerance: 5,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw new Unauthenticated(
        `The bearer token was rejected (${(error as { code?: string }).code ?? 'invalid'})`,
      );
    }
    const audiences = [payload.aud, payload.client_id].flat().filter(Boolean);
    if (!audiences.includes(config.audience))
      throw new Unauthenticated('The bearer token is not meant for this API');
    return principalFromClaims(payload);
  };
}

export function principalFromClaims(claims: JWTPayload): Principal {
  const { sub, email, name } = claims as { sub?: string; email?: string; name?: string };
  if (!sub || !/^[A-Za-z0-9._~-]{1,64}$/.test(sub))
    throw new Unauthenticated('The token has no usable subject');
  const groups = (Array.isArray(claims.groups) ? claims.groups : []).filter((g): g is Group =>
    GROUPS.includes(g as Group),
  );
  const org = typeof claims.org === 'string' && claims.org ? claims.org : undefined;
  if (groups.length === 0) throw new Unauthenticated('The token carries no Commonplace group');
  return {
    userId: sub,
    email: typeof email === 'string' ? email : '',
    name: typeof name === 'string' && name ? name : typeof email === 'string' ? email : sub,
    groups: org && !groups.includes('partner') ? [...groups, 'partner'] : groups,
    ...(org ? { org } : {}),
  };
}
