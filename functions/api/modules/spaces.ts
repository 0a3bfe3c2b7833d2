import { orgRoutes } from '../routes/orgs';
import { platformRoutes } from '../routes/platform';
import { spaceRoutes } from '../routes/spaces';
import type { ApiModule } from './api-module';

/** Spaces, their members and sharing, partner organisations; also health and the OpenAPI document. */
export const spacesModule: ApiModule = {
  name: 'spaces',
  description: 'Commonplace spaces: spaces, members, sharing, organisations, health, OpenAPI document',
  routes: [platformRoutes, spaceRoutes, orgRoutes],
};
