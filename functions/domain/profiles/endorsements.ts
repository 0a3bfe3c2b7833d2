/**
 * Endorsements: colleagues vouch for a person's skill ("tagged by 5 people", and who), and the person
 * can remove any endorsement from their profile. One item per (person, skill, endorser) under the
 * endorsed person, so reading all of a person's endorsements is one Query, whatever their number
 * (bounded by MAX_READ, which is far above what a profile shows).
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import { normalizeTag } from '../content/names';
import type { DomainContext } from '../context';
import { Conflict, InvalidInput, NotFound } from '../errors';
import type { Principal } from '../principal';
import { canSeePerson } from '../spaces/space-access';
import { toProfile } from './profile';

/** Items one read takes; a profile with more endorsements than this shows the first (by skill). */
const MAX_READ = 1000;

export interface Endorser {
  userId: string;
  name: string;
  org?: string;
}

export interface SkillEndorsements {
  skill: string;
  /** Endorsers the caller may see, and only those are counted. */
  count: number;
  endorsers: Endorser[];
  endorsedByMe: boolean;
}

/** A skill as a key: "Machine Learning" and "machine-learning" are one. Undefined when it is not one. */
export function skillKey(skill: string): string | undefined {
  return normalizeTag(skill.trim().replace(/\s+/g, '-')) ?? undefined;
}

function requiredSkillKey(skill: string): string {
  const key = skillKey(skill);
  if (!key)
    throw new InvalidInput('Skills start with a letter and hold letters, digits, - and _', [
      { field: 'skill', message: `not a skill: ${skill.slice(0, 60)}` },
    ]);
  return key;
}

export class EndorsementService {
  constructor(private readonly ctx: DomainContext) {}

  /** A person's endorsements as the caller may see them: one GetItem and one Query. */
  async list(principal: Principal, userId: string): Promise<SkillEndorsements[]> {
    const [, page] = await Promise.all([
      this.visibleProfile(principal, userId),
      this.ctx.table.query({
        partition: keys.profile(userId).PK,
        beginsWith: keys.endorsementPrefix,
        limit: MAX_READ,
      }),
    ]);
    const bySkill = new Map<string, SkillEndorsements>();
    for (const item of page.items) {
      const skill = item.skill as string;
      const endorser: Endorser = {
        userId: item.endorserId as string,
        name: item.endorserName as string,
        ...(item.endorserOrg ? { org: item.endorserOrg as string } : {}),
      };
      // Another partner organisation's people are neither shown nor counted.
      if (!canSeePerson(principal, endorser)) continue;
      const entry = bySkill.get(skill) ?? { skill, count: 0, endorsers: [], endorsedByMe: false };
      entry.count++;
      entry.endorsers.push(endorser);
      if (endorser.userId === principal.userId) entry.endorsedByMe = true;
      bySkill.set(skill, entry);
    }
    return [...bySkill.values()].sort((a, b) => b.count - a.count || a.skill.localeCompare(b.skill));
  }

  /** The caller endorses a skill of someone they may see (not themselves). Idempotent. */
  async endorse(principal: Principal, userId: string, skill: string): Promise<SkillEndorsements[]> {
    const key = requiredSkillKey(skill);
    if (userId === principal.userId)
      throw new Conflict('You cannot endorse your own skills', [{ field: 'userId', message: 'yourself' }]);
    await this.visibleProfile(principal, userId);
    const item: Item = {
      ...keys.endorsement(userId, key, principal.userId),
      type: 'endorsement',
      userId,
      skill: key,
      endorserId: principal.userId,
      endorserName: principal.name,
      ...(principal.org ? { endorserOrg: principal.org } : {}),
      createdAt: this.ctx.clock.now().toISOString(),
    };
    await this.ctx.table.put(item);
    return this.list(principal, userId);
  }

  /** The caller withdraws their own endorsement. Idempotent. */
  async withdraw(principal: Principal, userId: string, skill: string): Promise<SkillEndorsements[]> {
    const key = requiredSkillKey(skill);
    await this.visibleProfile(principal, userId);
    await this.ctx.table.delete(keys.endorsement(userId, key, principal.userId));
    return this.list(principal, userId);
  }

  /** The caller removes someone's endorsement from their own profile. Idempotent. */
  async removeFromMine(
    principal: Principal,
    skill: string,
    endorserId: string,
  ): Promise<SkillEndorsements[]> {
    const key = requiredSkillKey(skill);
    await this.ctx.table.delete(keys.endorsement(principal.userId, key, endorserId));
    return this.list(principal, principal.userId);
  }

  private async visibleProfile(principal: Principal, userId: string) {
    const item = await this.ctx.table.get(keys.profile(userId));
    if (!item) throw new NotFound('Person');
    const profile = toProfile(item);
    if (!canSeePerson(principal, profile)) throw new NotFound('Person');
    return profile;
  }
}
