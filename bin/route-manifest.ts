/**
 * `npm run routes:manifest`: builds every API module's route groups and writes their routes to
 * functions/api/modules/route-manifest.generated.ts (functions/api/route-manifest.ts), formatted by
 * biome. Run it after adding, removing or reordering a route, and commit the file.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ALL_MODULES } from '../functions/api/modules/all-modules';
import { currentManifests, MANIFEST_FILE, renderManifests } from '../functions/api/route-manifest';

writeFileSync(MANIFEST_FILE, renderManifests(await currentManifests(ALL_MODULES)));
execFileSync('npx', ['biome', 'format', '--write', MANIFEST_FILE], { stdio: 'inherit' });
console.log(`Wrote ${MANIFEST_FILE}`);
