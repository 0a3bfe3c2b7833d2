/**
 * The table adapter of the trigger's `SignInDirectory`: the IDP item names the organisation, then the
 * ORG item and the user's profile come in one BatchGetItem — two round trips for a partner sign-in
 * whatever the data size, none for an employee. Items are read as 16b's organisation service writes
 * them (functions/domain/orgs/): `emailDomains`, `status`, `accessEndsAt` on the ORG item and
 * `accessEndsAt` on the profile.
 */
import { keys } from '../data/keys';
import type { Table } from '../data/table';
import type { OrganisationFacts, PartnerFacts, SignInDirectory } from './token-claims';

export class TableSignInDirectory implements SignInDirectory {
  constructor(private readonly table: Table) {}

  async partnerFacts(providerName: string, userId: string): Promise<PartnerFacts> {
    const provider = await this.table.get(keys.organisationProvider(providerName));
    const orgId = typeof provider?.orgId === 'string' && provider.orgId ? provider.orgId : undefined;
    if (!orgId) return {};
    const [org, profile] = await this.table.getMany([keys.organisation(orgId), keys.profile(userId)]);
    return {
      orgId,
      organisation: org ? organisationFacts(org) : undefined,
      userAccessEndsAt: typeof profile?.accessEndsAt === 'string' ? profile.accessEndsAt : undefined,
    };
  }
}

function organisationFacts(item: Record<string, unknown>): OrganisationFacts {
  const domains = Array.isArray(item.emailDomains)
    ? item.emailDomains.filter((d): d is string => typeof d === 'string')
    : [];
  return {
    id: String(item.id),
    name: typeof item.name === 'string' ? item.name : undefined,
    emailDomains: domains,
    // Anything but active (or absent) counts as suspended: default deny.
    status: item.status === undefined || item.status === 'active' ? 'active' : 'suspended',
    accessEndsAt: typeof item.accessEndsAt === 'string' ? item.accessEndsAt : undefined,
  };
}
