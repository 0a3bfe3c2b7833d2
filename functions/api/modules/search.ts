import { SearchService } from '../../domain/search/search-service';
import { searchRoutes } from '../routes/search';
import type { ApiModule } from './api-module';

export const searchModule: ApiModule = {
  name: 'search',
  description: 'Commonplace search: security-trimmed search and suggestions',
  routes: [searchRoutes],
  services: (_core, ctx) => {
    if (!ctx.search) throw new Error('The search module needs a search index');
    return { search: new SearchService(ctx, ctx.search) };
  },
};
