/**
 * Partner organisations. Each federated identity provider maps to one; spaces are shared with them by
 * id. Employees may list them (to share a space); a partner sees only their own; admins also see their
 * e-mail domains, identity provider (never its secret), status and end date. Managing them is
 * partner-organisations.ts (the spaces module's); creation is
 * here (loading organisation-records.ts on first use) because the demo seed uses it too.
 */

import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import type { DomainContext } from '../context';
import { Forbidden } from '../errors';
import { isAdmin, isEmployee, type Principal } from '../principal';
import type { IdentityProvider } from './identity-provider-registry';

export interface Organisation {
  id: string;
  name: string;
  createdAt: string;
  /** Lower case; each also an ORGDOMAIN# item, so a domain belongs to one organisation. */
  emailDomains: string[];
  provider?: IdentityProvider;
  /** Absent means active. */
  status?: 'active' | 'suspended';
  /** ISO-8601: after it, the organisation's people are refused. */
  accessEndsAt?: string;
  /** Organisations from before editing have none stored: read as 1. */
  version: number;
}

/** What anyone but an admin sees of an organisation. */
export type OrganisationSummary = Pick<Organisation, 'id' | 'name' | 'createdAt'>;

/** What admins see: everything but the provider's client secret. */
export type OrganisationView = Omit<Organisation, 'provider' | 'status'> & {
  status: 'active' | 'suspended';
  provider?:
    | (Omit<Extract<IdentityProvider, { kind: 'oidc' }>, 'clientSecret'> & { hasClientSecret: boolean })
    | Extract<IdentityProvider, { kind: 'saml' }>;
};

export interface NewOrganisation {
  id: string;
  name: string;
  emailDomains?: string[];
  provider?: IdentityProvider;
  accessEndsAt?: string;
}

export function organisationItem(org: Organisation): Item {
  return {
    ...keys.organisation(org.id),
    type: 'organisation',
    ...org,
    GSI1PK: keys.organisationsIndex,
    GSI1SK: `${org.name.toLowerCase()}#${org.id}`,
  };
}

export const toOrganisation = (item: Item): Organisation => ({
  id: item.id as string,
  name: item.name as string,
  createdAt: item.createdAt as string,
  emailDomains: (item.emailDomains as string[] | undefined) ?? [],
  ...(item.provider ? { provider: item.provider as IdentityProvider } : {}),
  ...(item.status ? { status: item.status as Organisation['status'] } : {}),
  ...(item.accessEndsAt ? { accessEndsAt: item.accessEndsAt as string } : {}),
  version: (item.version as number | undefined) ?? 1,
});

export function adminView(org: Organisation): OrganisationView {
  const { provider, ...rest } = org;
  if (!provider) return { ...rest, status: org.status ?? 'active' };
  if (provider.kind === 'saml') return { ...rest, status: org.status ?? 'active', provider };
  const { clientSecret, ...visible } = provider;
  return {
    ...rest,
    status: org.status ?? 'active',
    provider: { ...visible, hasClientSecret: !!clientSecret },
  };
}

const summary = (org: Organisation): OrganisationSummary => ({
  id: org.id,
  name: org.name,
  createdAt: org.createdAt,
});

export class OrganisationService {
  constructor(private readonly ctx: DomainContext) {}

  async list(principal: Principal): Promise<(OrganisationSummary | OrganisationView)[]> {
    if (principal.org) {
      const item = await this.ctx.table.get(keys.organisation(principal.org));
      return item ? [summary(toOrganisation(item))] : [];
    }
    if (!isEmployee(principal)) throw new Forbidden('Only employees can list partner organisations');
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.organisationsIndex,
      limit: 500,
    });
    const orgs = page.items.map(toOrganisation);
    return isAdmin(principal) ? orgs.map(adminView) : orgs.map(summary);
  }

  /**
   * Registers an organisation with its e-mail domains and provider mapping, in one transaction with
   * its audit record (organisation-records.ts, loaded on first use: only admins and the seed create).
   * The provider itself is registered with the sign-in service by PartnerOrganisations, not here.
   */
  async create(principal: Principal, input: NewOrganisation): Promise<OrganisationView> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins can register partner organisations');
    const { createOrganisation } = await import('./organisation-records');
    return createOrganisation(this.ctx, principal, input);
  }

  /** Ids among `ids` that are not registered organisations. */
  async unknown(ids: string[]): Promise<string[]> {
    const found = await this.ctx.table.getMany(ids.map((id) => keys.organisation(id)));
    return ids.filter((_, i) => !found[i]);
  }
}
