/**
 * `npm start`'s entry: the local runtime (local/main.ts and the project code it imports) bundled into
 * one file with esbuild, rebuilt when any of its sources changed, then run in this process. Loading
 * those ~300 TypeScript files one by one through tsx's loader took 2.5–4.4 s of a start under load
 * (about 1.2 s quiet) — most of a warm start at 100k items; the bundle loads in a fraction of that.
 * Packages are bundled too, as the Lambdas bundle theirs (the AWS SDK's many files loaded one by one
 * were half of what remained), except those loaded by path or after ready: dynalite (its actions are
 * required by name), classic-level (native) and oidc-provider (imported when sign-in is first built).
 *
 * Plain JavaScript, so that no TypeScript loader runs before the bundle. The bundle sits one folder
 * below the root (`.build/`), as local/runtime.ts does, so its paths to `frontend/dist` still hold.
 * Stack traces point into the bundle; `NODE_OPTIONS=--enable-source-maps` maps them to the sources.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { webClientIsFresh } from '../frontend/scripts/web-build-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, '.build', 'local-runtime.mjs');
/** The bundle's inputs (esbuild's metafile), to tell whether any changed since it was built. */
const inputsFile = path.join(root, '.build', 'local-runtime.inputs.json');

/** Fresh when every source the bundle was made from is there and no newer than the bundle. */
export function bundleIsFresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    // Packages are inside the bundle: a changed install makes it stale too.
    inputs.push('package-lock.json');
    return inputs.every((input) => fs.statSync(path.join(root, input)).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** Builds the bundle (about 1 s); written beside and renamed, so a start running at once never reads half. */
export async function buildBundle() {
  const { build } = await import('esbuild');
  const suffix = `.${process.pid}.tmp`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['local/main.ts'],
    outfile: bundle + suffix,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['dynalite', 'dynalite/*', 'classic-level', 'oidc-provider'],
    // Bundled CommonJS packages require Node's own modules; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules'));
  // The map's name inside the bundle is the final one; the bundle is renamed last but one.
  const code = fs
    .readFileSync(bundle + suffix, 'utf8')
    .replace(
      `//# sourceMappingURL=${path.basename(bundle + suffix)}.map`,
      `//# sourceMappingURL=${path.basename(bundle)}.map`,
    );
  fs.writeFileSync(bundle + suffix, code);
  fs.renameSync(`${bundle}${suffix}.map`, `${bundle}.map`);
  fs.renameSync(bundle + suffix, bundle);
  fs.writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  fs.renameSync(inputsFile + suffix, inputsFile);
}

/** Builds the web client the runtime serves when it is missing or stale (a Vite build, through tsx). */
function ensureWebClient() {
  if (webClientIsFresh()) return;
  const cli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [cli, 'frontend/scripts/ensure-built.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `npm start` is this file alone: checking the web client here, in plain JavaScript, spares every
  // start a TypeScript loader's second of start-up when nothing changed.
  if (!process.argv.includes('--no-web')) ensureWebClient();
  if (!bundleIsFresh()) await buildBundle();
  await import(pathToFileURL(bundle).href);
}
