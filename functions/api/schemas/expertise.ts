/** Schemas of expertise, "knows about", activity, endorsements, topic choices and @mention candidates. */
import { z } from '@hono/zod-openapi';
import { cursor, optionalOrg, skill, timestamp, version } from './common';

export const ExpertiseQuery = z.object({
  topic: z
    .string()
    .max(100)
    .regex(/\S/, 'cannot be empty')
    .openapi({ description: 'A tag, a skill or any search words, e.g. kubernetes', example: 'kubernetes' }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const contributionKind = z.enum(['wrote', 'edited', 'commented', 'saved']);
const documentType = z.enum(['post', 'comment', 'page', 'bookmark', 'profile']);
const ActivityItem = z
  .object({
    kind: contributionKind,
    type: documentType,
    title: z.string(),
    url: z.string(),
    updatedAt: timestamp,
    spaceId: z.string().optional(),
    spaceName: z.string().optional(),
    tags: z.array(z.string()),
  })
  .openapi('ActivityItem');
const EvidenceItem = ActivityItem.extend({
  tagged: z.boolean().openapi({ description: "The document's tags name the topic" }),
}).openapi('Evidence');

export const ExpertiseResponse = z
  .object({
    topic: z.string(),
    tag: z.string().optional().openapi({ description: 'The topic read as a tag, when it is one' }),
    people: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        title: z.string().optional(),
        department: z.string().optional(),
        org: optionalOrg,
        score: z
          .number()
          .openapi({ description: 'Σ kind × tagged × recency over the visible contributions' }),
        contributions: z.number().int(),
        pinned: z.boolean().openapi({ description: 'The person pinned this topic' }),
        evidence: z.array(EvidenceItem),
      }),
    ),
  })
  .openapi('Expertise');

export const KnowsAboutResponse = z
  .object({
    pinned: z.array(z.string()),
    derived: z.array(z.object({ topic: z.string(), score: z.number(), count: z.number().int() })),
    hidden: z.array(z.string()).optional().openapi({ description: 'Only on your own profile' }),
  })
  .openapi('KnowsAbout');

export const ActivityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: cursor(600),
});
export const ActivityPageResponse = z
  .object({ items: z.array(ActivityItem), cursor: z.string().optional() })
  .openapi('ActivityPage');

export const TopicChoicesBody = z
  .object({
    hidden: z.array(skill).max(30).openapi({ description: 'Topics not to be listed for; replaces the list' }),
    pinned: z.array(skill).max(30).openapi({ description: 'Topics to be known for; replaces the list' }),
    version,
  })
  .strict()
  .openapi('TopicChoices');
export const TopicChoicesResponse = z
  .object({ hidden: z.array(z.string()), pinned: z.array(z.string()), version: z.number().int() })
  .openapi('TopicChoicesSaved');

export const SkillParam = z.object({
  skill: skill.openapi({ param: { name: 'skill', in: 'path' }, example: 'kubernetes' }),
});
export const EndorsementsResponse = z
  .object({
    items: z.array(
      z.object({
        skill: z.string(),
        count: z.number().int().openapi({ description: 'Endorsers you may see' }),
        endorsers: z.array(z.object({ userId: z.string(), name: z.string(), org: optionalOrg })),
        endorsedByMe: z.boolean(),
      }),
    ),
  })
  .openapi('Endorsements');

export const MentionQuery = z.object({
  q: z
    .string()
    .min(1)
    .max(50)
    .regex(/^@?[^#@\s][^#@]*$/, 'the start of a name or @handle')
    .openapi({ description: 'What follows the @ so far', example: 'bo' }),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});
export const MentionCandidatesResponse = z
  .object({
    items: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        handle: z.string(),
        title: z.string().optional(),
        org: optionalOrg,
      }),
    ),
  })
  .openapi('MentionCandidates');
