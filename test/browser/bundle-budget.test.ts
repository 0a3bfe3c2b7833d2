// The web client's budget (DESIGN.md): at most 150 KB of compressed JavaScript on first load, with the
// editor (and the Markdown renderer it carries) and the secondary screens loaded only when needed.
// Sizes come from the production build, gzip as CloudFront would serve it; the figures are written
// to test-artifacts/bundle-size.txt.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, expect, test } from '@jest/globals';
import { distDir, ensureFrontendBuilt, manifestPath } from '../../frontend/scripts/ensure-built';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  src?: string;
}

const BUDGET_BYTES = 150 * 1000;
let manifest: Record<string, ManifestChunk>;

beforeAll(async () => {
  await ensureFrontendBuilt();
  manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
}, 180_000);

/** The entry chunk and everything it imports statically: what the browser loads before the first screen. */
function initialChunks(): ManifestChunk[] {
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('the build has no entry chunk');
  const seen = new Map<string, ManifestChunk>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    seen.set(key, chunk);
    for (const next of chunk.imports ?? []) visit(next);
  };
  visit(entry[0]);
  return [...seen.values()];
}

const gzipSize = (file: string) =>
  zlib.gzipSync(fs.readFileSync(path.join(distDir, file)), { level: 9 }).length;

test('initial JavaScript is at most 150 KB compressed', () => {
  const chunks = initialChunks().filter((chunk) => chunk.file.endsWith('.js'));
  const sizes = chunks.map((chunk) => ({
    file: chunk.file,
    gzip: gzipSize(chunk.file),
    raw: fs.statSync(path.join(distDir, chunk.file)).size,
  }));
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  const lazy = Object.values(manifest)
    .filter((chunk) => chunk.isDynamicEntry)
    .map((chunk) => ({ file: chunk.file, gzip: gzipSize(chunk.file) }));
  writeReport(total, sizes, lazy);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('the editor and the Markdown renderer are not in the initial load', () => {
  const initial = initialChunks();
  const editor = manifest['src/routes/Editor.tsx'];
  expect(editor?.isDynamicEntry).toBe(true);
  expect(initial).not.toContain(editor);
  // A string only the shared renderer (functions/domain/content/markdown.ts) contains.
  const initialCode = initial
    .map((chunk) => fs.readFileSync(path.join(distDir, chunk.file), 'utf8'))
    .join('\n');
  expect(initialCode).not.toContain('noopener noreferrer nofollow');
  // The editor's chunk and every chunk it imports, however deep, carry the renderer.
  const loadedWithEditor = new Set<string>();
  for (const pending = ['src/routes/Editor.tsx']; pending.length; ) {
    const key = pending.pop()!;
    if (loadedWithEditor.has(key)) continue;
    loadedWithEditor.add(key);
    pending.push(...(manifest[key].imports ?? []));
  }
  expect(
    [...loadedWithEditor]
      .map((key) => fs.readFileSync(path.join(distDir, manifest[key].file), 'utf8'))
      .join(''),
  ).toContain('noopener noreferrer nofollow');
});

test('every screen but home is its own lazily loaded chunk', () => {
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!;
  const lazyScreens = (entry.dynamicImports ?? []).map((key) => path.basename(key, '.tsx'));
  expect(lazyScreens.sort()).toEqual([
    'Admin',
    'Bookmarks',
    'Drafts',
    'Editor',
    'Expertise',
    'Notifications',
    'OpenFile',
    'OrgChart',
    'PageEditor',
    'PeopleDirectory',
    'PeopleImport',
    'Person',
    'PostPage',
    'Preferences',
    'SaveBookmark',
    'Search',
    'SpacePage',
    'Spaces',
    'TagPosts',
    'WikiPage',
  ]);
});

function writeReport(
  total: number,
  initial: { file: string; gzip: number; raw: number }[],
  lazy: { file: string; gzip: number }[],
) {
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  const lines = [
    '# Web client bundle (gzip -9)',
    '',
    `Initial JavaScript: **${kb(total)}** of a ${kb(BUDGET_BYTES)} budget.`,
    '',
    '| initial chunk | raw | gzip |',
    '| --- | --- | --- |',
    ...initial.map((chunk) => `| ${chunk.file} | ${kb(chunk.raw)} | ${kb(chunk.gzip)} |`),
    '',
    '| lazy screen | gzip |',
    '| --- | --- |',
    ...lazy.map((chunk) => `| ${chunk.file} | ${kb(chunk.gzip)} |`),
    '',
  ];
  fs.mkdirSync(path.join(process.cwd(), 'test-artifacts'), { recursive: true });
  fs.writeFileSync(path.join(process.cwd(), 'test-artifacts', 'bundle-size.txt'), lines.join('\n'));
}
