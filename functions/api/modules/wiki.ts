import { pageRoutes } from '../routes/pages';
import type { ApiModule } from './api-module';

export const wikiModule: ApiModule = {
  name: 'wiki',
  description: 'Commonplace wiki: pages, page tree, versions, restore and backlinks',
  routes: [pageRoutes],
};
