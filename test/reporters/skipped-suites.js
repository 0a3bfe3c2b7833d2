// A Jest reporter: at the end of the run, every skipped suite with the reason and the one command that
// enables it (from test/helpers/skipped.ts), and any other file whose tests were skipped. Without it a
// newcomer's `npm test` passes quietly while whole suites did not run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SKIP_LOG_ENV = 'COMMONPLACE_SKIPPED_SUITES';

export default class SkippedSuitesReporter {
  /** @param {{ rootDir: string }} globalConfig */
  constructor(globalConfig, _options, _context, log = (text) => process.stdout.write(text)) {
    this.rootDir = globalConfig.rootDir;
    this.write = log;
    // Test files (in workers started later, or in band) append here; see noteSkipped.
    this.logFile =
      process.env[SKIP_LOG_ENV] ??
      path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-skips-')), 'skipped.jsonl');
    process.env[SKIP_LOG_ENV] = this.logFile;
  }

  onRunStart() {
    fs.writeFileSync(this.logFile, '');
  }

  /** @param {unknown} _contexts @param {{ testResults: { testFilePath: string; numPendingTests: number; numTodoTests?: number; testResults: { status: string; fullName: string }[] }[] }} results */
  onRunComplete(_contexts, results) {
    const noted = new Map();
    const text = fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
    for (const line of text.split('\n').filter(Boolean)) {
      try {
        const entry = JSON.parse(line);
        noted.set(entry.suite, entry);
      } catch {
        // a line cut short by a crashed worker: the file list below still shows the suite
      }
    }
    const lines = [];
    for (const file of results.testResults) {
      const skipped = file.testResults.filter((t) => t.status === 'pending' || t.status === 'skipped').length;
      if (!skipped) continue;
      const relative = path.relative(this.rootDir, file.testFilePath);
      const entry = noted.get(path.basename(file.testFilePath)) ?? noted.get(relative);
      const all = skipped === file.testResults.length;
      const what = all ? 'skipped' : `${skipped} of ${file.testResults.length} tests skipped`;
      lines.push(
        entry
          ? `  ${relative}: ${what} (${entry.reason})\n      enable it with: ${entry.enableWith}`
          : `  ${relative}: ${what} (by the test file itself, e.g. -t or .skip)`,
      );
    }
    if (!lines.length) return;
    this.write(`\nSkipped suites — these did not run (under CI=true they must):\n${lines.join('\n')}\n\n`);
  }

  getLastError() {
    return undefined;
  }
}
