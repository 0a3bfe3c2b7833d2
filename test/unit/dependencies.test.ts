// `npm install` prints no peer-dependency warning (issue 10): every peer range a locked package asks
// for is met by the version the lock file installs. Checked for the peers the project itself pins.
import fs from 'node:fs';
import { expect, test } from '@jest/globals';

type Lock = { packages: Record<string, { version?: string; peerDependencies?: Record<string, string> }> };
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as Lock;
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };

const parse = (version: string) => version.split(/[.-]/).slice(0, 3).map(Number);
const atLeast = (version: string, minimum: string) => {
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};
/** Enough of semver for the ranges seen here: `^x.y.z`, `>=x.y.z`, joined by `||`. */
const satisfies = (version: string, range: string) =>
  range.split('||').some((part) => {
    const [, op, min] = /^\s*(\^|>=)?\s*([\d.]+)/.exec(part) ?? [];
    if (!min) return true;
    if (op === '>=') return atLeast(version, min);
    return parse(version)[0] === parse(min)[0] && atLeast(version, min);
  });

test.each(['zod'])('every locked package that has %s as a peer gets a version it accepts', (peer) => {
  const installed = lock.packages[`node_modules/${peer}`]?.version;
  expect(installed).toBeDefined();
  const unmet = Object.entries(lock.packages)
    .filter(([, entry]) => entry.peerDependencies?.[peer])
    .filter(([, entry]) => !satisfies(installed!, entry.peerDependencies![peer]))
    .map(
      ([name, entry]) => `${name} wants ${peer} ${entry.peerDependencies![peer]}, the lock has ${installed}`,
    );
  expect(unmet).toEqual([]);
  expect(satisfies(installed!, pkg.dependencies[peer])).toBe(true);
});
