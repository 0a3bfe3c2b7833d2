/**
 * A suite that skips itself because a tool is missing says so here, with the one command that enables
 * it; the skipped-suites reporter (test/reporters/skipped-suites.js) lists them all at the end of
 * `npm test`, where Jest would otherwise drop the warning among its output.
 */
import fs from 'node:fs';

/** The file the reporter reads; set by the reporter before any test file runs. */
export const SKIP_LOG_ENV = 'COMMONPLACE_SKIPPED_SUITES';

export function noteSkipped(suite: string, reason: string, enableWith: string): void {
  console.warn(`${suite} skipped: ${reason}. Enable it with \`${enableWith}\`.`);
  const log = process.env[SKIP_LOG_ENV];
  if (log) fs.appendFileSync(log, `${JSON.stringify({ suite, reason, enableWith })}\n`);
}
