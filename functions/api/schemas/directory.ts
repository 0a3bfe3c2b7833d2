/** Request and response schemas of the people directory, reporting lines and the people import. */
import { z } from '@hono/zod-openapi';
import { cursor, id, optionalOrg, PageQuery, pageOf, skill } from './common';

const facet = (what: string) =>
  z
    .string()
    .max(120)
    .regex(/^[^#]*[^#\s][^#]*$/, 'must hold something besides white space, and no #')
    .optional()
    .openapi({ description: `Only people whose ${what} is this (case and spacing aside)` });

export const DirectoryQuery = PageQuery.extend({
  department: facet('department'),
  location: facet('location'),
  skill: skill.optional().openapi({ description: 'Only people with this skill, e.g. kubernetes' }),
  org: z
    .union([z.literal('employees'), id])
    .optional()
    .openapi({ description: '`employees`, or a partner organisation (a partner: their own only)' }),
  order: z.enum(['asc', 'desc']).default('asc').openapi({ description: 'By name' }),
});

export const SuggestQuery = z.object({
  q: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[^#]*$/, 'no #')
    .openapi({ description: 'The start of a name or @handle' }),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

export const DirectoryPerson = z
  .object({
    userId: z.string(),
    name: z.string(),
    handle: z.string(),
    title: z.string().optional(),
    department: z.string().optional(),
    location: z.string().optional(),
    org: optionalOrg,
    kind: z.enum(['employee', 'partner']),
    active: z.boolean().optional().openapi({ description: 'false when deactivated; absent when active' }),
  })
  .openapi('DirectoryPerson');
export const DirectoryPage = pageOf(DirectoryPerson, 'DirectoryPerson');
export const Suggestions = z.object({ items: z.array(DirectoryPerson) }).openapi('PeopleSuggestions');

export const ChartPerson = DirectoryPerson.extend({
  reportCount: z.number().int().optional().openapi({ description: 'How many report to them' }),
  managerId: z.string().optional(),
}).openapi('ChartPerson');
export const OrgChart = z
  .object({
    person: ChartPerson,
    chain: z.array(DirectoryPerson).openapi({ description: 'From the top down to the manager' }),
    reports: z.array(ChartPerson),
    reportsCursor: z.string().optional().openapi({ description: 'More reports: GET …/reports?cursor=' }),
    peers: z.array(ChartPerson),
    peersCursor: z.string().optional().openapi({ description: 'More peers: the manager’s reports' }),
  })
  .openapi('OrgChart');
export const ChartPersonPage = pageOf(ChartPerson, 'ChartPerson');

export const SetManagerBody = z
  .object({
    managerId: id
      .nullable()
      .openapi({ description: 'The manager’s user id; null puts the person at the top' }),
  })
  .strict()
  .openapi('SetManager');

export const ImportBody = z
  .object({
    csv: z
      .string()
      .min(1)
      .max(5 * 1024 * 1024)
      .openapi({
        description:
          'The whole file, as the HR system exported it (header row: Email, Name or First/Last Name, Title, Department, Location, Phone, Manager Email, Employee ID, Status)',
      }),
    cursor: cursor(512),
  })
  .strict()
  .openapi('PeopleImportStep');

export const ImportStepView = z
  .object({
    total: z.number().int(),
    done: z
      .number()
      .int()
      .openapi({ description: 'Progress: rows done of total (each with its reporting line)' }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    managersSet: z.number().int(),
    problems: z.array(
      z.object({
        row: z.number().int(),
        email: z.string().optional(),
        field: z.string().optional(),
        message: z.string(),
      }),
    ),
    cursor: z.string().optional().openapi({ description: 'Send the file again with this for the next step' }),
  })
  .openapi('PeopleImportResult');
