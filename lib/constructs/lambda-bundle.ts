/**
 * How every Lambda is bundled, in one place: esbuild (installed locally, never Docker) turns an entry
 * into a minified ES module for Node 22 with the AWS SDK v3 clients inside, split into chunks so that
 * what is loaded with `import()` (the Markdown renderer on a write, the SDK's own lazy parts) is not
 * even parsed at cold start. Source maps sit beside the code for an operator to map stack traces; they
 * are not enabled at run time (`--enable-source-maps` costs ~25% of module load, docs/performance.md).
 * `index.meta.json` says where each output byte comes from (the bundle-size test reads it).
 *
 * The stack (service-function.ts), `npm run bench:load` and the bundle test all build through this.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';

/**
 * Module substitutions for every Lambda bundle. The SDK's default credential chain is replaced by the
 * one that can apply inside Lambda (environment variables, container endpoint); see
 * functions/platform/lambda-credentials.ts for why.
 */
export const lambdaEsbuildAlias = (projectRoot: string): Record<string, string> => ({
  '@aws-sdk/credential-provider-node': join(projectRoot, 'functions/platform/lambda-credentials.ts'),
});

function lambdaBundleOptions(projectRoot: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    alias: lambdaEsbuildAlias(projectRoot),
    absWorkingDir: projectRoot,
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
    banner: {
      js: "import{createRequire as __cjsRequire}from'node:module';const require=__cjsRequire(import.meta.url);",
    },
    logLevel: 'warning',
  };
}

/** Bundles `entry` into `outdir`: `index.mjs` (exports `handler`), its chunks, source maps, metafile. */
export function bundleLambda(entry: string, projectRoot: string, outdir: string): void {
  const result = buildSync({
    ...lambdaBundleOptions(projectRoot),
    entryPoints: { index: entry },
    outdir,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
  });
  writeFileSync(join(outdir, 'index.meta.json'), JSON.stringify(result.metafile));
}
