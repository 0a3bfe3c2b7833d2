import { lazyAudiencePreview } from '../../domain/subscriptions/lazy-audience-preview';
import { PageService } from '../../domain/wiki/page-service';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

export const wikiModule: ApiModule = {
  name: 'wiki',
  description: 'Commonplace wiki: pages, page tree, versions, restore and backlinks',
  routes: [
    { name: 'pages', load: async () => (await import('../routes/pages')).pageRoutes },
    { name: 'audience', load: async () => (await import('../routes/audience-preview')).pageAudienceRoutes },
  ],
  manifest: manifests.wiki,
  services: ({ spaces }, ctx) => ({
    pages: new PageService(ctx, spaces),
    audience: lazyAudiencePreview(ctx, spaces),
  }),
};
