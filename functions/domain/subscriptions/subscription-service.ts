/**
 * Follows, watches and mutes: the caller subscribes only to what they can read now (anything else is a
 * 404, never a 403 that would confirm it exists), and lists what they follow and watch, one Query per
 * list. The fan-out checks access again when it tells anyone, so a subscription never outlives access.
 */
import { keys } from '../../data/keys';
import type { Item, Page } from '../../data/table';
import { normalizeTag } from '../content/names';
import type { DomainContext } from '../context';
import { Conflict, InvalidInput, NotFound } from '../errors';
import type { Principal } from '../principal';
import type { ProfileService } from '../profiles/profile-service';
import type { SpaceService } from '../spaces/space-service';
import { type WatchSettings, watchSettingsOf } from './fanout-rules';
import {
  type Follow,
  type FollowLevel,
  followItem,
  targetKey,
  toFollow,
  toWatch,
  type Watch,
  type WatchLevel,
  type WatchTarget,
  watchItem,
} from './subscription';

export class SubscriptionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
    private readonly profiles: ProfileService,
  ) {}

  /** Follows (or mutes) a person the caller may see. */
  async follow(principal: Principal, userId: string, level: FollowLevel): Promise<Follow> {
    if (userId === principal.userId)
      throw new Conflict('You cannot follow yourself', [{ field: 'userId', message: 'is you' }]);
    const person = await this.profiles.get(principal, userId);
    if (person.userId !== userId) throw new NotFound('Person'); // found by handle: not this id
    const follow: Follow = {
      userId,
      name: person.name,
      level,
      since: this.ctx.clock.now().toISOString(),
    };
    await this.ctx.table.put(followItem(principal.userId, follow));
    return follow;
  }

  async unfollow(principal: Principal, userId: string): Promise<void> {
    await this.ctx.table.delete(keys.follow(principal.userId, userId));
  }

  /** Watches (or mutes) a space, tag, page or post the caller can read. */
  async watch(principal: Principal, target: WatchTarget, level: WatchLevel): Promise<Watch> {
    const normalised = normaliseTarget(target);
    const label = await this.readableLabel(principal, normalised);
    const watch = { label, level, since: this.ctx.clock.now().toISOString() };
    await this.ctx.table.put(watchItem(principal.userId, normalised, watch));
    return { kind: normalised.kind, ...withoutKind(normalised), ...watch };
  }

  /** Removes a watch or mute; removing one that is not there is not an error (idempotent DELETE). */
  async unwatch(principal: Principal, target: WatchTarget): Promise<void> {
    const normalised = normaliseTarget(target);
    await this.ctx.table.delete(keys.subscription(principal.userId, normalised.kind, targetKey(normalised)));
  }

  /** The caller's choices about watching what they take part in (all on unless turned off). */
  async settings(principal: Principal): Promise<WatchSettings> {
    return watchSettingsOf(await this.ctx.table.get(keys.subscriptionSettings(principal.userId)));
  }

  /** Changes some of those choices; the ones left out stay as they are. */
  async setSettings(principal: Principal, input: Partial<WatchSettings>): Promise<WatchSettings> {
    const settings = { ...(await this.settings(principal)), ...definedOnly(input) };
    await this.ctx.table.put({
      ...keys.subscriptionSettings(principal.userId),
      type: 'subscriptionSettings',
      userId: principal.userId,
      ...settings,
    });
    return settings;
  }

  async follows(principal: Principal, limit: number, cursor?: string): Promise<Page<Follow>> {
    return this.mine(principal, keys.followPrefix, toFollow, limit, cursor);
  }

  async watches(principal: Principal, limit: number, cursor?: string): Promise<Page<Watch>> {
    return this.mine(principal, keys.subscriptionPrefix, toWatch, limit, cursor);
  }

  /** One Query of the caller's own partition. */
  private async mine<T>(
    principal: Principal,
    prefix: string,
    map: (item: Item) => T,
    limit: number,
    cursor?: string,
  ): Promise<Page<T>> {
    const page = await this.ctx.table.query({
      partition: keys.profile(principal.userId).PK,
      beginsWith: prefix,
      limit,
      cursor,
    });
    return { items: page.items.map(map), cursor: page.cursor };
  }

  /** The target's name if the caller can read it now; 404 otherwise (drafts of others, deleted pages too). */
  private async readableLabel(principal: Principal, target: WatchTarget): Promise<string> {
    switch (target.kind) {
      case 'tag':
        // A tag spans spaces: watching it is open to all; each post is checked when it is told.
        return `#${target.tag}`;
      case 'space':
        return (await this.spaces.loadReadable(principal, target.spaceId)).space.name;
      case 'post': {
        const loaded = await this.spaces.loadReadable(principal, target.spaceId, [
          keys.post(target.spaceId, target.postId),
        ]);
        const post = loaded.extras[0];
        if (!post || (post.status !== 'published' && post.authorId !== principal.userId))
          throw new NotFound('Post');
        return post.title as string;
      }
      case 'page': {
        const loaded = await this.spaces.loadReadable(principal, target.spaceId, [
          keys.page(target.spaceId, target.pageId),
        ]);
        const page = loaded.extras[0];
        if (!page || page.deleting) throw new NotFound('Page');
        return page.title as string;
      }
    }
  }
}

function normaliseTarget(target: WatchTarget): WatchTarget {
  if (target.kind !== 'tag') return target;
  const tag = normalizeTag(target.tag);
  if (!tag) throw new InvalidInput('Not a tag', [{ field: 'tag', message: 'not a tag' }]);
  return { kind: 'tag', tag };
}

function definedOnly(input: Partial<WatchSettings>): Partial<WatchSettings> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => typeof value === 'boolean'));
}

function withoutKind(target: WatchTarget) {
  const { kind: _kind, ...rest } = target;
  return rest;
}
