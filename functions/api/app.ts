/**
 * Every API module in one hono app: what the local runtime serves on one port and what the
 * integration tests call. In AWS each module is its own Lambda (lambdas/), built by the same
 * createModuleApp, so the routes and middleware are the same code either way.
 */
import type { ApiDependencies } from './dependencies';
import { createModuleApp } from './module-app';
import { ALL_MODULES } from './modules/all-modules';

// The local runtime (never a Lambda) loads every route group's code with this file, as its start did
// before groups were loaded on first use: no first request waits for an import, and a test's hooks do
// not pay for loading them. Each app still builds a group on its first request, exactly as a Lambda
// does. One at a time: jest's module loader fails concurrent imports of shared modules.
for (const module of ALL_MODULES) for (const group of module.routes) await group.load();

export function createApp(deps: ApiDependencies) {
  return createModuleApp(deps, ALL_MODULES);
}
