/**
 * Importing people and their managers from an HR file, a step at a time: the client sends the file
 * with each step and the cursor of the last, so no step comes near API Gateway's 29 s and no import
 * state is stored. Steps first create or update people (STEP_ROWS rows each), then set managers with
 * managers before their reports. Idempotent: the same file again changes nothing ("unchanged").
 * Problems are per row (unknown columns, duplicate e-mails, missing managers, cycles): reported by the
 * first step, those rows left out, the rest imported.
 */
import type { DomainContext } from '../context';
import { DomainError, Forbidden, InvalidInput } from '../errors';
import { isAdmin, type Principal } from '../principal';
import type { Profile } from '../profiles/profile';
import { managersFirst, type PersonRow, parsePeopleCsv, type RowProblem } from './people-csv';
import { type Outcome, PeopleProvisioning } from './provisioning';
import type { ReportingService } from './reporting-service';
import type { SignInAccounts } from './sign-in-accounts';

/** Rows per step: ~1 transaction each (people) or 2 requests each (managers), well under 29 s. */
export const STEP_ROWS = 200;

export interface ImportStep {
  /** Rows of people in the file (after the header). */
  total: number;
  /** Work done after this step, of `2 × total` (people, then managers): the progress bar. */
  done: number;
  phase: 'people' | 'managers';
  created: number;
  updated: number;
  unchanged: number;
  managersSet: number;
  /** This step's problems (the first step also reports every problem of the file as a whole). */
  problems: RowProblem[];
  /** Pass back with the file for the next step; absent when the import is complete. */
  cursor?: string;
}

interface Position {
  phase: 'people' | 'managers';
  offset: number;
}

export class PeopleImport {
  private readonly provisioning: PeopleProvisioning;

  constructor(
    ctx: DomainContext,
    private readonly reporting: ReportingService,
    signIn?: SignInAccounts,
  ) {
    this.provisioning = new PeopleProvisioning(ctx, signIn);
  }

  async step(principal: Principal, csv: string, cursor?: string): Promise<ImportStep> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins import people');
    const at = decodePosition(cursor);
    const parsed = parsePeopleCsv(csv);
    const inFile = new Set(parsed.rows.map((row) => row.email));
    // Managers named by the file but not in it must already exist.
    const outside = [
      ...new Set(
        parsed.rows.flatMap((row) =>
          row.managerEmail && !inFile.has(row.managerEmail) ? [row.managerEmail] : [],
        ),
      ),
    ];
    const existingManagers = outside.length
      ? await this.provisioning.findByEmails(outside)
      : new Map<string, Profile>();
    const missingManager = parsed.rows.filter(
      (row) => row.managerEmail && !inFile.has(row.managerEmail) && !existingManagers.has(row.managerEmail),
    );
    const { ordered, cyclic } = managersFirst(parsed.rows);
    const fileProblems: RowProblem[] = [
      ...parsed.problems,
      ...missingManager.map((row) => ({
        row: row.row,
        email: row.email,
        field: 'managerEmail',
        message: `manager ${row.managerEmail} is neither in the file nor a person here: imported without a manager`,
      })),
      ...cyclic.map((row) => ({
        row: row.row,
        email: row.email,
        field: 'managerEmail',
        message: `manager cycle (${row.email} → ${row.managerEmail} → … → ${row.email}): manager not set`,
      })),
    ].sort((a, b) => a.row - b.row);
    const result: ImportStep = {
      total: parsed.rows.length,
      done: 0,
      phase: at.phase,
      created: 0,
      updated: 0,
      unchanged: 0,
      managersSet: 0,
      problems: at.phase === 'people' && at.offset === 0 ? fileProblems : [],
    };
    if (at.phase === 'people') {
      const rows = parsed.rows.slice(at.offset, at.offset + STEP_ROWS);
      const existing = await this.provisioning.findByEmails(rows.map((row) => row.email));
      for (const row of rows) {
        const outcome = await this.person(row, existing.get(row.email), result.problems);
        if (outcome) result[outcome]++;
      }
      const next = at.offset + rows.length;
      result.done = next;
      result.cursor = encodePosition(
        next < parsed.rows.length ? { phase: 'people', offset: next } : { phase: 'managers', offset: 0 },
      );
      if (parsed.rows.length === 0) result.cursor = undefined;
      return result;
    }
    const skip = new Set([...missingManager, ...cyclic].map((row) => row.email));
    const placed = ordered.filter((row) => !skip.has(row.email));
    const rows = placed.slice(at.offset, at.offset + STEP_ROWS);
    const emails = [
      ...new Set(rows.flatMap((row) => [row.email, ...(row.managerEmail ? [row.managerEmail] : [])])),
    ];
    const people = await this.provisioning.findByEmails(emails);
    for (const row of rows) {
      const person = people.get(row.email);
      const manager = row.managerEmail ? people.get(row.managerEmail) : undefined;
      if (!person || (row.managerEmail && !manager)) continue; // a row whose person failed above
      try {
        await this.reporting.moveUnder(person.userId, manager?.userId);
        result.managersSet++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.problems.push({
          row: row.row,
          email: row.email,
          field: 'managerEmail',
          message: error.message,
        });
      }
    }
    const next = at.offset + rows.length;
    result.done = parsed.rows.length + Math.round((next / Math.max(1, placed.length)) * parsed.rows.length);
    if (next < placed.length) result.cursor = encodePosition({ phase: 'managers', offset: next });
    else result.done = 2 * parsed.rows.length;
    return result;
  }

  private async person(
    row: PersonRow,
    existing: Profile | undefined,
    problems: RowProblem[],
  ): Promise<Outcome | undefined> {
    if (existing && existing.kind !== 'employee') {
      problems.push({
        row: row.row,
        email: row.email,
        field: 'email',
        message: 'a partner user: not changed by an import',
      });
      return undefined;
    }
    try {
      const { outcome } = await this.provisioning.upsert(
        {
          email: row.email,
          name: row.name,
          title: row.title,
          department: row.department,
          location: row.location,
          phone: row.phone,
          active: row.active,
          source: 'import',
          ...(row.employeeId ? { externalId: row.employeeId } : {}),
        },
        existing,
      );
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push({ row: row.row, email: row.email, message: error.message });
      return undefined;
    }
  }
}

function encodePosition(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodePosition(cursor: string | undefined): Position {
  if (!cursor) return { phase: 'people', offset: 0 };
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      (value?.phase === 'people' || value?.phase === 'managers') &&
      Number.isInteger(value.offset) &&
      value.offset >= 0 &&
      value.offset <= 20_000
    )
      return { phase: value.phase, offset: value.offset };
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not valid for this import', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}
