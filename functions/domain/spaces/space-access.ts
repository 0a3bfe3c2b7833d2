/**
 * Who may do what in a space. Pure functions, default deny, used on every read, list and write.
 *
 * - Partners are bounded by the space, not by membership: a partner reads a space only while its
 *   audience is 'partners' and it is shared with the partner's organisation. Unsharing cuts access
 *   at once, whatever roles remain.
 * - Employees read spaces whose audience is 'employees', and any space they are a member of.
 * - Admins read and moderate everything; owners manage their space.
 */
import { isAdmin, isEmployee, isPartner, type Principal } from '../principal';

export type Audience = 'employees' | 'members' | 'partners';
export type Role = 'owner' | 'editor' | 'reader';

export interface SpaceAccess {
  audience: Audience;
  partnerOrgs: readonly string[];
  /** Set on a person's own blog space. */
  personalOf?: string;
}

export interface Membership {
  role: Role;
}

export function canRead(principal: Principal, space: SpaceAccess, membership?: Membership): boolean {
  if (isPartner(principal)) {
    return space.audience === 'partners' && !!principal.org && space.partnerOrgs.includes(principal.org);
  }
  if (!isEmployee(principal)) return false;
  if (isAdmin(principal)) return true;
  return space.audience === 'employees' || !!membership;
}

/** Writing posts: editors and owners who can read the space; admins anywhere. */
export function canContribute(principal: Principal, space: SpaceAccess, membership?: Membership): boolean {
  if (!canRead(principal, space, membership)) return false;
  if (isAdmin(principal)) return true;
  return membership?.role === 'owner' || membership?.role === 'editor';
}

/** Commenting and liking: anyone who can read. */
export function canParticipate(principal: Principal, space: SpaceAccess, membership?: Membership): boolean {
  return canRead(principal, space, membership);
}

/** Settings, members, sharing and moderation: owners (never partners) and admins. */
export function canManage(principal: Principal, space: SpaceAccess, membership?: Membership): boolean {
  if (!canRead(principal, space, membership)) return false;
  if (isAdmin(principal)) return true;
  return isEmployee(principal) && membership?.role === 'owner';
}

/** Joining is self-service where the audience already lets the person read; members-only spaces are by invitation. */
export function canJoin(principal: Principal, space: SpaceAccess, membership?: Membership): boolean {
  if (membership || space.personalOf) return false;
  if (isPartner(principal)) return canRead(principal, space);
  return isEmployee(principal) && space.audience === 'employees';
}

/** Whether a person could be added as a member by a manager (partners only from a sharing organisation). */
export function canBeMember(candidate: { org?: string }, space: SpaceAccess): boolean {
  if (space.personalOf) return false;
  if (candidate.org) return space.audience === 'partners' && space.partnerOrgs.includes(candidate.org);
  return true;
}

/** Partners see employees and people of their own organisation, never another organisation's. */
export function canSeePerson(principal: Principal, person: { org?: string }): boolean {
  if (isPartner(principal)) return !person.org || person.org === principal.org;
  return isEmployee(principal);
}

/**
 * An author as the caller may see them: another partner organisation's people become an anonymous
 * "External user" (posts, comments and search hits alike).
 */
export function visibleAuthor<T extends { authorId?: string; authorName?: string; authorOrg?: string }>(
  principal: Principal,
  thing: T,
): T {
  if (canSeePerson(principal, { org: thing.authorOrg })) return thing;
  return { ...thing, authorId: 'hidden', authorName: 'External user', authorOrg: undefined };
}
