/** `npm run synth` must work before the web client exists: a placeholder page stands in for it. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { webAssetPath } from '../../lib/web-placeholder';

const roots: string[] = [];
const projectRoot = () => {
  const root = mkdtempSync(join(tmpdir(), 'commonplace-root-'));
  roots.push(root);
  return root;
};
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('webAssetPath', () => {
  it('deploys frontend/dist when it holds a build', () => {
    const root = projectRoot();
    mkdirSync(join(root, 'frontend', 'dist'), { recursive: true });
    writeFileSync(join(root, 'frontend', 'dist', 'index.html'), '<!doctype html><title>app</title>');
    expect(webAssetPath(root)).toBe(join(root, 'frontend', 'dist'));
  });

  it('otherwise deploys a page saying the web client has not been built', () => {
    const dir = webAssetPath(projectRoot());
    roots.push(dir);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('The web client has not been built');
    // The strict CSP allows no inline script or style: the page must need neither.
    expect(html).not.toMatch(/<script|<style|style=/i);
  });
});
