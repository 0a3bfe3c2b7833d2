import { ExpertiseService } from '../../domain/search/expertise-service';
import { SearchService } from '../../domain/search/search-service';
import { expertiseRoutes } from '../routes/expertise';
import { searchRoutes } from '../routes/search';
import type { ApiModule } from './api-module';

export const searchModule: ApiModule = {
  name: 'search',
  description: 'Commonplace search: security-trimmed search, suggestions and expertise',
  routes: [searchRoutes, expertiseRoutes],
  services: (_core, ctx) => {
    if (!ctx.search) throw new Error('The search module needs a search index');
    const search = new SearchService(ctx, ctx.search);
    return { search, expertise: new ExpertiseService(ctx, ctx.search, search) };
  },
};
