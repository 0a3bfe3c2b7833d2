/**
 * The Schemathesis command the API fuzz test runs (test/fuzz/api-fuzz.test.ts), shared with
 * `npm run bench:fuzz` (bench/fuzz/profile.ts), so the benchmark measures exactly the test's run.
 */
import path from 'node:path';

export const SCHEMATHESIS = path.resolve('test/fuzz/.venv/bin/st');
export const CONFIG = path.resolve('test/fuzz/schemathesis.toml');
export const HOOKS = path.resolve('test/fuzz/hooks.py');
/** Each account's fixed seed: its run is the same every time. */
export const SEEDS: Readonly<Record<string, number>> = { alice: 1, pat: 2 };

export function schemathesisArgs(apiUrl: string, token: string, seed: number): string[] {
  return [
    '--config-file',
    CONFIG,
    'run',
    `${apiUrl}/api/openapi.json`,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    'all',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    '25',
    '--seed',
    String(seed),
    // One worker: with two, Hypothesis describing its filters (ast.parse in threads) tripped a CPython
    // race once ("AST constructor recursion depth mismatch"), a tool error, not an API one.
    '--workers',
    '1',
    '--no-color',
  ];
}
