/**
 * @mention autocomplete: the people an author may mention in a space — those who may read it now, by
 * the same rule the notification fan-out applies to each recipient (recipientCanRead), and never
 * anyone the author may not see (a partner never sees another organisation's people).
 *
 * Constant requests: the space and the author's membership (one BatchGetItem), a name-prefix Query
 * of the employees' directory partition and of each sharing organisation's (a space is shared with a
 * handful; at most MAX_ORGS are read), an exact @handle Query, and one BatchGetItem of the
 * candidates' memberships when the space is not open to every employee.
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import type { DomainContext } from '../context';
import type { Principal } from '../principal';
import { toMember } from '../spaces/space';
import { canSeePerson } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import { recipientCanRead } from '../subscriptions/fanout-rules';
import { toProfile } from './profile';

const MAX_ORGS = 5;
/** Candidates read per partition: more than are shown, since some may not read the space. */
const READ_PER_PARTITION = 25;

export interface MentionCandidate {
  userId: string;
  name: string;
  handle: string;
  title?: string;
  org?: string;
}

export class MentionCandidates {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  async forSpace(
    principal: Principal,
    spaceId: string,
    prefix: string,
    limit: number,
  ): Promise<MentionCandidate[]> {
    const { space } = await this.spaces.loadReadable(principal, spaceId);
    const text = prefix.trim().replace(/^@/, '').toLowerCase();
    if (!text) return [];
    const orgs =
      space.audience === 'partners'
        ? space.partnerOrgs.filter((org) => canSeePerson(principal, { org })).slice(0, MAX_ORGS)
        : [];
    const partitions = [keys.peopleDirectory(undefined), ...orgs.map((org) => keys.peopleDirectory(org))];
    const pages = await Promise.all([
      ...partitions.map((partition) =>
        this.ctx.table.query({ index: 'GSI1', partition, beginsWith: text, limit: READ_PER_PARTITION }),
      ),
      this.ctx.table.query({ index: 'GSI2', partition: keys.handle(text), limit: 1 }),
    ]);
    const byId = new Map<string, Item>();
    for (const page of pages)
      for (const item of page.items) if (item.type === 'profile') byId.set(item.userId as string, item);
    const candidates = [...byId.values()]
      .map(toProfile)
      .filter((person) => person.userId !== principal.userId && canSeePerson(principal, person));
    // Membership matters unless every employee reads the space (and partners never read such a one).
    const needsMembership = space.audience !== 'employees';
    const members = needsMembership
      ? await this.ctx.table.getMany(candidates.map((person) => keys.member(space.id, person.userId)))
      : [];
    return candidates
      .filter((person, i) =>
        recipientCanRead(
          person as unknown as Record<string, unknown>,
          space,
          members[i] ? toMember(members[i]!) : undefined,
        ),
      )
      .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId))
      .slice(0, limit)
      .map(({ userId, name, handle, title, org }) => ({
        userId,
        name,
        handle,
        ...(title ? { title } : {}),
        ...(org ? { org } : {}),
      }));
  }
}
