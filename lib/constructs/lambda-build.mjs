/**
 * The esbuild run behind lambda-bundle.ts, in a process of its own: it needs a plugin, plugins need
 * esbuild's asynchronous API, and the CDK bundles synchronously (lambda-bundle.ts waits for this
 * process). Plain JavaScript so that it starts without a TypeScript loader. Reads
 * `{ options, entry, metafile }` as JSON on stdin; writes the bundle and its metafile.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const REAL = 'start-code-in-one-chunk:real';
const LAZY = 'lazy-entry';

/**
 * Puts all the code a cold start loads into one chunk. esbuild's code splitting gives each module
 * shared between the entry and some `import()` targets a chunk per distinct set of importers, so a
 * Lambda with many lazy route groups and services loaded its start code as up to 19 ES modules, and
 * each costs Node a resolve, read, parse and link (docs/performance.md, "Lambda cold start"). Here
 * every `import()` target of the bundle is reached through a small module that also imports the
 * entry: all start code then has the same importers and lands in one chunk (the entry file only
 * re-exports the handler from it). Nothing moves between start and first use: a lazy chunk imports
 * the start chunk, which is already evaluated when any `import()` runs (no start module may await an
 * `import()` at its top level: it would never settle; the bundle test loads every Lambda), and what
 * only lazy code uses stays in lazy chunks.
 * @param {string} entry
 * @returns {import('esbuild').Plugin}
 */
function startCodeInOneChunk(entry) {
  return {
    name: 'start-code-in-one-chunk',
    setup(bundler) {
      bundler.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === REAL) return undefined;
        const resolved = await bundler.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: REAL,
        });
        if (resolved.errors.length || resolved.external || resolved.namespace !== 'file') return undefined;
        if (!/\.[cm]?[jt]sx?$/.test(resolved.path)) return undefined;
        return { path: resolved.path, namespace: LAZY };
      });
      bundler.onLoad({ filter: /.*/, namespace: LAZY }, async (args) => {
        const real = JSON.stringify(args.path);
        return {
          contents: `import ${JSON.stringify(entry)};\nexport * from ${real};\n${(await hasDefaultExport(args.path)) ? `export { default } from ${real};\n` : ''}`,
          resolveDir: dirname(args.path),
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Whether `import()` of the file gives a default export (`export *` leaves it out): an ES module
 * that exports one, or a CommonJS one (whose `module.exports` is the default).
 * @param {string} file
 */
async function hasDefaultExport(file) {
  const { metafile } = await build({
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  const [output] = Object.values(metafile.outputs);
  const [input] = Object.values(metafile.inputs);
  return input.format !== 'esm' || output.exports.includes('default');
}

const { options, entry, metafile } = JSON.parse(readFileSync(0, 'utf8'));
const result = await build({ ...options, plugins: [startCodeInOneChunk(entry)] });
writeFileSync(metafile, JSON.stringify(result.metafile));
