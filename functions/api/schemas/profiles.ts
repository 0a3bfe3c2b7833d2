/** Request schemas of the profiles module. */
import { z } from '@hono/zod-openapi';
import { optionalOrg, skill, timestamp, version } from './common';

const profileText = (max: number) => z.string().max(max).optional();
export const UpdateProfileBody = z
  .object({
    title: profileText(120).openapi({ description: 'Job title; an empty string clears it' }),
    department: profileText(120),
    location: profileText(120),
    phone: profileText(40),
    about: profileText(2000),
    skills: z
      .array(skill)
      .max(30)
      .optional()
      .openapi({ description: 'Replaces the list; normalised like tags' }),
    version,
  })
  .strict()
  .openapi('UpdateProfile');

export const ProfileView = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    handle: z.string(),
    org: optionalOrg,
    kind: z.enum(['employee', 'partner']),
    title: z.string().optional(),
    department: z.string().optional(),
    location: z.string().optional(),
    phone: z.string().optional(),
    about: z.string().optional(),
    skills: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp.optional(),
    version: z.number().int(),
  })
  .openapi('Profile');
export const MeView = ProfileView.extend({
  groups: z.array(z.enum(['employee', 'partner', 'admin'])),
}).openapi('Me');
export const PersonSummary = z
  .object({ userId: z.string(), name: z.string(), title: z.string().optional(), org: optionalOrg })
  .openapi('PersonSummary');
