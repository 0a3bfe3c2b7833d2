/**
 * Writing people from outside — an HR file (people-import.ts) or a provisioning client over SCIM
 * (scim-service.ts): find them by e-mail, create or update their profile with its directory entries,
 * deactivate them. A person created here gets an id made from their e-mail (`u-<hash>`), so a second
 * import or a repeated SCIM request finds the same person instead of making another.
 */
import { createHash } from 'node:crypto';
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import { versionedRewrite } from '../../data/versioned-rewrite';
import type { DomainContext } from '../context';
import { Conflict } from '../errors';
import { handleCandidates } from '../profiles/first-sign-in';
import {
  EDITABLE_PROFILE_FIELDS,
  handleClaimItem,
  type Profile,
  profileItem,
  toProfile,
} from '../profiles/profile';
import { directoryWrites } from './directory-entry';
import { profileReadsSignIn, type SignInAccounts } from './sign-in-accounts';

export interface ProvisionedPerson {
  email: string;
  name: string;
  title?: string;
  department?: string;
  location?: string;
  phone?: string;
  active: boolean;
  source: 'import' | 'scim';
  externalId?: string;
}

export type Outcome = 'created' | 'updated' | 'unchanged';

/**
 * A create's `alsoWrite` items failed their conditions (the person was not created): what they were
 * based on changed meanwhile. The caller may create the person without them and write them its own way.
 */
export class AlsoWriteFailed extends Conflict {
  constructor(email: string) {
    super(`What ${email}'s creation was to write with it changed meanwhile`, [
      { field: 'email', message: 'changed meanwhile' },
    ]);
  }
}

/** The id of a person created by an import or SCIM: stable for an e-mail address. */
export function provisionedUserId(email: string): string {
  return `u-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24)}`;
}

export class PeopleProvisioning {
  constructor(
    private readonly ctx: DomainContext,
    private readonly signIn: SignInAccounts = profileReadsSignIn,
  ) {}

  /**
   * The people holding these e-mail addresses: their e-mail items (written by imports and SCIM), else
   * the profile holding the address's @handle (people who signed in before any import). Three
   * BatchGetItems per 100 addresses at most.
   */
  async findByEmails(emails: string[]): Promise<Map<string, Profile>> {
    const wanted = [...new Set(emails.map((email) => email.toLowerCase()))];
    const found = new Map<string, Profile>();
    const claims = await this.ctx.table.getMany(wanted.map((email) => keys.emailClaim(email)));
    const byClaim = new Map<string, string>();
    claims.forEach((claim, i) => {
      if (claim) byClaim.set(wanted[i], claim.userId as string);
    });
    const rest = wanted.filter((email) => !byClaim.has(email));
    const handles = await this.ctx.table.getMany(
      rest.map((email) => keys.handleClaim(handleCandidates({ email, userId: '' })[0])),
    );
    const candidates = new Map<string, string>();
    handles.forEach((claim, i) => {
      if (claim) candidates.set(rest[i], claim.userId as string);
    });
    const ids = [...new Set([...byClaim.values(), ...candidates.values()])];
    const profiles = await this.ctx.table.getMany(ids.map(keys.profile));
    const byId = new Map(
      profiles.filter((item): item is Item => !!item).map((item) => [item.userId as string, toProfile(item)]),
    );
    for (const email of wanted) {
      const profile = byId.get(byClaim.get(email) ?? candidates.get(email) ?? '');
      // A handle is only a guess: the profile must hold this very address.
      if (profile && (byClaim.has(email) || profile.email.toLowerCase() === email)) found.set(email, profile);
    }
    return found;
  }

  /**
   * Creates the person, or brings their profile up to `person`: one transaction (a handle taken: one
   * more). `alsoWrite`: items a create puts in its transaction (an import's reporting line); a failed
   * condition among them is an AlsoWriteFailed. An update ignores them.
   */
  async upsert(
    person: ProvisionedPerson,
    existing: Profile | undefined,
    options: { indexExternalId?: boolean; alsoWrite?: TransactItem[] } = {},
  ): Promise<{ outcome: Outcome; profile: Profile }> {
    const now = this.ctx.clock.now().toISOString();
    if (!existing) return { outcome: 'created', profile: await this.create(person, now, options) };
    const email = existing.email.toLowerCase() === person.email.toLowerCase() ? existing.email : person.email;
    const updated: Profile = { ...existing, name: person.name, email };
    // Absent: left as it is (a file without that column); empty: cleared.
    for (const field of ['title', 'department', 'location', 'phone'] as const) {
      const value = person[field];
      if (value === '') delete updated[field];
      else if (value !== undefined) updated[field] = value;
    }
    if (person.active) delete updated.active;
    else updated.active = false;
    if (person.externalId) updated.externalId = person.externalId;
    const same = (
      ['name', 'title', 'department', 'location', 'phone', 'active', 'externalId'] as const
    ).every((field) => updated[field] === existing[field]);
    if (same) return { outcome: 'unchanged', profile: existing };
    const version = existing.version ?? 1;
    updated.updatedAt = now;
    updated.version = version + 1;
    const rewrite = versionedRewrite(profileItem(updated), {
      expectedVersion: version,
      counters: [],
      optional: [...EDITABLE_PROFILE_FIELDS, 'aboutText', 'active', 'externalId'],
    });
    const directory = directoryWrites(existing, updated);
    const external = options.indexExternalId ? externalIdWrites(existing, updated) : [];
    try {
      await this.ctx.table.transact([rewrite, this.emailClaim(updated), ...directory, ...external]);
    } catch (error) {
      if (error instanceof TransactionFailed) {
        if (external.length && error.failedAt(2 + directory.length))
          throw new Conflict(`externalId ${updated.externalId} belongs to another person`, [
            { field: 'externalId', message: 'taken' },
          ]);
        throw new Conflict(
          error.failedAt(1)
            ? `${person.email} belongs to another person`
            : `${existing.name}'s profile changed meanwhile; try again`,
          [{ field: 'email', message: 'changed meanwhile' }],
        );
      }
      throw error;
    }
    if ((existing.active === false) !== (updated.active === false))
      await this.signIn.setEnabled(updated, updated.active !== false);
    return { outcome: 'updated', profile: updated };
  }

  private async create(
    person: ProvisionedPerson,
    now: string,
    options: { indexExternalId?: boolean; alsoWrite?: TransactItem[] },
  ): Promise<Profile> {
    const userId = provisionedUserId(person.email);
    for (const handle of handleCandidates({ email: person.email, userId })) {
      const profile: Profile = {
        userId,
        name: person.name,
        email: person.email,
        handle,
        kind: 'employee',
        skills: [],
        ...(person.title ? { title: person.title } : {}),
        ...(person.department ? { department: person.department } : {}),
        ...(person.location ? { location: person.location } : {}),
        ...(person.phone ? { phone: person.phone } : {}),
        ...(person.active ? {} : { active: false }),
        source: person.source,
        ...(person.externalId ? { externalId: person.externalId } : {}),
        createdAt: now,
        version: 1,
      };
      const items: TransactItem[] = [
        { Put: { Item: profileItem(profile), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { Item: handleClaimItem(handle, userId), ConditionExpression: 'attribute_not_exists(PK)' } },
        this.emailClaim(profile),
        ...directoryWrites(undefined, profile),
      ];
      const external = options.indexExternalId ? externalIdWrites(undefined, profile) : [];
      const also = options.alsoWrite ?? [];
      try {
        await this.ctx.table.transact([...items, ...external, ...also]);
      } catch (error) {
        if (!(error instanceof TransactionFailed)) throw error;
        if (external.length && error.failedAt(items.length))
          throw new Conflict(`externalId ${person.externalId} belongs to another person`, [
            { field: 'externalId', message: 'taken' },
          ]);
        if (error.failedAt(1) && !error.failedAt(0) && !error.failedAt(2)) continue;
        const first = items.length + external.length;
        if (!error.failedAt(0) && !error.failedAt(2) && also.some((_, i) => error.failedAt(first + i)))
          throw new AlsoWriteFailed(person.email);
        throw new Conflict(`${person.email} was provisioned by a request at the same time; try again`, [
          { field: 'email', message: 'changed meanwhile' },
        ]);
      }
      if (!person.active) await this.signIn.setEnabled(profile, false);
      return profile;
    }
    throw new Conflict(`No free @handle for ${person.email}`, [
      { field: 'email', message: 'no free handle' },
    ]);
  }

  /** The person whose externalId (as a SCIM client set it) is this: one GetItem and the profile. */
  async findByExternalId(externalId: string): Promise<Profile | undefined> {
    const claim = await this.ctx.table.get(keys.externalIdClaim(externalId));
    if (typeof claim?.userId !== 'string') return undefined;
    const item = await this.ctx.table.get(keys.profile(claim.userId));
    return item && toProfile(item);
  }

  /** The e-mail item: a person's own, or one no one holds yet. */
  private emailClaim(profile: Profile): TransactItem {
    const email = profile.email.toLowerCase();
    return {
      Put: {
        Item: { ...keys.emailClaim(email), type: 'emailClaim', email, userId: profile.userId },
        ConditionExpression: 'attribute_not_exists(PK) OR userId = :userId',
        ExpressionAttributeValues: { ':userId': profile.userId },
      },
    };
  }
}

/**
 * The externalId item of a person's SCIM externalId (put first, so a conflict is at that index), and the
 * old one deleted when it changed. Only SCIM writes these: an HR file's employee ID is not the client's.
 */
function externalIdWrites(before: Profile | undefined, after: Profile): TransactItem[] {
  if (before?.externalId === after.externalId) return [];
  const self = { ':userId': after.userId };
  return [
    ...(after.externalId
      ? [
          {
            Put: {
              Item: {
                ...keys.externalIdClaim(after.externalId),
                type: 'externalIdClaim',
                externalId: after.externalId,
                userId: after.userId,
              },
              ConditionExpression: 'attribute_not_exists(PK) OR userId = :userId',
              ExpressionAttributeValues: self,
            },
          },
        ]
      : []),
    ...(before?.externalId
      ? [
          {
            Delete: {
              Key: keys.externalIdClaim(before.externalId),
              ConditionExpression: 'attribute_not_exists(PK) OR userId = :userId',
              ExpressionAttributeValues: self,
            },
          },
        ]
      : []),
  ];
}
