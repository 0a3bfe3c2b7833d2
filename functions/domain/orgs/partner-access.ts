/**
 * The per-request check of a partner's access: their organisation must exist, not be suspended and not
 * be past its end date, and their own end date (on their profile) must not have passed. Tokens live
 * for an hour; this makes a suspension or an end date take effect on the very next request. It costs
 * one BatchGetItem (organisation + profile) per partner request, which also tells whether the profile
 * exists, so a partner's first request creates it and accepts their invitations here.
 */
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { DomainError, Forbidden } from '../errors';
import type { Principal } from '../principal';
import type { FirstSignIn } from '../profiles/first-sign-in';

/** 403 with the date access ended, so a client can say so (`accessEndedAt`). */
export class AccessEnded extends DomainError {
  constructor(who: string, endedAt: string) {
    super(403, 'access-ended', 'Access ended', `${who} access ended on ${endedAt.slice(0, 10)}`, {
      accessEndedAt: endedAt,
    });
  }
}

export class PartnerAccess {
  constructor(
    private readonly ctx: DomainContext,
    private readonly signIn: FirstSignIn,
  ) {}

  /** Throws a 403 problem unless the partner may use the API now; creates their profile on first use. */
  async check(principal: Principal & { org: string }): Promise<void> {
    const [orgItem, profileItem] = await this.ctx.table.getMany([
      keys.organisation(principal.org),
      keys.profile(principal.userId),
    ]);
    const now = this.ctx.clock.now().toISOString();
    if (!orgItem) throw new Forbidden('Your organisation no longer has access to Commonplace');
    if (orgItem.status === 'suspended')
      throw new Forbidden('Your organisation’s access to Commonplace is suspended');
    const orgEnd = orgItem.accessEndsAt as string | undefined;
    if (orgEnd && orgEnd <= now) throw new AccessEnded('Your organisation’s', orgEnd);
    const ownEnd = profileItem?.accessEndsAt as string | undefined;
    if (ownEnd && ownEnd <= now) throw new AccessEnded('Your', ownEnd);
    if (!profileItem) {
      await this.signIn.ensureProfile(principal);
      // Rare (a first sign-in), so its code loads on first use.
      const { acceptInvitations } = await import('../spaces/invitation-acceptance');
      await acceptInvitations(this.ctx, principal);
    }
  }
}
