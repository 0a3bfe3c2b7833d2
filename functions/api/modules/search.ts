import { ExpertiseService } from '../../domain/search/expertise-service';
import { SearchService } from '../../domain/search/search-service';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

export const searchModule: ApiModule = {
  name: 'search',
  description: 'Commonplace search: security-trimmed search, suggestions and expertise',
  routes: [
    { name: 'search', load: async () => (await import('../routes/search')).searchRoutes },
    { name: 'expertise', load: async () => (await import('../routes/expertise')).expertiseRoutes },
  ],
  manifest: manifests.search,
  services: (_core, ctx) => {
    if (!ctx.search) throw new Error('The search module needs a search index');
    const search = new SearchService(ctx, ctx.search);
    return { search, expertise: new ExpertiseService(ctx, ctx.search, search) };
  },
};
