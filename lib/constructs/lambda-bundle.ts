/**
 * How every Lambda is bundled, in one place: esbuild (installed locally, never Docker) turns an entry
 * into a minified ES module for Node 22 with the AWS SDK v3 clients inside, split into chunks so that
 * what is loaded with `import()` (route groups, the Markdown renderer on a write, the SDK's own lazy
 * parts) is not even parsed at cold start, while everything a cold start does load sits in one chunk
 * (lambda-build.mjs: a few ES module files instead of up to 19). Source maps sit beside the code for an
 * operator to map stack traces; they are not enabled at run time (`--enable-source-maps` costs ~25% of
 * module load, docs/performance.md). `index.meta.json` says where each output byte comes from (the
 * bundle-size test reads it).
 *
 * The stack (service-function.ts), `npm run bench:load` and the bundle test all build through this.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync } from 'esbuild';

/**
 * Module substitutions for every Lambda bundle. The SDK's default credential chain is replaced by the
 * one that can apply inside Lambda (environment variables, container endpoint); see
 * functions/platform/lambda-credentials.ts for why. zod-to-openapi is replaced by its two pieces that
 * requests use, with its document generators loaded on first use (a separate module, so that they sit
 * in a chunk of their own); see functions/platform/lambda-zod-to-openapi.ts.
 */
export const lambdaEsbuildAlias = (projectRoot: string): Record<string, string> => ({
  '@aws-sdk/credential-provider-node': join(projectRoot, 'functions/platform/lambda-credentials.ts'),
  '@asteasolutions/zod-to-openapi': zodToOpenApiForLambda(projectRoot),
  'zod-to-openapi-generators': zodToOpenApiModule(projectRoot),
});

/** The ES module of the zod-to-openapi that @hono/zod-openapi depends on. */
function zodToOpenApiModule(projectRoot: string): string {
  const fromHono = createRequire(
    createRequire(join(projectRoot, 'package.json')).resolve('@hono/zod-openapi'),
  );
  const manifest = fromHono.resolve('@asteasolutions/zod-to-openapi/package.json');
  const { module } = JSON.parse(readFileSync(manifest, 'utf8')) as { module: string };
  return join(dirname(manifest), module);
}

/**
 * functions/platform/lambda-zod-to-openapi.ts bundled on its own, with the library's request-time
 * pieces inside, to a file named by its content (so that concurrent builds agree and the bundles'
 * metafiles and asset hashes stay the same from one build to the next). Its source map is inline, so
 * the Lambda bundle's map still points at the library's and our own sources.
 */
function zodToOpenApiForLambda(projectRoot: string): string {
  const result = buildSync({
    entryPoints: [join(projectRoot, 'functions/platform/lambda-zod-to-openapi.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    alias: { 'zod-to-openapi-complete': zodToOpenApiModule(projectRoot) },
    external: ['zod-to-openapi-generators'],
    absWorkingDir: projectRoot,
    sourcemap: 'inline',
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const file = join(
    tmpdir(),
    'commonplace-lambda-bundle',
    `zod-to-openapi-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`,
  );
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}

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
  const options: BuildOptions = {
    ...lambdaBundleOptions(projectRoot),
    entryPoints: { index: entry },
    outdir,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
  };
  // esbuild runs in a child process: its plugin API is asynchronous, the CDK's local bundling is not.
  execFileSync(process.execPath, [BUILD_SCRIPT], {
    input: JSON.stringify({ options, entry, metafile: join(outdir, 'index.meta.json') }),
    cwd: projectRoot,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
}

const BUILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'lambda-build.mjs');

/**
 * The output files a cold start loads, from a bundle's metafile: `index.mjs` and the chunks it imports
 * statically, transitively (what `import()` loads comes later, on first use).
 */
export function filesLoadedAtStart(metafile: {
  outputs: Record<string, { imports: readonly { path: string; kind: string }[] }>;
}): string[] {
  const index = Object.keys(metafile.outputs).find((file) => file.endsWith('index.mjs'));
  if (!index) throw new Error('The metafile has no index.mjs');
  const atStart = new Set<string>();
  for (const pending = [index]; pending.length; ) {
    const file = pending.pop()!;
    if (atStart.has(file)) continue;
    atStart.add(file);
    for (const imported of metafile.outputs[file].imports)
      if (imported.kind === 'import-statement' && metafile.outputs[imported.path])
        pending.push(imported.path);
  }
  return [...atStart];
}
