/** The space and membership records as the domain sees them, and their mapping to table items. */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import type { Audience, Role } from './space-access';

export interface Space {
  id: string;
  name: string;
  description: string;
  audience: Audience;
  partnerOrgs: string[];
  personalOf?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  memberCount: number;
  ownerCount: number;
}

export interface Member {
  spaceId: string;
  userId: string;
  name: string;
  org?: string;
  role: Role;
  joinedAt: string;
}

export function spaceItem(space: Space): Item {
  const sortName = `${space.name.toLowerCase()}#${space.id}`;
  return {
    ...keys.space(space.id),
    type: 'space',
    ...space,
    // Personal blogs are reached from their owner's profile, not listed in the directory.
    ...(space.audience === 'employees' && !space.personalOf
      ? { GSI1PK: keys.employeeSpaceDirectory, GSI1SK: sortName }
      : {}),
    GSI2PK: keys.allSpaces,
    GSI2SK: sortName,
  };
}

export function toSpace(item: Item): Space {
  return {
    id: item.id as string,
    name: item.name as string,
    description: (item.description as string) ?? '',
    audience: item.audience as Audience,
    partnerOrgs: (item.partnerOrgs as string[]) ?? [],
    ...(item.personalOf ? { personalOf: item.personalOf as string } : {}),
    createdBy: item.createdBy as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
    memberCount: (item.memberCount as number) ?? 0,
    ownerCount: (item.ownerCount as number) ?? 0,
  };
}

export function memberItem(member: Member, spaceName: string): Item {
  return {
    ...keys.member(member.spaceId, member.userId),
    type: 'member',
    ...member,
    spaceName,
    GSI1PK: keys.membershipsOf(member.userId),
    GSI1SK: `SPACE#${member.spaceId}`,
  };
}

export function toMember(item: Item): Member {
  return {
    spaceId: item.spaceId as string,
    userId: item.userId as string,
    name: item.name as string,
    ...(item.org ? { org: item.org as string } : {}),
    role: item.role as Role,
    joinedAt: item.joinedAt as string,
  };
}
