/**
 * The records an organisation is made of beyond its item: its e-mail domain claims and provider
 * mapping (conditional Puts, so a domain or provider name belongs to one organisation), its audit
 * state, and its creation in one transaction. Loaded on first use by the core (creation is rare);
 * partner-organisations.ts uses it for every change.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import { Conflict } from '../errors';
import type { Principal } from '../principal';
import {
  adminView,
  type NewOrganisation,
  type Organisation,
  type OrganisationView,
  organisationItem,
} from './organisations';

export function organisationDomainItem(domain: string, orgId: string): Item {
  return { ...keys.organisationDomain(domain), type: 'organisation-domain', domain, orgId };
}

export function organisationProviderItem(providerName: string, orgId: string): Item {
  return { ...keys.organisationProvider(providerName), type: 'organisation-provider', providerName, orgId };
}

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

/**
 * Registers an organisation with its e-mail domains and provider mapping, in one transaction with
 * its audit record; a domain or provider name another organisation holds is a 409 naming the field.
 * The provider itself is registered with the sign-in service by PartnerOrganisations, not here.
 */
export async function createOrganisation(
  ctx: DomainContext,
  principal: Principal,
  input: NewOrganisation,
): Promise<OrganisationView> {
  const org: Organisation = {
    id: input.id,
    name: input.name,
    createdAt: ctx.clock.now().toISOString(),
    emailDomains: [...new Set((input.emailDomains ?? []).map((d) => d.toLowerCase()))],
    ...(input.provider ? { provider: input.provider } : {}),
    status: 'active',
    ...(input.accessEndsAt ? { accessEndsAt: input.accessEndsAt } : {}),
    version: 1,
  };
  const claims = claimItems(org, org.emailDomains, input.provider?.name);
  try {
    await ctx.table.transact([
      { Put: { Item: organisationItem(org), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...claims.items,
      auditPut(ctx, principal, {
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
