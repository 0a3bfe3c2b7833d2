import { searchRoutes } from '../routes/search';
import type { ApiModule } from './api-module';

export const searchModule: ApiModule = {
  name: 'search',
  description: 'Commonplace search: security-trimmed search and suggestions',
  routes: [searchRoutes],
  usesSearch: true,
};
