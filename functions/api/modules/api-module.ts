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

/**
 * A group of routes (one file of functions/api/routes/), loaded with `import()` and built the first
 * time a request needs it: a cold start builds no route schema, validator or handler.
 */
export interface RouteGroup {
  /** Its key in the module's route manifest. */
  name: string;
  load: () => Promise<() => Router>;
}

/**
 * A route entry of a group as hono lists it, in order: method, path under /api (hono form,
 * `/spaces/:spaceId`), and how many handlers it registers (validators, then the handler).
 */
export type ManifestEntry = readonly [method: string, path: string, handlers: number];

/** Each group's entries, by group name: what the module answers before any group is built. */
export type RouteManifest = Readonly<Record<string, readonly ManifestEntry[]>>;

export interface ApiModule {
  name: ModuleName;
  /** What the Lambda is for, as its description in AWS. */
  description: string;
  /** The module's route groups, each mounted under /api, in order (an earlier route wins a tie). */
  routes: readonly RouteGroup[];
  /**
   * The groups' routes without building them: generated from the groups themselves
   * (route-manifest.generated.ts, `npm run routes:manifest`; a test fails when it is stale).
   */
  manifest: RouteManifest;
  /** The services its routes use beyond the core ones. */
  services?: (core: CoreServices, ctx: ServiceContext) => Partial<ModuleServices>;
  /** Routes (path under /api, exact) that take larger bodies than the shared limit, in bytes. */
  bodyLimits?: Record<string, number>;
}
