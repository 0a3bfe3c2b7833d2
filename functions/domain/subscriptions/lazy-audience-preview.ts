/**
 * The "who will be notified" preview needs the fan-out's rules, which no other request of the posts
 * and wiki Lambdas uses: loaded with import() on the first preview, so cold starts do not pay for it.
 */
import type { DomainContext } from '../context';
import type { SpaceService } from '../spaces/space-service';
import type { AudiencePreviewService } from './audience-preview';

export type AudiencePreviews = Pick<AudiencePreviewService, 'forPost' | 'forPage'>;

export function lazyAudiencePreview(ctx: DomainContext, spaces: SpaceService): AudiencePreviews {
  let service: Promise<AudiencePreviewService> | undefined;
  const load = () => {
    service ??= import('./audience-preview').then((m) => new m.AudiencePreviewService(ctx, spaces));
    return service;
  };
  return {
    forPost: async (...args) => (await load()).forPost(...args),
    forPage: async (...args) => (await load()).forPage(...args),
  };
}
