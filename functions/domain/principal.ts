/**
 * Who is calling: built from a verified token by the API, passed to every domain call. The domain
 * decides everything from this value; it never reads tokens or headers itself.
 */
export type Group = 'employee' | 'partner' | 'admin';

export interface Principal {
  userId: string;
  name: string;
  email: string;
  groups: readonly Group[];
  /** The partner organisation of a partner user; absent for employees. */
  org?: string;
}

export const isPartner = (p: Principal) => p.groups.includes('partner') || p.org !== undefined;
/** Partner membership wins: a token that claims both is treated as a partner (default deny). */
export const isEmployee = (p: Principal) => p.groups.includes('employee') && !isPartner(p);
export const isAdmin = (p: Principal) => p.groups.includes('admin') && isEmployee(p);

/** Turns a bearer token into the caller, or throws Unauthenticated (the local runtime's check). */
export type TokenVerifier = (token: string) => Promise<Principal>;
