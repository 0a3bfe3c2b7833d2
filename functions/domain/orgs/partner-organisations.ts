/**
 * Managing partner organisations (admins, in the app rather than in cdk.json): add one with its e-mail
 * domains and identity provider, change them, suspend and reactivate it, set or extend its end date
 * and each of its people's, look at its people and the spaces shared with it, remove it. Every change
 * writes its audit record in the same transaction; the provider is (de)registered with the sign-in
 * service through the IdentityProviderRegistry port.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import { Conflict, DomainError, EditConflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { isAdmin, type Principal } from '../principal';
import {
  type IdentityProvider,
  type IdentityProviderRegistry,
  ProviderMetadataRefused,
  type SamlMetadataCheck,
} from './identity-provider-registry';
import { auditState, claimItems } from './organisation-records';
import {
  adminView,
  type NewOrganisation,
  type Organisation,
  type OrganisationService,
  type OrganisationView,
  organisationItem,
  toOrganisation,
} from './organisations';

export interface OrganisationDetail {
  organisation: OrganisationView;
  people: { userId: string; name: string; email: string; handle: string; accessEndsAt?: string }[];
  spaces: { id: string; name: string }[];
  /** True when there are more people or spaces than shown (the first 200 of each are). */
  more: { people: boolean; spaces: boolean };
}

export interface OrganisationChanges {
  name?: string;
  emailDomains?: string[];
  provider?: IdentityProvider | null;
  version: number;
}

/** The provider's metadata could not be used (private address, unreachable, not SAML metadata). */
export class ProviderMetadataProblem extends DomainError {
  constructor(reason: string) {
    super(
      422,
      'provider-metadata',
      'Identity provider metadata refused',
      `The SAML metadata URL was refused: ${reason}`,
      {
        errors: [
          {
            field: 'provider.metadataUrl',
            message: reason,
            detail: `The SAML metadata URL was refused: ${reason}.`,
          },
        ],
      },
    );
  }
}

const DETAIL_LIMIT = 200;

export class PartnerOrganisations {
  constructor(
    private readonly ctx: DomainContext,
    private readonly orgs: OrganisationService,
    private readonly registry: IdentityProviderRegistry,
    private readonly samlMetadata?: SamlMetadataCheck,
  ) {}

  /**
   * Adds an organisation. Conflicts (id, a domain or the provider name held by another organisation)
   * are found before the provider is registered, so a refused request changes nothing anywhere; the
   * transaction's conditions still decide a race, and the provider is then deregistered again.
   */
  async create(principal: Principal, input: NewOrganisation): Promise<OrganisationView> {
    requireAdmin(principal);
    const domains = normaliseDomains(input.emailDomains ?? []);
    await this.refuseClaimed(input.id, domains, input.provider?.name, true);
    if (input.provider) await this.checkProvider(input.provider);
    if (input.provider) await this.registry.register(input.provider);
    try {
      return await this.orgs.create(principal, { ...input, emailDomains: domains });
    } catch (error) {
      if (input.provider) await this.registry.remove(input.provider.name).catch(() => {});
      throw error;
    }
  }

  async detail(principal: Principal, orgId: string): Promise<OrganisationDetail> {
    requireAdmin(principal);
    const [orgItem, people, spaces] = await Promise.all([
      this.ctx.table.get(keys.organisation(orgId)),
      this.ctx.table.query<Item>({
        index: 'GSI1',
        partition: keys.peopleDirectory(orgId),
        limit: DETAIL_LIMIT,
      }),
      this.ctx.table.query<Item>({ index: 'GSI1', partition: keys.sharedWith(orgId), limit: DETAIL_LIMIT }),
    ]);
    if (!orgItem) throw new NotFound('Organisation');
    return {
      organisation: adminView(toOrganisation(orgItem)),
      people: people.items.map((p) => ({
        userId: p.userId as string,
        name: p.name as string,
        email: p.email as string,
        handle: p.handle as string,
        ...(p.accessEndsAt ? { accessEndsAt: p.accessEndsAt as string } : {}),
      })),
      // The share item keeps the space's sort name (`<lower-case name>#<id>`); the space item has the name.
      spaces: spaces.items.map((s) => ({
        id: s.spaceId as string,
        name: String(s.GSI1SK).slice(0, String(s.GSI1SK).lastIndexOf('#')),
      })),
      more: { people: !!people.cursor, spaces: !!spaces.cursor },
    };
  }

  /** Changes the name, the e-mail domains or the provider (null removes it), on the version loaded. */
  async update(principal: Principal, orgId: string, changes: OrganisationChanges): Promise<OrganisationView> {
    requireAdmin(principal);
    const org = await this.load(orgId);
    if (changes.version !== org.version) throw new EditConflict('The organisation', org.version);
    const domains = changes.emailDomains ? normaliseDomains(changes.emailDomains) : org.emailDomains;
    const addedDomains = domains.filter((d) => !org.emailDomains.includes(d));
    const removedDomains = org.emailDomains.filter((d) => !domains.includes(d));
    const provider = changes.provider === undefined ? org.provider : (changes.provider ?? undefined);
    // A new OIDC configuration without a secret keeps the one stored (the secret is never shown).
    if (
      provider?.kind === 'oidc' &&
      org.provider?.kind === 'oidc' &&
      !provider.clientSecret &&
      org.provider.clientSecret
    )
      provider.clientSecret = org.provider.clientSecret;
    const newProviderName = provider && provider.name !== org.provider?.name ? provider.name : undefined;
    const oldProviderName =
      org.provider && org.provider.name !== provider?.name ? org.provider.name : undefined;
    await this.refuseClaimed(undefined, addedDomains, newProviderName, false);
    if (provider && changes.provider) await this.checkProvider(provider);
    const updated: Organisation = {
      ...org,
      name: changes.name ?? org.name,
      emailDomains: domains,
      ...(provider ? { provider } : {}),
      version: org.version + 1,
    };
    if (!provider) delete updated.provider;
    if (changes.provider) {
      if (newProviderName) await this.registry.register(changes.provider);
      else await this.registry.update(provider!);
    }
    const claims = claimItems(org, addedDomains, newProviderName);
    try {
      await this.ctx.table.transact([
        this.rewrite(updated, org.version),
        ...claims.items,
        ...removedDomains.map((domain) => ({ Delete: { Key: keys.organisationDomain(domain) } })),
        ...(oldProviderName ? [{ Delete: { Key: keys.organisationProvider(oldProviderName) } }] : []),
        auditPut(this.ctx, principal, {
          kind: 'organisation.updated',
          target: `organisation:${orgId}`,
          before: auditState(org),
          after: auditState(updated),
        }),
      ]);
    } catch (error) {
      if (newProviderName) await this.registry.remove(newProviderName).catch(() => {});
      if (!(error instanceof TransactionFailed)) throw error;
      if (error.failedAt(0)) throw new EditConflict('The organisation', org.version);
      throw claims.conflict(error, 1);
    }
    if (oldProviderName) await this.registry.remove(oldProviderName);
    return adminView(updated);
  }

  /** Suspends (its people's next request is refused) or reactivates an organisation. */
  async setStatus(
    principal: Principal,
    orgId: string,
    status: 'active' | 'suspended',
  ): Promise<OrganisationView> {
    requireAdmin(principal);
    const org = await this.load(orgId);
    if ((org.status ?? 'active') === status) return adminView(org);
    const updated: Organisation = { ...org, status, version: org.version + 1 };
    await this.write(
      principal,
      org,
      updated,
      status === 'suspended' ? 'organisation.suspended' : 'organisation.reactivated',
    );
    return adminView(updated);
  }

  /** Sets, extends or clears (null) the date after which the organisation's people are refused. */
  async setAccessEnd(
    principal: Principal,
    orgId: string,
    accessEndsAt: string | null,
  ): Promise<OrganisationView> {
    requireAdmin(principal);
    const org = await this.load(orgId);
    const updated: Organisation = { ...org, version: org.version + 1 };
    if (accessEndsAt) updated.accessEndsAt = accessEndsAt;
    else delete updated.accessEndsAt;
    await this.write(principal, org, updated, 'organisation.access-changed');
    return adminView(updated);
  }

  /** Sets, extends or clears one partner user's own end date (on their profile). */
  async setPersonAccessEnd(
    principal: Principal,
    orgId: string,
    userId: string,
    accessEndsAt: string | null,
  ): Promise<{ userId: string; accessEndsAt?: string }> {
    requireAdmin(principal);
    const profile = await this.ctx.table.get(keys.profile(userId));
    if (!profile || profile.org !== orgId) throw new NotFound('Person of this organisation');
    const before = profile.accessEndsAt as string | undefined;
    try {
      await this.ctx.table.transact([
        {
          Update: {
            Key: keys.profile(userId),
            // A new version, so a concurrent edit of the profile (which rewrites it whole) cannot put
            // the old date back.
            UpdateExpression: accessEndsAt
              ? 'SET accessEndsAt = :end ADD version :one'
              : 'REMOVE accessEndsAt ADD version :one',
            ConditionExpression: 'org = :org',
            ExpressionAttributeValues: {
              ':org': orgId,
              ':one': 1,
              ...(accessEndsAt ? { ':end': accessEndsAt } : {}),
            },
          },
        },
        auditPut(this.ctx, principal, {
          kind: 'person.access-changed',
          target: `person:${userId}`,
          before: { org: orgId, ...(before ? { accessEndsAt: before } : {}) },
          after: { org: orgId, ...(accessEndsAt ? { accessEndsAt } : {}) },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new NotFound('Person of this organisation');
      throw error;
    }
    return { userId, ...(accessEndsAt ? { accessEndsAt } : {}) };
  }

  /**
   * Removes an organisation, its domain claims and provider mapping (its people's next request is
   * refused), then deregisters its provider. Refused while spaces are still shared with it: an admin
   * unshares them first, so no space keeps pointing at an organisation that is gone.
   */
  async remove(principal: Principal, orgId: string): Promise<void> {
    requireAdmin(principal);
    const org = await this.load(orgId);
    const shared = await this.ctx.table.count({ index: 'GSI1', partition: keys.sharedWith(orgId), limit: 1 });
    if (shared.count > 0) {
      throw new Conflict(`Spaces are still shared with ${org.name}: unshare them before removing it`);
    }
    try {
      await this.ctx.table.transact([
        {
          Delete: {
            Key: keys.organisation(orgId),
            ConditionExpression: 'attribute_not_exists(version) OR version = :v',
            ExpressionAttributeValues: { ':v': org.version },
          },
        },
        ...org.emailDomains.map((domain) => ({ Delete: { Key: keys.organisationDomain(domain) } })),
        ...(org.provider ? [{ Delete: { Key: keys.organisationProvider(org.provider.name) } }] : []),
        auditPut(this.ctx, principal, {
          kind: 'organisation.removed',
          target: `organisation:${orgId}`,
          before: auditState(org),
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new EditConflict('The organisation', org.version);
      throw error;
    }
    if (org.provider) await this.registry.remove(org.provider.name);
  }

  private async load(orgId: string): Promise<Organisation> {
    const item = await this.ctx.table.get(keys.organisation(orgId));
    if (!item) throw new NotFound('Organisation');
    return toOrganisation(item);
  }

  private async write(
    principal: Principal,
    before: Organisation,
    after: Organisation,
    kind: 'organisation.suspended' | 'organisation.reactivated' | 'organisation.access-changed',
  ) {
    try {
      await this.ctx.table.transact([
        this.rewrite(after, before.version),
        auditPut(this.ctx, principal, {
          kind,
          target: `organisation:${after.id}`,
          before: auditState(before),
          after: auditState(after),
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new EditConflict('The organisation', before.version);
      throw error;
    }
  }

  /** The whole item, on condition it is still the version loaded (organisations from before versions have none). */
  private rewrite(org: Organisation, expectedVersion: number): TransactItem {
    return {
      Put: {
        Item: organisationItem(org),
        ConditionExpression:
          expectedVersion === 1
            ? 'attribute_exists(PK) AND (attribute_not_exists(version) OR version = :v)'
            : 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      },
    };
  }

  /** Refuses, before anything is written, an id, domain or provider name that is already taken. */
  private async refuseClaimed(
    orgId: string | undefined,
    domains: string[],
    providerName: string | undefined,
    isNew: boolean,
  ) {
    const found = await this.ctx.table.getMany([
      ...(orgId ? [keys.organisation(orgId)] : []),
      ...domains.map((d) => keys.organisationDomain(d)),
      ...(providerName ? [keys.organisationProvider(providerName)] : []),
    ]);
    const offset = orgId ? 1 : 0;
    if (orgId && isNew && found[0])
      throw new Conflict(`Organisation ${orgId} already exists`, [{ field: 'id', message: 'taken' }]);
    const taken = domains.filter((_, i) => found[offset + i]);
    if (taken.length) {
      throw new Conflict(
        `E-mail domain already belongs to another organisation: ${taken.join(', ')}`,
        taken.map((domain) => ({
          field: `emailDomains.${domains.indexOf(domain)}`,
          message: `${domain} is claimed by ${found[offset + domains.indexOf(domain)]!.orgId}`,
        })),
      );
    }
    if (providerName && found[offset + domains.length]) {
      throw new Conflict(`Identity provider name ${providerName} is already in use`, [
        { field: 'provider.name', message: 'taken' },
      ]);
    }
  }

  private async checkProvider(provider: IdentityProvider) {
    if (provider.kind !== 'saml') return;
    if (!this.samlMetadata) throw new ProviderMetadataProblem('no safe fetcher is configured to check it');
    try {
      await this.samlMetadata(provider.metadataUrl);
    } catch (error) {
      if (error instanceof ProviderMetadataRefused) throw new ProviderMetadataProblem(error.message);
      throw error;
    }
  }
}

function requireAdmin(principal: Principal) {
  if (!isAdmin(principal)) throw new Forbidden('Only admins can manage partner organisations');
}

function normaliseDomains(domains: string[]): string[] {
  const normal = domains.map((d) => d.trim().toLowerCase());
  const twice = normal.filter((d, i) => normal.indexOf(d) !== i);
  if (twice.length) {
    throw new InvalidInput(`An e-mail domain is listed twice: ${twice.join(', ')}`, [
      { field: `emailDomains.${normal.lastIndexOf(twice[0])}`, message: 'listed twice' },
    ]);
  }
  return normal;
}
