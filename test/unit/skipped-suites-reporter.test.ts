// `npm test` ends with the suites it skipped and the command that enables each (issue 10 item 6).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import { noteSkipped, SKIP_LOG_ENV } from '../helpers/skipped';
// @ts-expect-error a plain ES module without types: Jest loads reporters as they are
import SkippedSuitesReporter from '../reporters/skipped-suites.js';

const before = process.env[SKIP_LOG_ENV];
afterEach(() => {
  if (before === undefined) delete process.env[SKIP_LOG_ENV];
  else process.env[SKIP_LOG_ENV] = before;
});

const result = (file: string, statuses: string[]) => ({
  testFilePath: path.join('/repo', file),
  numPendingTests: statuses.filter((s) => s === 'pending').length,
  testResults: statuses.map((status, i) => ({ status, fullName: `test ${i}` })),
});

test('lists each skipped suite with its reason and the command that enables it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skips-test-'));
  process.env[SKIP_LOG_ENV] = path.join(dir, 'log.jsonl');
  let output = '';
  const reporter = new SkippedSuitesReporter({ rootDir: '/repo' }, {}, {}, (text: string) => {
    output += text;
  });
  reporter.onRunStart();
  const warn = console.warn;
  console.warn = () => {};
  try {
    noteSkipped(
      'opensearch-index.test.ts',
      'the OpenSearch test node is not built',
      'bash .ci/opensearch-node.sh',
    );
    noteSkipped('api-fuzz.test.ts', 'Schemathesis is not installed', 'bash .ci/schemathesis.sh');
  } finally {
    console.warn = warn;
  }
  reporter.onRunComplete(new Set(), {
    testResults: [
      result('test/search/opensearch-index.test.ts', ['pending', 'pending']),
      result('test/fuzz/api-fuzz.test.ts', ['pending']),
      result('test/unit/readme.test.ts', ['passed']),
      result('test/unit/other.test.ts', ['passed', 'pending']),
    ],
  });
  expect(output).toContain('Skipped suites');
  expect(output).toContain(
    'test/search/opensearch-index.test.ts: skipped (the OpenSearch test node is not built)\n      enable it with: bash .ci/opensearch-node.sh',
  );
  expect(output).toContain(
    'test/fuzz/api-fuzz.test.ts: skipped (Schemathesis is not installed)\n      enable it with: bash .ci/schemathesis.sh',
  );
  expect(output).toContain('test/unit/other.test.ts: 1 of 2 tests skipped');
  expect(output).not.toContain('readme');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('says nothing when nothing was skipped', () => {
  // Its own log: the run's real one (inherited from the reporter of this very run) must stay untouched.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skips-test-'));
  process.env[SKIP_LOG_ENV] = path.join(dir, 'log.jsonl');
  let output = '';
  const reporter = new SkippedSuitesReporter({ rootDir: '/repo' }, {}, {}, (text: string) => {
    output += text;
  });
  reporter.onRunStart();
  reporter.onRunComplete(new Set(), { testResults: [result('test/unit/a.test.ts', ['passed'])] });
  expect(output).toBe('');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('npm test uses the reporter', async () => {
  // @ts-expect-error the Jest configuration is a plain ES module without types
  const config = (await import('../../jest.config.js')).default as { reporters: string[] };
  expect(config.reporters).toEqual(['default', '<rootDir>/test/reporters/skipped-suites.js']);
});
