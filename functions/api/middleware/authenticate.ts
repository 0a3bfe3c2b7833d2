/**
 * Requires a valid bearer token on every /api route except health and the OpenAPI document, turns it
 * into the principal, and makes sure the caller's profile exists (first sign-in).
 */
import type { MiddlewareHandler } from 'hono';
import { Unauthenticated } from '../../domain/errors';
import type { Services } from '../../domain/services';
import type { TokenVerifier } from '../auth';
import type { AppEnv } from '../env';

const PUBLIC_PATHS = new Set(['/api/health', '/api/openapi.json']);

export function authenticate(verifyToken: TokenVerifier, services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
    if (!match) {
      c.header('www-authenticate', 'Bearer');
      throw new Unauthenticated();
    }
    const principal = await verifyToken(match[1]);
    await services.profiles.ensureProfile(principal);
    c.set('principal', principal);
    await next();
  };
}
