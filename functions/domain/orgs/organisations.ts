/**
 * Partner organisations. Each federated identity provider maps to one; spaces are shared with them by
 * id. Employees may list them (to share a space); a partner sees only their own; admins also see their
 * e-mail domains, identity provider (never its secret), status and end date. Managing them is
 * partner-organisations.ts (the spaces module's); creation is here because the demo seed uses it too.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import { Conflict, Forbidden } from '../errors';
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

export function organisationDomainItem(domain: string, orgId: string): Item {
  return { ...keys.organisationDomain(domain), type: 'organisation-domain', domain, orgId };
}

export function organisationProviderItem(providerName: string, orgId: string): Item {
  return { ...keys.organisationProvider(providerName), type: 'organisation-provider', providerName, orgId };
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

/** The org's audit view: what decides access, never the secret. */
export function auditState(org: Organisation): Record<string, unknown> {
  const view = adminView(org);
  return {
    name: view.name,
    emailDomains: view.emailDomains,
    status: view.status,
    ...(view.accessEndsAt ? { accessEndsAt: view.accessEndsAt } : {}),
    ...(view.provider ? { provider: view.provider } : {}),
  };
}

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
   * its audit record; a domain or provider name another organisation holds is a 409 naming the field.
   * The provider itself is registered with the sign-in service by PartnerOrganisations, not here.
   */
  async create(principal: Principal, input: NewOrganisation): Promise<OrganisationView> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins can register partner organisations');
    const org: Organisation = {
      id: input.id,
      name: input.name,
      createdAt: this.ctx.clock.now().toISOString(),
      emailDomains: [...new Set((input.emailDomains ?? []).map((d) => d.toLowerCase()))],
      ...(input.provider ? { provider: input.provider } : {}),
      status: 'active',
      ...(input.accessEndsAt ? { accessEndsAt: input.accessEndsAt } : {}),
      version: 1,
    };
    const claims = claimItems(org, org.emailDomains, input.provider?.name);
    try {
      await this.ctx.table.transact([
        { Put: { Item: organisationItem(org), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...claims.items,
        auditPut(this.ctx, principal, {
          kind: 'organisation.added',
          target: `organisation:${org.id}`,
          after: auditState(org),
        }),
      ]);
    } catch (error) {
      if (!(error instanceof TransactionFailed)) throw error;
      if (error.failedAt(0))
        throw new Conflict(`Organisation ${input.id} already exists`, [{ field: 'id', message: 'taken' }]);
      throw claims.conflict(error, 1);
    }
    return adminView(org);
  }

  /** Ids among `ids` that are not registered organisations. */
  async unknown(ids: string[]): Promise<string[]> {
    const found = await this.ctx.table.getMany(ids.map((id) => keys.organisation(id)));
    return ids.filter((_, i) => !found[i]);
  }
}

/**
 * The conditional Puts that claim e-mail domains and a provider name for an organisation, and the
 * Conflict that names which one another organisation holds when the transaction fails.
 */
export function claimItems(org: Pick<Organisation, 'id'>, domains: string[], providerName?: string) {
  const items: TransactItem[] = [
    ...domains.map((domain) => ({
      Put: { Item: organisationDomainItem(domain, org.id), ConditionExpression: 'attribute_not_exists(PK)' },
    })),
    ...(providerName
      ? [
          {
            Put: {
              Item: organisationProviderItem(providerName, org.id),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ]
      : []),
  ];
  const conflict = (error: TransactionFailed, offset: number) => {
    const taken = domains.filter((_, i) => error.failedAt(offset + i));
    if (taken.length) {
      return new Conflict(
        `E-mail domain already belongs to another organisation: ${taken.join(', ')}`,
        taken.map((domain) => ({
          field: `emailDomains.${domains.indexOf(domain)}`,
          message: `${domain} is claimed by another organisation`,
        })),
      );
    }
    if (providerName && error.failedAt(offset + domains.length)) {
      return new Conflict(`Identity provider name ${providerName} is already in use`, [
        { field: 'provider.name', message: 'taken' },
      ]);
    }
    return new Conflict('The organisation was changed at the same time; reload and try again');
  };
  return { items, conflict };
}
