/**
 * The table adapter of the trigger's `SignInDirectory`: the IDP item names the organisation, then the
 * ORG item and the user's profile come in one BatchGetItem — two round trips for a partner sign-in
 * whatever the data size. Items are read as 16b's organisation service writes them
 * (functions/domain/orgs/): `emailDomains`, `status`, `accessEndsAt` on the ORG item and
 * `accessEndsAt` on the profile.
 *
 * An employee's sign-in is one BatchGetItem (its link, its own profile, its address's e-mail claim);
 * a linked one, or one whose address an import or SCIM provisioned, one GetItem/BatchGetItem more; the
 * first sign-in of a provisioned person is one transaction that links them, conditioned so that two
 * sign-ins at once never link twice nor leave a second profile (docs/data-model.md, "Sign-in links").
 */
import { TransactionFailed } from '../data/errors';
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import type { EmployeePerson, OrganisationFacts, PartnerFacts, SignInDirectory } from './token-claims';

export class TableSignInDirectory implements SignInDirectory {
  constructor(
    private readonly table: Table,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async employeePerson(subject: string, verifiedEmail: string | undefined): Promise<EmployeePerson> {
    const [link, own, claim] = await this.table.getMany([
      keys.signInLink(subject),
      keys.profile(subject),
      ...(verifiedEmail ? [keys.emailClaim(verifiedEmail)] : []),
    ]);
    if (typeof link?.userId === 'string') return this.linkedPerson(link.userId);
    // Someone who signed in before (or whom an import found by their @handle) keeps their own profile.
    if (own) return { personId: subject, active: own.active !== false };
    const provisionedId = typeof claim?.userId === 'string' ? claim.userId : undefined;
    if (!verifiedEmail || !provisionedId || provisionedId === subject)
      return { personId: subject, active: true };
    const [person, personLink] = await this.table.getMany([
      keys.profile(provisionedId),
      keys.personLink(provisionedId),
    ]);
    // Only an employee an import or SCIM made; a profile of someone's own sign-in is never taken over.
    if (!provisionable(person)) return { personId: subject, active: true };
    if (person!.active === false) return { personId: provisionedId, active: false };
    if (personLink) return alreadyLinked(verifiedEmail);
    return this.link(subject, provisionedId, verifiedEmail);
  }

  private async linkedPerson(userId: string): Promise<EmployeePerson> {
    const person = await this.table.get(keys.profile(userId));
    return { personId: userId, active: person?.active !== false };
  }

  /**
   * One transaction: this sign-in's link and the person's (each only if absent), the person still a
   * provisioned, active employee, and no profile of the sign-in's own made meanwhile.
   */
  private async link(subject: string, userId: string, email: string): Promise<EmployeePerson> {
    const linkedAt = this.now().toISOString();
    try {
      await this.table.transact([
        {
          Put: {
            Item: { ...keys.signInLink(subject), type: 'signInLink', subject, userId, email, linkedAt },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            Item: { ...keys.personLink(userId), type: 'personLink', subject, userId, email, linkedAt },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          ConditionCheck: {
            Key: keys.profile(userId),
            ConditionExpression:
              '#kind = :employee AND #source IN (:import, :scim) AND (attribute_not_exists(#active) OR #active <> :false)',
            ExpressionAttributeNames: { '#kind': 'kind', '#source': 'source', '#active': 'active' },
            ExpressionAttributeValues: {
              ':employee': 'employee',
              ':import': 'import',
              ':scim': 'scim',
              ':false': false,
            },
          },
        },
        { ConditionCheck: { Key: keys.profile(subject), ConditionExpression: 'attribute_not_exists(PK)' } },
      ]);
      return { personId: userId, active: true };
    } catch (error) {
      if (!(error instanceof TransactionFailed)) throw error;
      // The same sign-in twice at once: the one that linked wins, the other acts as the same person.
      if (error.failedAt(0)) {
        const winner = await this.table.get(keys.signInLink(subject));
        if (typeof winner?.userId === 'string') return this.linkedPerson(winner.userId);
      }
      if (error.failedAt(3)) {
        const own = await this.table.get(keys.profile(subject));
        return { personId: subject, active: own?.active !== false };
      }
      if (error.failedAt(1)) return alreadyLinked(email);
      // Deactivated (or changed) meanwhile: read again and answer what it is now.
      const person = await this.table.get(keys.profile(userId));
      if (provisionable(person) && person!.active === false) return { personId: userId, active: false };
      return { personId: subject, active: true };
    }
  }

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

function provisionable(person: Item | undefined): boolean {
  return person?.kind === 'employee' && (person.source === 'import' || person.source === 'scim');
}

function alreadyLinked(email: string): EmployeePerson {
  return {
    personId: '',
    active: false,
    conflict: `The person with the address ${email} already signs in with another account. Ask your administrator.`,
  };
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
