/**
 * A person's profile (and, for employees, their personal blog space) is created from the token's
 * claims the first time they call the API — by any module, so every module's Lambda has this, and
 * only this, of the profile code.
 */
import { TransactionFailed } from '../../data/errors';
import type { DomainContext } from '../context';
import { isPartner, type Principal } from '../principal';
import type { SpaceService } from '../spaces/space-service';
import { handleFromEmail, type Profile, profileItem } from './profile';

export class FirstSignIn {
  /** People already known to exist in this process: saves a write on every request. */
  private readonly known = new Set<string>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  /** Creates the caller's profile (and personal blog) on first sign-in; idempotent and race-safe. */
  async ensureProfile(principal: Principal): Promise<void> {
    if (this.known.has(principal.userId)) return;
    const now = this.ctx.clock.now().toISOString();
    const partner = isPartner(principal);
    const profile: Profile = {
      userId: principal.userId,
      name: principal.name,
      email: principal.email,
      handle: handleFromEmail(principal.email),
      ...(principal.org ? { org: principal.org } : {}),
      kind: partner ? 'partner' : 'employee',
      skills: [],
      createdAt: now,
      version: 1,
    };
    try {
      await this.ctx.table.transact([
        { Put: { Item: profileItem(profile), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...(partner ? [] : this.spaces.personalSpaceItems(profile, now)),
      ]);
    } catch (error) {
      if (!(error instanceof TransactionFailed)) throw error; // already there: nothing to do
    }
    if (this.known.size > 10_000) this.known.clear();
    this.known.add(principal.userId);
  }
}
