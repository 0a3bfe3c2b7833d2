import { lazyAudiencePreview } from '../../domain/subscriptions/lazy-audience-preview';
import { PageService } from '../../domain/wiki/page-service';
import { pageAudienceRoutes } from '../routes/audience-preview';
import { pageRoutes } from '../routes/pages';
import type { ApiModule } from './api-module';

export const wikiModule: ApiModule = {
  name: 'wiki',
  description: 'Commonplace wiki: pages, page tree, versions, restore and backlinks',
  routes: [pageRoutes, pageAudienceRoutes],
  services: ({ spaces }, ctx) => ({
    pages: new PageService(ctx, spaces),
    audience: lazyAudiencePreview(ctx, spaces),
  }),
};
