import { AuditLog } from '../../domain/audit/audit-log';
import { tableOnlyProviderRegistry } from '../../domain/orgs/identity-provider-registry';
import { PartnerOrganisations } from '../../domain/orgs/partner-organisations';
import { InvitationService } from '../../domain/spaces/invitation-service';
import { auditRoutes } from '../routes/audit';
import { invitationRoutes } from '../routes/invitations';
import { orgRoutes } from '../routes/orgs';
import { platformRoutes } from '../routes/platform';
import { spaceRoutes } from '../routes/spaces';
import type { ApiModule } from './api-module';

/**
 * Spaces, their members, sharing and invitations, partner organisations and the audit trail; also
 * health and the OpenAPI document.
 */
export const spacesModule: ApiModule = {
  name: 'spaces',
  description:
    'Commonplace spaces: spaces, members, sharing, invitations, partner organisations, audit trail, health, OpenAPI document',
  routes: [platformRoutes, spaceRoutes, invitationRoutes, orgRoutes, auditRoutes],
  services: ({ orgs, spaces }, ctx) => ({
    partners: new PartnerOrganisations(
      ctx,
      orgs,
      ctx.identityProviders ?? tableOnlyProviderRegistry,
      ctx.samlMetadataCheck,
    ),
    invitations: new InvitationService(ctx, spaces),
    audit: new AuditLog(ctx),
  }),
};
