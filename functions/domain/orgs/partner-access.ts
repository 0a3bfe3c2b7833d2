/**
 * The per-request check of a partner's access: their organisation must exist, not be suspended and not
 * be past its end date, and their own end date (on their profile) must not have passed. Tokens live
 * for an hour; this makes a suspension or an end date take effect on the very next request. It costs
 * one BatchGetItem (organisation + profile) per partner request, which also tells whether the profile
 * exists, so a partner's first request creates it and accepts their invitations here.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import { DomainError, Forbidden } from '../errors';
import type { Principal } from '../principal';
import type { FirstSignIn } from '../profiles/first-sign-in';
import { memberItem } from '../spaces/space';
import type { Role } from '../spaces/space-access';

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
      await this.acceptInvitations(principal);
    }
  }

  /**
   * First sign-in: the invitations waiting for this e-mail address become memberships, each in its own
   * transaction (member, space count, invitation gone, audit record), and only into spaces still shared
   * with the person's organisation; one that no longer applies is left to expire.
   */
  private async acceptInvitations(principal: Principal & { org: string }) {
    if (!principal.email) return;
    const page = await this.ctx.table.query<Item>({
      partition: keys.invitationsFor(principal.email.toLowerCase()),
      limit: 100,
    });
    const now = this.ctx.clock.now().toISOString();
    for (const invitation of page.items) {
      if (invitation.orgId !== principal.org) continue;
      const spaceId = invitation.spaceId as string;
      const role = invitation.role as Role;
      try {
        await this.ctx.table.transact([
          {
            Put: {
              Item: memberItem(
                {
                  spaceId,
                  userId: principal.userId,
                  name: principal.name,
                  org: principal.org,
                  role,
                  joinedAt: now,
                },
                invitation.spaceName as string,
              ),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              Key: keys.space(spaceId),
              UpdateExpression: 'ADD memberCount :one',
              ConditionExpression: 'contains(partnerOrgs, :org)',
              ExpressionAttributeValues: { ':one': 1, ':org': principal.org },
            },
          },
          {
            Delete: {
              Key: { PK: invitation.PK, SK: invitation.SK },
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          auditPut(this.ctx, principal, {
            kind: 'invitation.accepted',
            target: `space:${spaceId}`,
            before: { invitation: { email: invitation.email, role, invitedBy: invitation.invitedBy } },
            after: { member: { userId: principal.userId, org: principal.org, role } },
          }),
        ]);
      } catch (error) {
        if (!(error instanceof TransactionFailed)) throw error;
      }
    }
  }
}
