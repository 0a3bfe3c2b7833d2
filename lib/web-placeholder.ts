/**
 * A one-page stand-in for the web client, deployed when `frontend/dist` has not been built, so that
 * synthesis (and CI) never depends on a frontend build.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Commonplace</title>
</head>
<body>
<h1>Commonplace</h1>
<p>The web client has not been built. Build it into <code>frontend/dist</code> and run <code>npm run deploy</code> again.</p>
<p>The API is deployed and answers under <code>/api</code>.</p>
</body>
</html>
`;

/** The directory to deploy: `frontend/dist` when it holds a build, otherwise a generated placeholder. */
export function webAssetPath(projectRoot: string): string {
  const dist = join(projectRoot, 'frontend', 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  // A directory of its own per run: parallel syntheses never see each other's half-written file, and
  // the asset hash depends on the content only, so it is the same every time.
  const dir = mkdtempSync(join(tmpdir(), 'commonplace-web-placeholder-'));
  writeFileSync(join(dir, 'index.html'), PLACEHOLDER_HTML);
  return dir;
}
