/** Request schemas of the profiles module. */
import { z } from '@hono/zod-openapi';
import { PageQuery, version } from './common';

const profileText = (max: number) => z.string().max(max).optional();
export const UpdateProfileBody = z
  .object({
    title: profileText(120).openapi({ description: 'Job title; an empty string clears it' }),
    department: profileText(120),
    location: profileText(120),
    phone: profileText(40),
    about: profileText(2000),
    skills: z
      .array(z.string().max(60))
      .max(30)
      .optional()
      .openapi({ description: 'Replaces the list; normalised like tags' }),
    version,
  })
  .strict()
  .openapi('UpdateProfile');
export const SkillQuery = PageQuery.extend({
  skill: z.string().trim().min(1).max(50).openapi({ description: 'A skill, e.g. kubernetes' }),
});
