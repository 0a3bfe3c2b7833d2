/**
 * Each API module's Lambda builds the core services and its own module's services only
 * (functions/api/module-app.ts). A route that used another module's service would find it missing in
 * AWS while the local runtime, which serves every module in one app, has them all. So: every service a
 * module's routes name must be a core service or one its module builds.
 */
import { describe, expect, it } from '@jest/globals';
import { ALL_MODULES } from '../../../functions/api/modules/all-modules';
import type { ApiModule } from '../../../functions/api/modules/api-module';
import { createCoreServices } from '../../../functions/domain/services';

const ctx = {
  table: {} as never,
  clock: { now: () => new Date() },
  ids: { next: () => 'id' },
  search: {} as never,
};

/** The services named in the source of the module's route groups (each loaded, as on first use). */
async function servicesNamedByRoutes(module: ApiModule): Promise<string[]> {
  const sources: string[] = [];
  for (const group of module.routes) sources.push((await group.load()).toString());
  const source = sources.join('\n');
  return [...new Set([...source.matchAll(/\bservices\.(\w+)/g)].map((m) => m[1]))].sort();
}

describe.each(ALL_MODULES.map((m) => [m.name, m] as const))('the %s module', (_name, module) => {
  it('builds every service its routes use', async () => {
    const core = createCoreServices(ctx);
    const available = [...Object.keys(core), ...Object.keys(module.services?.(core, ctx) ?? {})];
    const used = await servicesNamedByRoutes(module);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !available.includes(name))).toEqual([]);
  });
});

it('the check sees a service a module does not build', async () => {
  const borrowing: ApiModule = {
    name: 'spaces',
    description: 'test',
    routes: [
      {
        name: 'borrowing',
        load: async () =>
          (() => ({ get: (c: { var: { services: { posts: unknown } } }) => c.var.services.posts })) as never,
      },
    ],
    manifest: {},
  };
  expect(await servicesNamedByRoutes(borrowing)).toEqual(['posts']);
});
