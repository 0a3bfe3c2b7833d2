/**
 * Every API module in one hono app: what the local runtime serves on one port and what the
 * integration tests call. In AWS each module is its own Lambda (lambdas/), built by the same
 * createModuleApp, so the routes and middleware are the same code either way.
 */
import type { ApiDependencies } from './dependencies';
import { createModuleApp } from './module-app';
import { ALL_MODULES } from './modules/all-modules';

export function createApp(deps: ApiDependencies) {
  return createModuleApp(deps, ALL_MODULES);
}
