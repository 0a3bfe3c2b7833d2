/**
 * Whether the built web client (frontend/dist, which the local runtime serves) is current: its Vite
 * manifest no older than any source of the client, the shared Markdown renderer or the lock file.
 * Plain JavaScript so that `npm start` (local/start.mjs) can check it before any TypeScript loader
 * runs; ensure-built.ts uses the same check before it builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const frontend = path.join(root, 'frontend');
export const distDir = path.join(frontend, 'dist');
export const manifestPath = path.join(distDir, '.vite', 'manifest.json');

function newestSourceMtime() {
  let newest = 0;
  const visit = (entry) => {
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(entry)) {
        if (name === 'dist' || name === 'node_modules' || name.startsWith('.')) continue;
        visit(path.join(entry, name));
      }
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  visit(frontend);
  for (const file of ['functions/domain/content/markdown.ts', 'package-lock.json']) {
    const full = path.join(root, file);
    if (fs.existsSync(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function webClientIsFresh() {
  return (
    fs.existsSync(manifestPath) &&
    fs.existsSync(path.join(distDir, 'index.html')) &&
    fs.statSync(manifestPath).mtimeMs >= newestSourceMtime()
  );
}
