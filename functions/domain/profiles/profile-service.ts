/**
 * Profiles: a person's profile (and, for employees, their personal blog space) is created from the
 * token's claims the first time they call the API.
 */
import { keys } from '../../data/keys';
import { type Page, type TransactItem, TransactionFailed } from '../../data/table';
import { versionedRewrite } from '../../data/versioned-rewrite';
import { normalizeTag } from '../content/markdown';
import type { DomainContext } from '../context';
import { EditConflict, InvalidInput, NotFound } from '../errors';
import { isPartner, type Principal } from '../principal';
import { canSeePerson } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import {
  EDITABLE_PROFILE_FIELDS,
  handleFromEmail,
  type Profile,
  profileItem,
  skillItems,
  toProfile,
} from './profile';

export type ProfileChanges = Partial<Record<(typeof EDITABLE_PROFILE_FIELDS)[number], string>> & {
  skills?: string[];
  version: number;
};

export interface PersonSummary {
  userId: string;
  name: string;
  title?: string;
  org?: string;
}

const MAX_SKILLS = 30;

export class ProfileService {
  /** People already known to exist in this process: saves a write on every request. */
  private readonly known = new Set<string>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  /** Creates the caller's profile (and personal blog) on first sign-in; idempotent and race-safe. */
  async ensureProfile(principal: Principal): Promise<void> {
    if (this.known.has(principal.userId)) return;
    const now = this.ctx.clock.now().toISOString();
    const partner = isPartner(principal);
    const profile: Profile = {
      userId: principal.userId,
      name: principal.name,
      email: principal.email,
      handle: handleFromEmail(principal.email),
      ...(principal.org ? { org: principal.org } : {}),
      kind: partner ? 'partner' : 'employee',
      skills: [],
      createdAt: now,
      version: 1,
    };
    try {
      await this.ctx.table.transact([
        { Put: { Item: profileItem(profile), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...(partner ? [] : this.spaces.personalSpaceItems(profile, now)),
      ]);
    } catch (error) {
      if (!(error instanceof TransactionFailed)) throw error; // already there: nothing to do
    }
    if (this.known.size > 10_000) this.known.clear();
    this.known.add(principal.userId);
  }

  /** A person by user id or, failing that, by @handle (mention links carry handles). */
  async get(principal: Principal, userIdOrHandle: string): Promise<Profile> {
    let item = await this.ctx.table.get(keys.profile(userIdOrHandle));
    if (!item) {
      const byHandle = await this.ctx.table.query({
        index: 'GSI2',
        partition: keys.handle(userIdOrHandle.toLowerCase()),
        limit: 1,
      });
      item = byHandle.items[0];
    }
    if (!item) throw new NotFound('Person');
    const profile = toProfile(item);
    if (!canSeePerson(principal, profile)) throw new NotFound('Person');
    return profile;
  }

  /**
   * The caller edits their own profile: job title, department, location, phone, about, skills. An
   * empty string clears a field. Optimistic concurrency on `version`; skill items change with it.
   */
  async update(principal: Principal, changes: ProfileChanges): Promise<Profile> {
    const item = await this.ctx.table.get(keys.profile(principal.userId));
    if (!item) throw new NotFound('Person');
    const current = toProfile(item);
    const currentVersion = current.version ?? 1;
    if (changes.version !== currentVersion) throw new EditConflict('Your profile', currentVersion);
    const skills = changes.skills === undefined ? (current.skills ?? []) : normalizeSkills(changes.skills);
    const updated: Profile = {
      ...current,
      skills,
      updatedAt: this.ctx.clock.now().toISOString(),
      version: currentVersion + 1,
    };
    for (const field of EDITABLE_PROFILE_FIELDS) {
      const value = changes[field];
      if (value === undefined) continue;
      if (value.trim()) updated[field] = value.trim();
      else delete updated[field];
    }
    const rewrite = versionedRewrite(profileItem(updated), {
      expectedVersion: currentVersion,
      counters: [],
      optional: [...EDITABLE_PROFILE_FIELDS],
    });
    if (current.version === undefined) {
      // A profile from before versions: it has none to compare.
      rewrite.Update!.ConditionExpression = 'attribute_not_exists(version)';
      delete (rewrite.Update!.ExpressionAttributeValues as Record<string, unknown>)[':expected'];
    }
    const before = current.skills ?? [];
    const added = skills.filter((skill) => !before.includes(skill));
    const removed = before.filter((skill) => !skills.includes(skill));
    // A changed name or title is not copied into skill items: a list by skill shows the profile's own.
    try {
      await this.ctx.table.transact([
        rewrite,
        ...skillItems(updated, added).map((Item) => ({ Put: { Item } })),
        ...removed.map((skill) => ({ Delete: { Key: keys.skill(principal.userId, skill) } }) as TransactItem),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0)) {
        const latest = await this.ctx.table.get(keys.profile(principal.userId));
        throw new EditConflict('Your profile', (latest?.version as number | undefined) ?? 1);
      }
      throw error;
    }
    return updated;
  }

  /** People with a skill, by name; a partner sees employees and their own organisation's people only. */
  async withSkill(
    principal: Principal,
    skill: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<PersonSummary>> {
    const normalized = normalizeSkills([skill])[0];
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.peopleWithSkill(normalized),
      limit,
      cursor,
    });
    const profiles = await this.ctx.table.getMany(
      page.items.map((item) => keys.profile(item.userId as string)),
    );
    return {
      items: profiles
        .filter((item) => !!item)
        .map((item) => toProfile(item!))
        .filter((profile) => canSeePerson(principal, profile))
        .map(({ userId, name, title, org }) => ({
          userId,
          name,
          ...(title ? { title } : {}),
          ...(org ? { org } : {}),
        })),
      cursor: page.cursor,
    };
  }
}

/** Skills are tags: `Machine Learning` and `machine-learning` are one skill. */
function normalizeSkills(skills: string[]): string[] {
  const normalized = skills.map((skill) => normalizeTag(skill.trim().replace(/\s+/g, '-')));
  const bad = skills.filter((_, i) => normalized[i] === null);
  if (bad.length)
    throw new InvalidInput('Skills start with a letter and hold letters, digits, - and _', [
      { field: 'skills', message: `not a skill: ${bad.slice(0, 3).join(', ')}` },
    ]);
  const unique = [...new Set(normalized as string[])];
  if (unique.length > MAX_SKILLS)
    throw new InvalidInput(`At most ${MAX_SKILLS} skills`, [{ field: 'skills', message: 'too many' }]);
  return unique;
}
