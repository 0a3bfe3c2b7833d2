/**
 * Schemas of partner-organisation administration, invitations and the audit trail (spaces module).
 * Unknown fields are refused; dates are ISO-8601 with an offset, normalised to UTC (`…Z`), because
 * the per-request check compares them as strings.
 */
import { z } from '@hono/zod-openapi';
import { AUDIT_KINDS } from '../../domain/audit/audit-record';
import { cursor, id, pageOf, SpaceIdParam, someText, timestamp, version } from './common';

export const emailDomain = z
  .string()
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    'must be a domain name like acme.example',
  )
  .transform((domain) => domain.toLowerCase());

/** ISO-8601 with an offset, given to the route in UTC. */
export const isoDate = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO-8601 date and time, e.g. 2027-03-31T23:59:59Z' })
  .transform((text) => new Date(text).toISOString())
  .openapi({ format: 'date-time', example: '2027-03-31T23:59:59Z' });

const providerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/, 'must be 3-32 lower-case letters, digits or -')
  .openapi({ description: 'The Cognito identity-provider name, e.g. `acme`' });
const httpUrl = z
  .string()
  .max(2048)
  .url()
  .regex(/^https?:\/\//i, 'must be an http(s) URL');

export const ProviderInput = z
  .discriminatedUnion('kind', [
    z
      .object({
        name: providerName,
        kind: z.literal('oidc'),
        issuer: httpUrl,
        clientId: z.string().min(1).max(255),
        clientSecret: z.string().min(1).max(1024).optional(),
      })
      .strict(),
    z
      .object({
        name: providerName,
        kind: z.literal('saml'),
        metadataUrl: httpUrl.regex(/^https:\/\//i, 'must be an https URL'),
      })
      .strict(),
  ])
  .openapi('IdentityProviderInput');

export const ProviderView = z
  .union([
    z.object({
      name: z.string(),
      kind: z.literal('oidc'),
      issuer: z.string(),
      clientId: z.string(),
      hasClientSecret: z.boolean(),
    }),
    z.object({ name: z.string(), kind: z.literal('saml'), metadataUrl: z.string() }),
  ])
  .openapi('IdentityProvider');

export const OrgIdParam = z.object({
  orgId: id.openapi({ param: { name: 'orgId', in: 'path' }, example: 'acme' }),
});
export const OrgPersonParams = OrgIdParam.extend({
  userId: id.openapi({ param: { name: 'userId', in: 'path' } }),
});

export const UpdateOrganisationBody = z
  .object({
    name: someText(120).optional(),
    emailDomains: z.array(emailDomain).max(20).optional(),
    provider: ProviderInput.nullable().optional(),
    version,
  })
  .strict()
  .openapi('UpdateOrganisation');

export const OrganisationStatusBody = z
  .object({ status: z.enum(['active', 'suspended']) })
  .strict()
  .openapi('OrganisationStatus');

export const AccessEndBody = z
  .object({ accessEndsAt: isoDate.nullable().openapi({ description: 'null: no end date' }) })
  .strict()
  .openapi('AccessEnd');

export const AdminOrganisationView = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: timestamp,
    emailDomains: z.array(z.string()),
    provider: ProviderView.optional(),
    status: z.enum(['active', 'suspended']),
    accessEndsAt: timestamp.optional(),
    version: z.number(),
  })
  .openapi('AdminOrganisation');

export const OrganisationDetailView = z
  .object({
    organisation: AdminOrganisationView,
    people: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        email: z.string(),
        handle: z.string(),
        accessEndsAt: timestamp.optional(),
      }),
    ),
    spaces: z.array(z.object({ id: z.string(), name: z.string() })),
    more: z.object({ people: z.boolean(), spaces: z.boolean() }),
  })
  .openapi('OrganisationDetail');

export const PersonAccessView = z
  .object({ userId: z.string(), accessEndsAt: timestamp.optional() })
  .openapi('PersonAccess');

export const InvitationBody = z
  .object({
    // A plain pattern the document carries, so what it states is exactly what is accepted.
    email: z
      .string()
      .max(254)
      .regex(
        /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/,
        'an e-mail address such as name@example.com',
      ),
    role: z.enum(['editor', 'reader']).default('reader'),
  })
  .strict()
  .openapi('InvitationInput');

export const InvitationView = z
  .object({
    email: z.string(),
    spaceId: z.string(),
    spaceName: z.string(),
    orgId: z.string(),
    role: z.enum(['editor', 'reader']),
    invitedBy: z.string(),
    invitedByName: z.string(),
    invitedAt: timestamp,
    expiresAt: z.number().openapi({ description: 'Epoch seconds; the invitation lapses then' }),
  })
  .openapi('Invitation');
export const InvitationPage = pageOf(InvitationView, 'Invitation');

export const InvitationParams = SpaceIdParam.extend({
  email: z
    .string()
    .max(254)
    .email()
    .openapi({ param: { name: 'email', in: 'path' } }),
});

const auditFilters = {
  kind: z.enum(AUDIT_KINDS).optional(),
  actor: id.optional().openapi({ description: 'The user id of who made the change' }),
  target: z
    .string()
    .max(200)
    .regex(
      /^(space|organisation|person|invitation):[A-Za-z0-9~._@/-]{1,190}$/,
      'must be like space:<id> or organisation:<id>',
    )
    .optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
};

export const AuditQuery = z.object({
  ...auditFilters,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: cursor(2048),
});

export const AuditExportQuery = z.object({
  ...auditFilters,
  format: z.enum(['csv', 'jsonl']).default('jsonl'),
  cursor: cursor(2048),
});

export const AuditRecordView = z
  .object({
    id: z.string(),
    at: timestamp,
    kind: z.enum(AUDIT_KINDS),
    actor: z.object({ userId: z.string(), name: z.string() }),
    target: z.string(),
    before: z.record(z.unknown()).optional(),
    after: z.record(z.unknown()).optional(),
  })
  .openapi('AuditRecord');
export const AuditPage = pageOf(AuditRecordView, 'AuditRecord');
