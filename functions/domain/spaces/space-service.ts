/**
 * Spaces: creation, listing, settings, membership and sharing with partner organisations. Every method
 * takes the caller's principal and checks space-access rules before it reads or writes anything else.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, Page, TransactItem } from '../../data/table';
import { versionedRewrite } from '../../data/versioned-rewrite';
import { auditPut } from '../audit/audit-record';
import type { DomainContext } from '../context';
import { Conflict, EditConflict, Forbidden, InvalidInput, MissingReference, NotFound } from '../errors';
import type { OrganisationService } from '../orgs/organisations';
import { isAdmin, isEmployee, isPartner, type Principal } from '../principal';
import { toProfile } from '../profiles/profile';
import { type Member, memberItem, type Space, spaceItem, toMember, toSpace } from './space';
import {
  type Audience,
  canBeMember,
  canJoin,
  canManage,
  canRead,
  canSeePerson,
  type Role,
} from './space-access';

export interface SpaceView extends Space {
  /** The caller's role, if a member. */
  myRole?: Role;
  permissions: { contribute: boolean; manage: boolean; join: boolean; leave: boolean };
}

/** A space with the caller's membership, loaded in one BatchGetItem together with any extra items. */
export interface LoadedSpace {
  space: Space;
  membership?: Member;
  extras: (Item | undefined)[];
}

export class SpaceService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly orgs: OrganisationService,
  ) {}

  /**
   * Loads a space the caller may read, plus `extraKeys`, in a single round trip. Unreadable and missing
   * spaces are indistinguishable (404), so existence does not leak.
   */
  async loadReadable(
    principal: Principal,
    spaceId: string,
    extraKeys: { PK: string; SK: string }[] = [],
  ): Promise<LoadedSpace> {
    const [spaceRecord, memberRecord, ...extras] = await this.ctx.table.getMany([
      keys.space(spaceId),
      keys.member(spaceId, principal.userId),
      ...extraKeys,
    ]);
    if (!spaceRecord) throw new NotFound('Space');
    const space = toSpace(spaceRecord);
    const membership = memberRecord ? toMember(memberRecord) : undefined;
    if (!canRead(principal, space, membership)) throw new NotFound('Space');
    return { space, membership, extras };
  }

  /** Of the given spaces, those the caller may read, with their membership (one BatchGetItem). */
  async readableAmong(
    principal: Principal,
    spaceIds: string[],
  ): Promise<Map<string, { space: Space; membership?: Member }>> {
    const unique = [...new Set(spaceIds)];
    const records = await this.ctx.table.getMany(
      unique.flatMap((id) => [keys.space(id), keys.member(id, principal.userId)]),
    );
    const readable = new Map<string, { space: Space; membership?: Member }>();
    unique.forEach((id, i) => {
      const spaceRecord = records[2 * i];
      const memberRecord = records[2 * i + 1];
      if (!spaceRecord) return;
      const space = toSpace(spaceRecord);
      const membership = memberRecord ? toMember(memberRecord) : undefined;
      if (canRead(principal, space, membership)) readable.set(id, { space, membership });
    });
    return readable;
  }

  async get(principal: Principal, spaceId: string): Promise<SpaceView> {
    const { space, membership } = await this.loadReadable(principal, spaceId);
    return view(principal, space, membership);
  }

  async create(
    principal: Principal,
    input: { id?: string; name: string; description?: string; audience: Exclude<Audience, 'partners'> },
  ): Promise<SpaceView> {
    if (!isEmployee(principal)) throw new Forbidden('Only employees can create spaces');
    // `~<userId>` is every person's own blog, created at their first sign-in: nobody may take it first.
    if (input.id?.startsWith('~')) {
      throw new InvalidInput('Space ids starting with ~ are reserved for personal blogs', [
        { field: 'id', message: 'reserved' },
      ]);
    }
    const now = this.ctx.clock.now().toISOString();
    const space: Space = {
      id: input.id ?? this.ctx.ids.next(),
      name: input.name,
      description: input.description ?? '',
      audience: input.audience,
      partnerOrgs: [],
      createdBy: principal.userId,
      createdAt: now,
      updatedAt: now,
      version: 1,
      memberCount: 1,
      ownerCount: 1,
    };
    const owner: Member = {
      spaceId: space.id,
      userId: principal.userId,
      name: principal.name,
      role: 'owner',
      joinedAt: now,
    };
    try {
      await this.ctx.table.transact([
        { Put: { Item: spaceItem(space), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { Item: memberItem(owner, space.name) } },
        auditPut(this.ctx, principal, {
          kind: 'member.added',
          target: `space:${space.id}`,
          after: { member: memberState(owner), audience: space.audience },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed)
        throw new Conflict(`A space with id ${space.id} already exists`);
      throw error;
    }
    return view(principal, space, owner);
  }

  /** Creates a person's own blog space if it does not exist yet (first sign-in). */
  personalSpaceItems(profile: { userId: string; name: string }, now: string): TransactItem[] {
    const space: Space = {
      id: personalSpaceId(profile.userId),
      name: `${profile.name}'s blog`,
      description: '',
      audience: 'employees',
      partnerOrgs: [],
      personalOf: profile.userId,
      createdBy: profile.userId,
      createdAt: now,
      updatedAt: now,
      version: 1,
      memberCount: 1,
      ownerCount: 1,
    };
    const owner: Member = {
      spaceId: space.id,
      userId: profile.userId,
      name: profile.name,
      role: 'owner',
      joinedAt: now,
    };
    return [
      { Put: { Item: spaceItem(space), ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { Item: memberItem(owner, space.name), ConditionExpression: 'attribute_not_exists(PK)' } },
    ];
  }

  /**
   * Lists spaces: `mine` (memberships), `directory` (employees: spaces open to all employees;
   * partners: spaces shared with their organisation) or `all` (admins).
   */
  async list(
    principal: Principal,
    scope: 'mine' | 'directory' | 'all',
    limit: number,
    cursor?: string,
  ): Promise<Page<SpaceView>> {
    const table = this.ctx.table;
    if (scope === 'all') {
      if (!isAdmin(principal)) throw new Forbidden('Only admins can list every space');
      return this.withMemberships(
        principal,
        await table.query({ index: 'GSI2', partition: keys.allSpaces, limit, cursor }),
      );
    }
    if (scope === 'directory' && !isPartner(principal)) {
      if (!isEmployee(principal)) return { items: [] };
      return this.withMemberships(
        principal,
        await table.query({ index: 'GSI1', partition: keys.employeeSpaceDirectory, limit, cursor }),
      );
    }
    // Memberships, or for partners the spaces shared with their organisation: resolve the spaces and
    // re-check each, so a stale membership or share never shows a space the caller cannot read.
    const page =
      scope === 'mine'
        ? await table.query({ index: 'GSI1', partition: keys.membershipsOf(principal.userId), limit, cursor })
        : principal.org
          ? await table.query({ index: 'GSI1', partition: keys.sharedWith(principal.org), limit, cursor })
          : { items: [] as Item[], cursor: undefined };
    const readable = await this.readableAmong(
      principal,
      page.items.map((item) => item.spaceId as string),
    );
    return {
      items: [...readable.values()].map(({ space, membership }) => view(principal, space, membership)),
      cursor: page.cursor,
    };
  }

  /** Views of a page of space items, with the caller's membership of each (one BatchGetItem). */
  private async withMemberships(principal: Principal, page: Page<Item>): Promise<Page<SpaceView>> {
    const spaces = page.items.map(toSpace);
    const memberships = await this.ctx.table.getMany(spaces.map((s) => keys.member(s.id, principal.userId)));
    return {
      items: spaces.map((s, i) => view(principal, s, memberships[i] ? toMember(memberships[i]!) : undefined)),
      cursor: page.cursor,
    };
  }

  async update(
    principal: Principal,
    spaceId: string,
    input: { name?: string; description?: string; audience?: Exclude<Audience, 'partners'>; version: number },
  ): Promise<SpaceView> {
    const { space, membership } = await this.loadReadable(principal, spaceId);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins can change a space');
    if (space.personalOf && input.audience && input.audience !== space.audience) {
      throw new Conflict('A personal blog is always open to employees', [
        { field: 'audience', message: 'cannot change' },
      ]);
    }
    if (input.audience && space.audience === 'partners') {
      throw new Conflict('Unshare the space from all partner organisations before changing its audience', [
        { field: 'audience', message: 'space is shared with partners' },
      ]);
    }
    const updated: Space = {
      ...space,
      name: input.name ?? space.name,
      description: input.description ?? space.description,
      audience: input.audience ?? space.audience,
      updatedAt: this.ctx.clock.now().toISOString(),
      version: space.version + 1,
    };
    await this.putVersioned(updated, input.version, []);
    return view(principal, updated, membership);
  }

  /**
   * Shares the space with exactly `partnerOrgs` (an empty list unshares it). The space's audience
   * becomes 'partners' while shared and 'members' once unshared; share items for the per-organisation
   * listing change in the same transaction.
   */
  async setSharing(
    principal: Principal,
    spaceId: string,
    input: { partnerOrgs: string[]; version: number },
  ): Promise<SpaceView> {
    const { space, membership } = await this.loadReadable(principal, spaceId);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins can share a space');
    if (space.personalOf)
      throw new Conflict('A personal blog cannot be shared with partners', [
        { field: 'partnerOrgs', message: 'personal space' },
      ]);
    const wanted = [...new Set(input.partnerOrgs)].sort();
    const unknown = await this.orgs.unknown(wanted);
    if (unknown.length) {
      throw new MissingReference(
        `Unknown partner organisation: ${unknown.join(', ')}`,
        unknown.map((id) => ({ field: 'partnerOrgs', message: `unknown organisation ${id}` })),
      );
    }
    const updated: Space = {
      ...space,
      partnerOrgs: wanted,
      audience: wanted.length ? 'partners' : space.audience === 'partners' ? 'members' : space.audience,
      updatedAt: this.ctx.clock.now().toISOString(),
      version: space.version + 1,
    };
    const added = wanted.filter((org) => !space.partnerOrgs.includes(org));
    const removed = space.partnerOrgs.filter((org) => !wanted.includes(org));
    // Who can see the space changes: one audit record, in the same transaction.
    const audit: TransactItem[] =
      added.length || removed.length
        ? [
            auditPut(this.ctx, principal, {
              kind: wanted.length ? 'space.shared' : 'space.unshared',
              target: `space:${space.id}`,
              before: { partnerOrgs: space.partnerOrgs, audience: space.audience },
              after: { partnerOrgs: wanted, audience: updated.audience },
            }),
          ]
        : [];
    const shareItems: TransactItem[] = [
      ...added.map((org) => ({
        Put: {
          Item: {
            ...keys.share(space.id, org),
            type: 'share',
            spaceId: space.id,
            org,
            GSI1PK: keys.sharedWith(org),
            GSI1SK: `${updated.name.toLowerCase()}#${space.id}`,
          },
        },
      })),
      ...removed.map((org) => ({ Delete: { Key: keys.share(space.id, org) } })),
    ];
    // Who shared it, for the fan-out's "shared with your organisation" (read from the stream image).
    await this.putVersioned(
      { ...updated, sharedBy: principal.userId, sharedByName: principal.name } as Space,
      input.version,
      [...shareItems, ...audit],
    );
    return view(principal, updated, membership);
  }

  async members(
    principal: Principal,
    spaceId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<Member>> {
    await this.loadReadable(principal, spaceId);
    const page = await this.ctx.table.query({
      partition: keys.space(spaceId).PK,
      beginsWith: keys.memberPrefix,
      limit,
      cursor,
    });
    // A partner never sees the people of another partner organisation, even in a space both share.
    const members = page.items.map(toMember).filter((m) => canSeePerson(principal, m));
    return { items: members, cursor: page.cursor };
  }

  async join(principal: Principal, spaceId: string): Promise<SpaceView> {
    const { space, membership } = await this.loadReadable(principal, spaceId);
    if (!canJoin(principal, space, membership)) {
      if (membership) throw new Conflict('You are already a member of this space');
      throw new Forbidden('This space is joined by invitation only');
    }
    const member: Member = {
      spaceId,
      userId: principal.userId,
      name: principal.name,
      ...(principal.org ? { org: principal.org } : {}),
      role: 'editor',
      joinedAt: this.ctx.clock.now().toISOString(),
    };
    await this.addMember(principal, space, member);
    return view(principal, { ...space, memberCount: space.memberCount + 1 }, member);
  }

  async leave(principal: Principal, spaceId: string): Promise<void> {
    const { space, membership } = await this.loadReadable(principal, spaceId);
    if (!membership) throw new Conflict('You are not a member of this space');
    await this.removeMember(principal, space, membership);
  }

  /** Adds a person or changes their role (managers only). */
  async setMember(principal: Principal, spaceId: string, userId: string, role: Role): Promise<Member> {
    const { space, membership, extras } = await this.loadReadable(principal, spaceId, [
      keys.profile(userId),
      keys.member(spaceId, userId),
    ]);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins can manage members');
    const [profileRecord, existingRecord] = extras;
    if (!profileRecord) throw new NotFound('Person');
    const profile = toProfile(profileRecord);
    if (profile.org && role === 'owner') {
      // Owners manage the space; partners never do, so an external owner would be an owner in name only.
      throw new Conflict('Partner users can be editors or readers, not owners', [
        { field: 'role', message: 'not for partners' },
      ]);
    }
    if (!canBeMember(profile, space)) {
      throw new Conflict('This person cannot be a member: their organisation is not shared with this space', [
        { field: 'userId', message: 'not eligible' },
      ]);
    }
    const now = this.ctx.clock.now().toISOString();
    if (!existingRecord) {
      const member: Member = {
        spaceId,
        userId,
        name: profile.name,
        ...(profile.org ? { org: profile.org } : {}),
        role,
        joinedAt: now,
      };
      await this.addMember(principal, space, member);
      return member;
    }
    const existing = toMember(existingRecord);
    if (existing.role === role) return existing;
    const ownerDelta = (role === 'owner' ? 1 : 0) - (existing.role === 'owner' ? 1 : 0);
    try {
      await this.ctx.table.transact([
        {
          Update: {
            Key: keys.member(spaceId, userId),
            UpdateExpression: 'SET #role = :role',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':role': role },
          },
        },
        ownerCountUpdate(spaceId, ownerDelta),
        auditPut(this.ctx, principal, {
          kind: 'member.role-changed',
          target: `space:${spaceId}`,
          before: { member: { userId, role: existing.role } },
          after: { member: { userId, role } },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new Conflict('A space must keep at least one owner');
      throw error;
    }
    return { ...existing, role };
  }

  async removeMemberById(principal: Principal, spaceId: string, userId: string): Promise<void> {
    if (userId === principal.userId) return this.leave(principal, spaceId);
    const { space, membership, extras } = await this.loadReadable(principal, spaceId, [
      keys.member(spaceId, userId),
    ]);
    if (!canManage(principal, space, membership))
      throw new Forbidden('Only owners and admins can remove members');
    if (!extras[0]) throw new NotFound('Member');
    await this.removeMember(principal, space, toMember(extras[0]));
  }

  private async addMember(actor: Principal, space: Space, member: Member) {
    try {
      await this.ctx.table.transact([
        { Put: { Item: memberItem(member, space.name), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Update: {
            Key: keys.space(space.id),
            UpdateExpression: 'ADD memberCount :one, ownerCount :owner',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':one': 1, ':owner': member.role === 'owner' ? 1 : 0 },
          },
        },
        auditPut(this.ctx, actor, {
          kind: 'member.added',
          target: `space:${space.id}`,
          after: { member: memberState(member) },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed)
        throw new Conflict('Already a member, or the space was deleted');
      throw error;
    }
  }

  private async removeMember(actor: Principal, space: Space, member: Member) {
    if (space.personalOf === member.userId) throw new Conflict('You cannot leave your own blog');
    try {
      await this.ctx.table.transact([
        {
          Delete: { Key: keys.member(space.id, member.userId), ConditionExpression: 'attribute_exists(PK)' },
        },
        {
          Update: {
            Key: keys.space(space.id),
            UpdateExpression: 'ADD memberCount :minus, ownerCount :owner',
            // The last owner cannot leave: someone must be able to manage the space.
            ConditionExpression: member.role === 'owner' ? 'ownerCount > :one' : 'attribute_exists(PK)',
            ExpressionAttributeValues: {
              ':minus': -1,
              ':owner': member.role === 'owner' ? -1 : 0,
              ...(member.role === 'owner' ? { ':one': 1 } : {}),
            },
          },
        },
        auditPut(this.ctx, actor, {
          kind: 'member.removed',
          target: `space:${space.id}`,
          before: { member: memberState(member) },
        }),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new Conflict('A space must keep at least one owner');
      throw error;
    }
  }

  private async putVersioned(space: Space, expectedVersion: number, more: TransactItem[]) {
    if (expectedVersion !== space.version - 1) throw new EditConflict('The space', space.version - 1);
    try {
      await this.ctx.table.transact([
        // memberCount and ownerCount move by ADD (join, leave, roles): rewriting them from what was
        // loaded would lose those changes. The directory keys go when the audience stops being 'employees'.
        versionedRewrite(spaceItem(space), {
          expectedVersion,
          counters: ['memberCount', 'ownerCount'],
          optional: ['GSI1PK', 'GSI1SK'],
        }),
        ...more,
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0)) {
        const current = await this.ctx.table.get(keys.space(space.id));
        throw new EditConflict('The space', (current?.version as number) ?? 0);
      }
      throw error;
    }
  }
}

function ownerCountUpdate(spaceId: string, delta: number): TransactItem {
  return {
    Update: {
      Key: keys.space(spaceId),
      UpdateExpression: 'ADD ownerCount :delta',
      ConditionExpression: delta < 0 ? 'ownerCount > :one' : 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':delta': delta, ...(delta < 0 ? { ':one': 1 } : {}) },
    },
  };
}

export const personalSpaceId = (userId: string) => `~${userId}`;

const memberState = (m: Member) => ({ userId: m.userId, role: m.role, ...(m.org ? { org: m.org } : {}) });

function view(principal: Principal, space: Space, membership?: Member): SpaceView {
  const readable = canRead(principal, space, membership);
  return {
    ...space,
    // Which other organisations a space is shared with is not a partner's business.
    partnerOrgs: principal.org ? space.partnerOrgs.filter((org) => org === principal.org) : space.partnerOrgs,
    // Counts would reveal members a partner may not see (another organisation's people).
    ...(principal.org ? { memberCount: undefined, ownerCount: undefined } : {}),
    ...(membership ? { myRole: membership.role } : {}),
    permissions: {
      contribute:
        readable && (isAdmin(principal) || membership?.role === 'owner' || membership?.role === 'editor'),
      manage: canManage(principal, space, membership),
      join: canJoin(principal, space, membership),
      leave: !!membership && space.personalOf !== principal.userId,
    },
  };
}
