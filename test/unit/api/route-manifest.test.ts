/**
 * The route manifest (functions/api/modules/route-manifest.generated.ts) is what each module's app
 * routes with before its groups are built (module-app.ts). It must say exactly what the groups build:
 * a route added, removed or reordered without regenerating it fails here, naming the command.
 */
import { describe, expect, it } from '@jest/globals';
import { REGENERATE } from '../../../functions/api/module-app';
import { ALL_MODULES } from '../../../functions/api/modules/all-modules';
import * as generated from '../../../functions/api/modules/route-manifest.generated';
import { currentManifests } from '../../../functions/api/route-manifest';

describe('the route manifest', () => {
  it('is what the route groups build now', async () => {
    const current = await currentManifests(ALL_MODULES);
    const stale = Object.keys(current).filter(
      (module) =>
        JSON.stringify(current[module]) !==
        JSON.stringify((generated as Record<string, unknown>)[module] ?? null),
    );
    // On failure: `npm run routes:manifest`, then commit the file.
    expect({ stale, fix: stale.length ? REGENERATE : '' }).toEqual({ stale: [], fix: '' });
    expect(Object.keys(generated).sort()).toEqual(Object.keys(current).sort());
  });

  it('lists every module and group, with at least one route each', () => {
    for (const module of ALL_MODULES)
      for (const group of module.routes) expect(module.manifest[group.name]?.length).toBeGreaterThan(0);
  });
});
