/** The pure permission rules of spaces, every audience × every kind of caller. */
import { describe, expect, it } from '@jest/globals';
import type { Principal } from '../../../../functions/domain/principal';
import {
  canBeMember,
  canContribute,
  canJoin,
  canManage,
  canRead,
  canSeePerson,
  type SpaceAccess,
} from '../../../../functions/domain/spaces/space-access';

const employee: Principal = { userId: 'bob', name: 'Bob', email: 'b@x', groups: ['employee'] };
const admin: Principal = { userId: 'ada', name: 'Ada', email: 'a@x', groups: ['employee', 'admin'] };
const acme: Principal = { userId: 'pat', name: 'Pat', email: 'p@acme', groups: ['partner'], org: 'acme' };
const globex: Principal = {
  userId: 'gus',
  name: 'Gus',
  email: 'g@globex',
  groups: ['partner'],
  org: 'globex',
};
const partnerClaimingAdmin: Principal = {
  userId: 'eve',
  name: 'Eve',
  email: 'e@acme',
  groups: ['partner', 'admin', 'employee'],
  org: 'acme',
};
const noGroups: Principal = { userId: 'x', name: 'X', email: 'x@x', groups: [] };

const open: SpaceAccess = { audience: 'employees', partnerOrgs: [] };
const closed: SpaceAccess = { audience: 'members', partnerOrgs: [] };
const shared: SpaceAccess = { audience: 'partners', partnerOrgs: ['acme'] };
const personal: SpaceAccess = { audience: 'employees', partnerOrgs: [], personalOf: 'alice' };

describe('canRead', () => {
  it.each([
    ['employee, open space', employee, open, undefined, true],
    ['employee, members-only, not a member', employee, closed, undefined, false],
    ['employee, members-only, member', employee, closed, { role: 'reader' as const }, true],
    ['employee, shared space, not a member', employee, shared, undefined, false],
    ['admin anywhere', admin, closed, undefined, true],
    ['partner of the sharing org', acme, shared, undefined, true],
    ['partner of another org', globex, shared, undefined, false],
    ['partner, open employee space', acme, open, undefined, false],
    ['partner member of an unshared space', acme, closed, { role: 'editor' as const }, false],
    ['partner who claims admin', partnerClaimingAdmin, closed, undefined, false],
    ['token without groups', noGroups, open, undefined, false],
  ])('%s → %s', (_label, principal, space, membership, expected) => {
    expect(canRead(principal, space, membership)).toBe(expected);
  });
});

describe('writing, managing, joining', () => {
  it('lets editors and owners write, not readers or non-members', () => {
    expect(canContribute(employee, open, { role: 'editor' })).toBe(true);
    expect(canContribute(employee, open, { role: 'reader' })).toBe(false);
    expect(canContribute(employee, open, undefined)).toBe(false);
    expect(canContribute(admin, closed, undefined)).toBe(true);
    expect(canContribute(acme, shared, { role: 'editor' })).toBe(true);
    expect(canContribute(globex, shared, { role: 'editor' })).toBe(false);
  });

  it('lets owners and admins manage, never partners', () => {
    expect(canManage(employee, closed, { role: 'owner' })).toBe(true);
    expect(canManage(employee, closed, { role: 'editor' })).toBe(false);
    expect(canManage(admin, shared, undefined)).toBe(true);
    expect(canManage(acme, shared, { role: 'owner' })).toBe(false);
  });

  it('allows joining only where the audience already allows reading', () => {
    expect(canJoin(employee, open)).toBe(true);
    expect(canJoin(employee, closed)).toBe(false);
    expect(canJoin(employee, open, { role: 'reader' })).toBe(false);
    expect(canJoin(employee, personal)).toBe(false);
    expect(canJoin(acme, shared)).toBe(true);
    expect(canJoin(globex, shared)).toBe(false);
    expect(canJoin(acme, open)).toBe(false);
  });

  it('admits partners as members only from a sharing organisation', () => {
    expect(canBeMember({ org: 'acme' }, shared)).toBe(true);
    expect(canBeMember({ org: 'globex' }, shared)).toBe(false);
    expect(canBeMember({ org: 'acme' }, closed)).toBe(false);
    expect(canBeMember({}, closed)).toBe(true);
    expect(canBeMember({}, personal)).toBe(false);
  });
});

describe('canSeePerson', () => {
  it('hides other partner organisations from partners', () => {
    expect(canSeePerson(acme, {})).toBe(true);
    expect(canSeePerson(acme, { org: 'acme' })).toBe(true);
    expect(canSeePerson(acme, { org: 'globex' })).toBe(false);
    expect(canSeePerson(employee, { org: 'globex' })).toBe(true);
    expect(canSeePerson(noGroups, {})).toBe(false);
  });
});
