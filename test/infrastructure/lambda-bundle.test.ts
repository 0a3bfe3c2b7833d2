/**
 * lib/constructs/lambda-bundle.ts on a small entry of its own: all start code in one chunk however
 * many `import()` targets share it, what those targets load stays behind `import()`, and what each
 * `import()` gives is the module's own exports (named ones, an ES module's default, a CommonJS
 * module's `module.exports`). The real Lambdas are checked in bundle-size.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bundleLambda, filesLoadedAtStart } from '../../lib/constructs/lambda-bundle';
import { PROJECT_ROOT } from './synthesize';

const SOURCES: Record<string, string> = {
  // Shared by the entry and, in different combinations, by the lazy modules: with esbuild's splitting
  // alone each combination would be a chunk of its own loaded at start.
  'shared-a.ts': `export const a = (x: string) => \`a:\${x}\`;`,
  'shared-b.ts': `export const b = (x: string) => \`b:\${x}\`;`,
  'shared-c.ts': `export const c = (x: string) => \`c:\${x}\`;`,
  'lazy-one.ts': `import { a } from './shared-a';\nimport { b } from './shared-b';\nexport const one = () => a(b('one'));\nexport const ONLY_LAZY = 'lazy-one-only';`,
  'lazy-two.ts': `import { b } from './shared-b';\nimport { c } from './shared-c';\nexport default function two() { return c(b('two')); }\nexport const named = 'two';`,
  'lazy-three.ts': `import { a } from './shared-a';\nimport { c } from './shared-c';\nexport const three = () => a(c('three'));`,
  'lazy-cjs.cjs': `module.exports = { four: 'four' };`,
  'entry.ts': `import { a } from './shared-a';
import { b } from './shared-b';
import { c } from './shared-c';
export const handler = async () => {
  const [one, two, three, cjs] = await Promise.all([
    import('./lazy-one'),
    import('./lazy-two'),
    import('./lazy-three'),
    import('./lazy-cjs.cjs'),
  ]);
  return [a('x'), b('x'), c('x'), one.one(), two.default(), two.named, three.three(), cjs.default.four];
};`,
};

let dir: string;
let outdir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'commonplace-bundle-'));
  mkdirSync(join(dir, 'src'));
  for (const [file, source] of Object.entries(SOURCES)) writeFileSync(join(dir, 'src', file), source);
  outdir = join(dir, 'out');
  bundleLambda(join(dir, 'src/entry.ts'), PROJECT_ROOT, outdir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundleLambda', () => {
  it('puts every module the entry loads into one chunk: index.mjs and that chunk at start', () => {
    const meta = JSON.parse(readFileSync(join(outdir, 'index.meta.json'), 'utf8'));
    const atStart = filesLoadedAtStart(meta);
    expect(atStart).toHaveLength(2);
    const startInputs = atStart.flatMap((file) =>
      Object.entries(meta.outputs[file].inputs as Record<string, { bytesInOutput: number }>)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([input]) => input.replace(/.*\/src\//, '')),
    );
    expect(startInputs.sort()).toEqual(['entry.ts', 'shared-a.ts', 'shared-b.ts', 'shared-c.ts']);
    // What only the lazy modules have is not loaded at start.
    const startCode = atStart.map((file) => readFileSync(join(PROJECT_ROOT, file), 'utf8')).join('\n');
    expect(startCode).not.toContain('lazy-one-only');
  });

  it('gives each import() the module’s exports: named, an ES default, a CommonJS module.exports', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--input-type=module',
      '-e',
      `const { handler } = await import(${JSON.stringify(join(outdir, 'index.mjs'))}); console.log(JSON.stringify(await handler()));`,
    ]);
    expect(JSON.parse(stdout)).toEqual([
      'a:x',
      'b:x',
      'c:x',
      'a:b:one',
      'c:b:two',
      'two',
      'a:c:three',
      'four',
    ]);
  });
});
