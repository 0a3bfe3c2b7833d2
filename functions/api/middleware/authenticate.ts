/**
 * Requires a caller on every /api route except health and the OpenAPI document, turns what proves it
 * into the principal, and makes sure the caller's profile exists (first sign-in). What proves it
 * depends on the layer (docs/permissions.md): in AWS the HTTP API's JWT authorizer has verified the
 * token and hands its claims over in the event; locally the bearer token is verified here, with jose.
 */
import type { MiddlewareHandler } from 'hono';
import { Unauthenticated } from '../../domain/errors';
import type { Principal, TokenVerifier } from '../../domain/principal';
import type { Services } from '../../domain/services';
import type { AppEnv } from '../env';
import { principalFromClaims } from '../principal-from-claims';

/** What a request offers as proof of who sent it. */
export interface RequestCredentials {
  authorization: string | undefined;
  /** The `requestContext.authorizer.jwt.claims` of an API Gateway (HTTP API, payload 2.0) event. */
  authorizerClaims: Record<string, unknown> | undefined;
}

export type Authenticator = (credentials: RequestCredentials) => Promise<Principal>;

/** Public: health, the API description, and unsubscribe links (signed; checked by the route). */
export const PUBLIC_PATHS = new Set(['/api/health', '/api/openapi.json', '/api/unsubscribe']);

export function authenticate(authenticator: Authenticator, services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const event = (c.env as { event?: AuthorizedEvent } | undefined)?.event;
    const principal = await authenticator({
      authorization: c.req.header('authorization'),
      authorizerClaims: event?.requestContext?.authorizer?.jwt?.claims,
    });
    // A partner's organisation and own end date are checked on every request (one BatchGetItem), so
    // a suspension takes effect at once rather than at token expiry; that read also finds the profile.
    if (principal.org) await services.partnerAccess.check({ ...principal, org: principal.org });
    else await services.signIn.ensureProfile(principal);
    c.set('principal', principal);
    await next();
  };
}

/** Locally: a `Bearer` token, verified by `verify` (signature, issuer, audience, expiry). */
export function bearerTokenAuthenticator(verify: TokenVerifier): Authenticator {
  return async ({ authorization }) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec((authorization ?? '').trim());
    if (!match) throw new Unauthenticated();
    return verify(match[1]);
  };
}

/**
 * In AWS: the claims API Gateway's JWT authorizer verified. Only that API may invoke the module
 * Lambdas (their resource policies, asserted in test/infrastructure/stack.test.ts), and every non-public
 * route has the authorizer, so claims in the event are claims of a valid token. No claims, no entry.
 */
export const httpApiClaimsAuthenticator: Authenticator = async ({ authorizerClaims }) => {
  if (!authorizerClaims) throw new Unauthenticated();
  return principalFromClaims(authorizerClaims);
};

interface AuthorizedEvent {
  requestContext?: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
}
