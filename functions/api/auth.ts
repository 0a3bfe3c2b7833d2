/**
 * Bearer-token verification for the local runtime (in AWS the HTTP API's JWT authorizer does this): the token must be a JWT signed by the configured issuer's key (JWKS),
 * unexpired, for our client (`aud`, or Cognito's `client_id` on access tokens). The claims become the
 * domain's Principal; anything doubtful is a 401.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { Unauthenticated } from '../domain/errors';
import type { TokenVerifier } from '../domain/principal';
import { principalFromClaims } from './principal-from-claims';

export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

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
