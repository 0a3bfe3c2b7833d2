/**
 * Invitations into spaces shared with partner organisations. A space's owner (or an admin) invites a
 * person by e-mail; the address's domain must belong to a partner organisation the space is shared
 * with. The invitation waits under the e-mail address and becomes a membership at the person's first
 * federated sign-in (orgs/partner-access.ts); it expires after 30 days (TTL).
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, Page } from '../../data/table';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import { Conflict, Forbidden, NotFound } from '../errors';
import type { Principal } from '../principal';
import { canManage } from './space-access';
import type { SpaceService } from './space-service';

export interface Invitation {
  email: string;
  spaceId: string;
  spaceName: string;
  orgId: string;
  role: 'editor' | 'reader';
  invitedBy: string;
  invitedByName: string;
  invitedAt: string;
  /** Epoch seconds: DynamoDB's TTL removes an invitation nobody accepted. */
  expiresAt: number;
}

export const INVITATION_DAYS = 30;

const toInvitation = (item: Item): Invitation => {
  const { email, spaceId, spaceName, orgId, role, invitedBy, invitedByName, invitedAt, expiresAt } =
    item as unknown as Invitation;
  return { email, spaceId, spaceName, orgId, role, invitedBy, invitedByName, invitedAt, expiresAt };
};

export class InvitationService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  async invite(
    principal: Principal,
    spaceId: string,
    input: { email: string; role: 'editor' | 'reader' },
  ): Promise<Invitation> {
    const email = input.email.trim().toLowerCase();
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const { space, membership, extras } = await this.spaces.loadReadable(principal, spaceId, [
      keys.organisationDomain(domain),
    ]);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins can invite people into a space');
    const claim = extras[0];
    if (!claim) {
      throw new Conflict(`No partner organisation uses the e-mail domain ${domain}`, [
        { field: 'email', message: 'domain of no partner organisation' },
      ]);
    }
    const orgId = claim.orgId as string;
    if (!space.partnerOrgs.includes(orgId)) {
      throw new Conflict(`This space is not shared with ${orgId}, the organisation of ${domain}`, [
        { field: 'email', message: `organisation ${orgId} not shared with this space` },
      ]);
    }
    const now = this.ctx.clock.now();
    const invitation: Invitation = {
      email,
      spaceId,
      spaceName: space.name,
      orgId,
      role: input.role,
      invitedBy: principal.userId,
      invitedByName: principal.name,
      invitedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + INVITATION_DAYS * 86_400,
    };
    try {
      await this.ctx.table.transact([
        {
          Put: {
            Item: {
              ...keys.invitation(email, spaceId),
              type: 'invitation',
              ...invitation,
              GSI1PK: keys.spaceInvitations(spaceId),
              GSI1SK: email,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        auditPut(this.ctx, principal, {
          kind: 'invitation.created',
          target: `space:${spaceId}`,
          after: { invitation: { email, orgId, role: input.role } },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed)
        throw new Conflict(`${email} is already invited into this space`, [
          { field: 'email', message: 'already invited' },
        ]);
      throw error;
    }
    return invitation;
  }

  async list(
    principal: Principal,
    spaceId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<Invitation>> {
    const { space, membership } = await this.spaces.loadReadable(principal, spaceId);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins see invitations');
    const page = await this.ctx.table.query<Item>({
      index: 'GSI1',
      partition: keys.spaceInvitations(spaceId),
      limit,
      cursor,
    });
    return { items: page.items.map(toInvitation), cursor: page.cursor };
  }

  async revoke(principal: Principal, spaceId: string, email: string): Promise<void> {
    const address = email.trim().toLowerCase();
    const { space, membership, extras } = await this.spaces.loadReadable(principal, spaceId, [
      keys.invitation(address, spaceId),
    ]);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins can revoke invitations');
    if (!extras[0]) throw new NotFound('Invitation');
    try {
      await this.ctx.table.transact([
        { Delete: { Key: keys.invitation(address, spaceId), ConditionExpression: 'attribute_exists(PK)' } },
        auditPut(this.ctx, principal, {
          kind: 'invitation.revoked',
          target: `space:${spaceId}`,
          before: { invitation: { email: address, orgId: extras[0].orgId, role: extras[0].role } },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new NotFound('Invitation');
      throw error;
    }
  }
}
