/**
 * Verified token claims → the domain's Principal. Used on both sides of the token check: by the jose
 * verifier of the local runtime (auth.ts) and by the Lambdas, which take the claims the HTTP API's JWT
 * authorizer has already verified (docs/permissions.md says which layer checks what).
 */
import { Unauthenticated } from '../domain/errors';
import type { Group, Principal } from '../domain/principal';

const GROUPS: readonly Group[] = ['employee', 'partner', 'admin'];

export function principalFromClaims(claims: Record<string, unknown>): Principal {
  // The JWT authorizer accepts a Cognito ID token of the same client too (its `aud` is the client id);
  // only access tokens carry the claims the trigger decided, and only they can be revoked.
  if (claims.token_use !== 'access') throw new Unauthenticated('Only access tokens are accepted');
  const { sub, email, name } = claims as { sub?: string; email?: string; name?: string };
  if (!sub || !/^[A-Za-z0-9._~-]{1,64}$/.test(sub))
    throw new Unauthenticated('The token has no usable subject');
  // A sign-in linked to a person an import or SCIM provisioned acts as that person (the trigger says so).
  const person = claims.person_id; // PERSON_CLAIM of functions/auth/token-claims.ts
  if (person !== undefined && (typeof person !== 'string' || !/^[A-Za-z0-9._~-]{1,64}$/.test(person)))
    throw new Unauthenticated('The token names no usable person');
  const groups = claimList(claims.groups).filter((g): g is Group => GROUPS.includes(g as Group));
  const org = typeof claims.org === 'string' && claims.org ? claims.org : undefined;
  if (groups.length === 0) throw new Unauthenticated('The token carries no Commonplace group');
  return {
    userId: person ?? sub,
    email: typeof email === 'string' ? email : '',
    name: typeof name === 'string' && name ? name : typeof email === 'string' ? email : sub,
    groups: org && !groups.includes('partner') ? [...groups, 'partner'] : groups,
    ...(org ? { org } : {}),
  };
}

/**
 * A list claim as a list. A JWT carries an array; API Gateway's JWT authorizer hands array claims to
 * the Lambda flattened into one string, `[employee admin]`, so that form is read too.
 */
function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  const inner = /^\[(.*)\]$/s.exec(value.trim());
  return (inner ? inner[1] : value).split(/[\s,]+/).filter(Boolean);
}
