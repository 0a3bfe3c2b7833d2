/**
 * A person's profile (and, for employees, their personal blog space) is created from the token's
 * claims the first time they call the API — by any module, so every module's Lambda has this, and
 * only this, of the profile code.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { directoryWrites } from '../people/directory-entry';
import { isPartner, type Principal } from '../principal';
import type { SpaceService } from '../spaces/space-service';
import { handleClaimItem, handleFromEmail, type Profile, profileItem } from './profile';

export class FirstSignIn {
  /** People already known to exist in this process: saves a write on every request. */
  private readonly known = new Set<string>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  /**
   * Creates the caller's profile (and personal blog) on first sign-in; idempotent and race-safe. The
   * @handle is claimed in the same transaction, so no two people ever share one (a mention reaches
   * exactly one person): when the e-mail's local part is taken, the next candidate is tried.
   */
  async ensureProfile(principal: Principal): Promise<void> {
    if (this.known.has(principal.userId)) return;
    const now = this.ctx.clock.now().toISOString();
    const partner = isPartner(principal);
    for (const handle of handleCandidates(principal)) {
      const profile: Profile = {
        userId: principal.userId,
        name: principal.name,
        email: principal.email,
        handle,
        ...(principal.org ? { org: principal.org } : {}),
        kind: partner ? 'partner' : 'employee',
        skills: [],
        createdAt: now,
        version: 1,
      };
      const space = partner ? [] : this.spaces.personalSpaceItems(profile, now);
      try {
        await this.ctx.table.transact([
          { Put: { Item: profileItem(profile), ConditionExpression: 'attribute_not_exists(PK)' } },
          {
            Put: {
              Item: handleClaimItem(handle, profile.userId),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...space,
          // The directory's rows (name, @handle): put with the profile, so the two never disagree.
          ...directoryWrites(undefined, profile),
        ]);
      } catch (error) {
        if (!(error instanceof TransactionFailed)) throw error;
        // The handle is someone else's (and the profile is not there yet): try the next one.
        if (error.failedAt(1) && !error.failedAt(0)) continue;
        // Otherwise the profile is already there. An employee an import or SCIM made has no blog yet
        // at their first sign-in (the space's own put did not fail): it is made now, on its own.
        if (error.failedAt(0) && space.length > 0 && !error.failedAt(2))
          await this.personalSpace(principal, now);
      }
      if (this.known.size > 10_000) this.known.clear();
      this.known.add(principal.userId);
      return;
    }
    throw new Error(`No free @handle for ${principal.userId}`);
  }

  private async personalSpace(principal: Principal, now: string): Promise<void> {
    const profile = await this.ctx.table.get(keys.profile(principal.userId));
    const owner = { userId: principal.userId, name: String(profile?.name ?? principal.name) };
    try {
      await this.ctx.table.transact(this.spaces.personalSpaceItems(owner, now));
    } catch (error) {
      // Two first requests at once: the other made it.
      if (!(error instanceof TransactionFailed)) throw error;
    }
  }
}

/**
 * Handles to try, in order: the e-mail's local part; for a partner, that with the organisation
 * (`ceo-acme`, not an employee's `@ceo`); then numbered; last, one made from the unique user id.
 */
export function handleCandidates(principal: Pick<Principal, 'email' | 'org' | 'userId'>): string[] {
  const base = handleFromEmail(principal.email);
  const fromId = principal.userId
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '')
    .slice(0, 24);
  return [
    base,
    ...(principal.org ? [`${base}-${principal.org}`] : []),
    ...[2, 3, 4, 5].map((n) => `${base}${n}`),
    `${base}-${fromId}`,
  ];
}
