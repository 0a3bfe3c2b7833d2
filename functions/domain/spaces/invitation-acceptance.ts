/**
 * Invitations become memberships at the invitee's first sign-in (called by orgs/partner-access.ts when
 * a partner's profile does not exist yet; loaded on first use).
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import type { Principal } from '../principal';
import { memberItem } from './space';
import type { Role } from './space-access';

/**
 * First sign-in: the invitations waiting for this e-mail address become memberships, each in its own
 * transaction (member, space count, invitation gone, audit record), and only into spaces still shared
 * with the person's organisation; one that no longer applies is left to expire.
 */
export async function acceptInvitations(ctx: DomainContext, principal: Principal & { org: string }) {
  if (!principal.email) return;
  const page = await ctx.table.query<Item>({
    partition: keys.invitationsFor(principal.email.toLowerCase()),
    limit: 100,
  });
  const now = ctx.clock.now().toISOString();
  for (const invitation of page.items) {
    if (invitation.orgId !== principal.org) continue;
    const spaceId = invitation.spaceId as string;
    const role = invitation.role as Role;
    try {
      await ctx.table.transact([
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
        auditPut(ctx, principal, {
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
