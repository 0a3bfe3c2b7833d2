/**
 * Profiles: a person's profile (and, for employees, their personal blog space) is created from the
 * token's claims the first time they call the API.
 */
import { keys } from '../../data/keys';
import { TransactionFailed } from '../../data/table';
import type { DomainContext } from '../context';
import { NotFound } from '../errors';
import { isPartner, type Principal } from '../principal';
import { canSeePerson } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import { handleFromEmail, type Profile, profileItem, toProfile } from './profile';

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
      createdAt: now,
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
}
