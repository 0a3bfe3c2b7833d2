/**
 * A module of the HTTP API: a name, the routes it serves and what it needs. Each module is one Lambda
 * in AWS (functions/api/lambdas/), and the local runtime serves all of them on one port; either way the
 * module's routes run inside the same shared middleware (module-app.ts).
 */
import type { CoreServices, ModuleServices, ServiceContext } from '../../domain/services';
import type { Router } from '../env';

export type ModuleName =
  | 'posts'
  | 'wiki'
  | 'bookmarks'
  | 'profiles'
  | 'spaces'
  | 'search'
  | 'notifications'
  | 'attachments';

export interface ApiModule {
  name: ModuleName;
  /** What the Lambda is for, as its description in AWS. */
  description: string;
  /** The module's route groups, each mounted under /api. */
  routes: readonly (() => Router)[];
  /** The services its routes use beyond the core ones. */
  services?: (core: CoreServices, ctx: ServiceContext) => Partial<ModuleServices>;
  /** Routes (path under /api, exact) that take larger bodies than the shared limit, in bytes. */
  bodyLimits?: Record<string, number>;
}
