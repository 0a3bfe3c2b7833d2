/** Request schemas of the spaces module: spaces, members, sharing, organisations. */
import { z } from '@hono/zod-openapi';
import {
  chosenId,
  id,
  optionalOrg,
  PageQuery,
  pageOf,
  SpaceIdParam,
  someText,
  timestamp,
  version,
} from './common';
import { emailDomain, isoDate, ProviderInput, ProviderView } from './partners';

export const MemberParams = SpaceIdParam.extend({
  userId: id.openapi({ param: { name: 'userId', in: 'path' } }),
});

export const SpaceListQuery = PageQuery.extend({
  scope: z.enum(['mine', 'directory', 'all']).default('mine'),
});

export const CreateSpaceBody = z
  .object({
    id: chosenId.optional().openapi({ description: 'A readable id for the URL; generated when absent' }),
    name: someText(120),
    description: z.string().max(2000).optional(),
    audience: z.enum(['employees', 'members']).default('employees'),
  })
  .strict()
  .openapi('CreateSpace');

export const UpdateSpaceBody = z
  .object({
    name: someText(120).optional(),
    description: z.string().max(2000).optional(),
    audience: z.enum(['employees', 'members']).optional(),
    version,
  })
  .strict()
  .openapi('UpdateSpace');

export const SharingBody = z
  .object({ partnerOrgs: z.array(id).max(50), version })
  .strict()
  .openapi('Sharing');
export const MemberBody = z
  .object({ role: z.enum(['owner', 'editor', 'reader']) })
  .strict()
  .openapi('MemberRole');

export const OrganisationBody = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
    name: someText(120),
    emailDomains: z.array(emailDomain).max(20).default([]),
    provider: ProviderInput.optional(),
    accessEndsAt: isoDate.optional(),
  })
  .strict()
  .openapi('OrganisationInput');

export const SpaceView = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    audience: z.enum(['employees', 'members', 'partners']),
    partnerOrgs: z.array(z.string()),
    personalOf: z.string().optional(),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
    memberCount: z.number().int().optional(),
    ownerCount: z.number().int().optional(),
    myRole: z.enum(['owner', 'editor', 'reader']).optional(),
    permissions: z.object({
      contribute: z.boolean(),
      manage: z.boolean(),
      join: z.boolean(),
      leave: z.boolean(),
    }),
  })
  .openapi('Space');
export const SpacePage = pageOf(SpaceView, 'Space');
export const MemberView = z
  .object({
    spaceId: z.string(),
    userId: z.string(),
    name: z.string(),
    org: optionalOrg,
    role: z.enum(['owner', 'editor', 'reader']),
    joinedAt: timestamp,
  })
  .openapi('Member');
export const MemberPage = pageOf(MemberView, 'Member');
/** Everyone sees id, name and date; admins see the rest (AdminOrganisation). */
export const OrganisationView = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: timestamp,
    emailDomains: z.array(z.string()).optional(),
    provider: ProviderView.optional(),
    status: z.enum(['active', 'suspended']).optional(),
    accessEndsAt: timestamp.optional(),
    version: z.number().optional(),
  })
  .openapi('Organisation');
export const OrganisationList = z.object({ items: z.array(OrganisationView) }).openapi('OrganisationList');
