/**
 * Profiles: reading a person (by id or @handle, masked for partners) and editing your own. A profile is
 * created on first sign-in by FirstSignIn (first-sign-in.ts), which every module needs; this service
 * only the modules that show or change profiles.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { TransactItem } from '../../data/table';
import { versionedRewrite } from '../../data/versioned-rewrite';
import { loadMarkdown } from '../content/load-markdown';
import { normalizeTag } from '../content/names';
import type { DomainContext } from '../context';
import { EditConflict, InvalidInput, NotFound } from '../errors';
import { directoryWrites } from '../people/directory-entry';
import type { Principal } from '../principal';
import { canSeePerson } from '../spaces/space-access';
import { EDITABLE_PROFILE_FIELDS, type Profile, profileItem, skillItems, toProfile } from './profile';

export type ProfileChanges = Partial<Record<(typeof EDITABLE_PROFILE_FIELDS)[number], string>> & {
  skills?: string[];
  version: number;
};

const MAX_SKILLS = 30;

export class ProfileService {
  constructor(private readonly ctx: DomainContext) {}

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
    // What a person hid from their expertise is theirs to know.
    if (profile.userId !== principal.userId) delete profile.hiddenTopics;
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
    const legacy = item.version === undefined;
    if (changes.version !== currentVersion) throw new EditConflict('Your profile', currentVersion);
    // The profile keeps skills as written ("AWS", "Machine learning"); skill items are keyed by the
    // normalised form, which is what finds people and what tells two spellings apart from one skill.
    const skills =
      changes.skills === undefined ? (current.skills ?? []) : displaySkills(changes.skills, 'skills');
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
    // About is Markdown; search and previews read its plain text, made here once like a post's.
    if (updated.about) updated.aboutText = (await loadMarkdown()).plainText(updated.about);
    else delete updated.aboutText;
    const rewrite = versionedRewrite(profileItem(updated), {
      expectedVersion: currentVersion,
      counters: [],
      optional: [...EDITABLE_PROFILE_FIELDS, 'aboutText'],
    });
    if (legacy) {
      // A profile from before versions: it has none to compare.
      rewrite.Update!.ConditionExpression = 'attribute_not_exists(version)';
      delete (rewrite.Update!.ExpressionAttributeValues as Record<string, unknown>)[':expected'];
    }
    const before = skillKeys(current.skills ?? []);
    const after = skillKeys(skills);
    const added = after.filter((skill) => !before.includes(skill));
    const removed = before.filter((skill) => !after.includes(skill));
    // A changed name or title is not copied into skill items: a list by skill shows the profile's own.
    try {
      await this.ctx.table.transact([
        rewrite,
        ...skillItems(updated, added).map((Item) => ({ Put: { Item } })),
        ...removed.map((skill) => ({ Delete: { Key: keys.skill(principal.userId, skill) } }) as TransactItem),
        ...directoryWrites(current, updated),
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
}

/** Skills as the person wrote them (spaces tidied), one per skill: the first spelling of each wins. */
function displaySkills(skills: string[], field: string): string[] {
  normalizeSkills(skills, field); // refuses what is not a skill, and too many
  const byKey = new Map<string, string>();
  for (const skill of skills) {
    const [key] = skillKeys([skill]);
    if (!byKey.has(key)) byKey.set(key, skill.trim().replace(/\s+/g, ' '));
  }
  return [...byKey.values()];
}

/** The keys of skills as stored on a profile (older profiles stored the keys themselves). */
function skillKeys(skills: string[]): string[] {
  return [...new Set(skills.map((skill) => normalizeTag(skill.trim().replace(/\s+/g, '-')) ?? skill))];
}

/** Skills are tags: `Machine Learning` and `machine-learning` are one skill. */
function normalizeSkills(skills: string[], field: string): string[] {
  const normalized = skills.map((skill) => normalizeTag(skill.trim().replace(/\s+/g, '-')));
  const bad = skills.filter((_, i) => normalized[i] === null);
  if (bad.length)
    throw new InvalidInput('Skills start with a letter and hold letters, digits, - and _', [
      { field, message: `not a skill: ${bad.slice(0, 3).join(', ')}` },
    ]);
  const unique = [...new Set(normalized as string[])];
  if (unique.length > MAX_SKILLS)
    throw new InvalidInput(`At most ${MAX_SKILLS} skills`, [{ field, message: 'too many' }]);
  return unique;
}
