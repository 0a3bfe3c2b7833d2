import type { AuditLog } from '../../domain/audit/audit-log';
import { lazyService } from '../../domain/lazy-service';
import { tableOnlyProviderRegistry } from '../../domain/orgs/identity-provider-registry';
import type { PartnerOrganisations } from '../../domain/orgs/partner-organisations';
import type { InvitationService } from '../../domain/spaces/invitation-service';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

/**
 * Spaces, their members, sharing and invitations, partner organisations and the audit trail; also
 * health and the OpenAPI document.
 */
export const spacesModule: ApiModule = {
  name: 'spaces',
  description:
    'Commonplace spaces: spaces, members, sharing, invitations, partner organisations, audit trail, health, OpenAPI document',
  routes: [
    { name: 'platform', load: async () => (await import('../routes/platform')).platformRoutes },
    { name: 'spaces', load: async () => (await import('../routes/spaces')).spaceRoutes },
    { name: 'invitations', load: async () => (await import('../routes/invitations')).invitationRoutes },
    { name: 'orgs', load: async () => (await import('../routes/orgs')).orgRoutes },
    { name: 'audit', load: async () => (await import('../routes/audit')).auditRoutes },
  ],
  manifest: manifests.spaces,
  // Partner administration, invitations and the audit trail load on first use (lazy-service.ts).
  services: ({ orgs, spaces }, ctx) => ({
    partners: lazyService<PartnerOrganisations>(async () => {
      const { PartnerOrganisations } = await import('../../domain/orgs/partner-organisations');
      return new PartnerOrganisations(
        ctx,
        orgs,
        ctx.identityProviders ?? tableOnlyProviderRegistry,
        ctx.samlMetadataCheck,
      );
    }),
    invitations: lazyService<InvitationService>(async () => {
      const { InvitationService } = await import('../../domain/spaces/invitation-service');
      return new InvitationService(ctx, spaces);
    }),
    audit: lazyService<AuditLog>(
      async () => new (await import('../../domain/audit/audit-log')).AuditLog(ctx),
    ),
  }),
};
