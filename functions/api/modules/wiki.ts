import { PageService } from '../../domain/wiki/page-service';
import { pageRoutes } from '../routes/pages';
import type { ApiModule } from './api-module';

export const wikiModule: ApiModule = {
  name: 'wiki',
  description: 'Commonplace wiki: pages, page tree, versions, restore and backlinks',
  routes: [pageRoutes],
  services: ({ spaces }, ctx) => ({ pages: new PageService(ctx, spaces) }),
};
