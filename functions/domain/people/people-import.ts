/**
 * Importing people and their managers from an HR file, a step at a time: the client sends the file
 * with each step and the cursor of the last, so no step comes near API Gateway's 29 s and no import
 * state is stored. One pass, managers before their reports: a step reads what its rows need in a few
 * BatchGetItems (the people and their managers by e-mail, then the lines of all), then writes each
 * row. A new person is one transaction that also gives them their reporting line (their manager is
 * in the file before them, so known by then); a person whose line changes goes through the reporting
 * service's move. Idempotent: the same file again changes nothing ("unchanged") and writes nothing.
 * Problems are per row (unknown columns, duplicate e-mails, missing managers, cycles): reported by the
 * first step, those rows' managers left unset, the rest imported.
 */
import type { DomainContext } from '../context';
import { DomainError, Forbidden, InvalidInput } from '../errors';
import { isAdmin, type Principal } from '../principal';
import type { Profile } from '../profiles/profile';
import { managersFirst, type PersonRow, parsePeopleCsv, type RowProblem } from './people-csv';
import {
  AlsoWriteFailed,
  type Outcome,
  PeopleProvisioning,
  type ProvisionedPerson,
  provisionedUserId,
} from './provisioning';
import { alreadyUnder, type ReportingLine } from './reporting-line';
import { placeNewcomer, type ReportingService } from './reporting-service';
import type { SignInAccounts } from './sign-in-accounts';

/** Rows per step: ~1 transaction each, well under 29 s in DynamoDB. */
export const STEP_ROWS = 200;

export interface ImportStep {
  /** Rows of people in the file (after the header). */
  total: number;
  /** Rows done after this step, of `total`: the progress bar. */
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Reporting lines written (a new person's, or a changed manager). */
  managersSet: number;
  /** This step's problems (the first step also reports every problem of the file as a whole). */
  problems: RowProblem[];
  /** Pass back with the file for the next step; absent when the import is complete. */
  cursor?: string;
}

/** What a step knows of the people its rows touch; updated as the step writes. */
interface StepState {
  people: Map<string, Profile>;
  lines: Map<string, ReportingLine>;
  /** People moved by this step: their line and their subtree's changed since read, so read again. */
  moved: Set<string>;
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
    const offset = decodePosition(cursor);
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
    const result: ImportStep = {
      total: parsed.rows.length,
      done: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      managersSet: 0,
      problems:
        offset === 0
          ? [
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
            ].sort((a, b) => a.row - b.row)
          : [],
    };
    // Rows whose manager the file's problems leave as it is.
    const unplaced = new Set([...missingManager, ...cyclic].map((row) => row.email));
    // Rows in a cycle first (no line of their own to wait for): someone below a cycle is placed under
    // a manager who must exist by then.
    const rows = [...cyclic, ...ordered].slice(offset, offset + STEP_ROWS);
    const people = await this.provisioning.findByEmails(
      rows.flatMap((row) => [
        row.email,
        ...(row.managerEmail && !unplaced.has(row.email) ? [row.managerEmail] : []),
      ]),
    );
    const state: StepState = {
      people,
      lines: await this.reporting.linesOf([...people.values()].map((person) => person.userId)),
      moved: new Set(),
    };
    for (const row of rows) await this.row(row, !unplaced.has(row.email), state, result);
    const next = offset + rows.length;
    result.done = next;
    if (next < parsed.rows.length) result.cursor = encodePosition(next);
    return result;
  }

  /** One row: the person created or brought up to date, then (when `place`) their reporting line. */
  private async row(row: PersonRow, place: boolean, state: StepState, result: ImportStep) {
    const problem = (message: string, field?: string) =>
      result.problems.push({ row: row.row, email: row.email, ...(field ? { field } : {}), message });
    const existing = state.people.get(row.email);
    if (existing && existing.kind !== 'employee') {
      problem('a partner user: not changed by an import', 'email');
      return;
    }
    // Their manager: before them in the file's order, so created or found by now.
    const manager = row.managerEmail ? state.people.get(row.managerEmail) : undefined;
    if (place && row.managerEmail && !manager) {
      problem(
        `manager ${row.managerEmail} was not imported (see their row): manager not set`,
        'managerEmail',
      );
      place = false;
    }
    const person: ProvisionedPerson = {
      email: row.email,
      name: row.name,
      title: row.title,
      department: row.department,
      location: row.location,
      phone: row.phone,
      active: row.active,
      source: 'import',
      ...(row.employeeId ? { externalId: row.employeeId } : {}),
    };
    let outcome: Outcome;
    let profile: Profile;
    let refresh: Profile | undefined;
    try {
      if (!existing && place) {
        // The common case: the person and their line in one transaction.
        let placed: ReturnType<typeof placeNewcomer> | undefined;
        try {
          placed = placeNewcomer(
            { userId: provisionedUserId(row.email), name: row.name },
            manager,
            manager && state.lines.get(manager.userId),
          );
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          problem(`${error.message}: manager not set`, 'managerEmail');
          place = false;
        }
        try {
          ({ outcome, profile } = await this.provisioning.upsert(person, undefined, {
            alsoWrite: placed?.writes,
          }));
          if (placed) {
            state.lines.set(placed.line.userId, placed.line);
            if (manager && placed.managerLine) state.lines.set(manager.userId, placed.managerLine);
            result.managersSet++;
            place = false;
          }
        } catch (error) {
          // A line changed since this step read it: create, then place as a move does (below), and
          // read the manager's line again for the rows after this one.
          if (!(error instanceof AlsoWriteFailed)) throw error;
          ({ outcome, profile } = await this.provisioning.upsert(person, undefined));
          refresh = manager;
        }
      } else ({ outcome, profile } = await this.provisioning.upsert(person, existing));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problem(error.message);
      return;
    }
    state.people.set(row.email, profile);
    result[outcome]++;
    if (!place) return;
    const managerId = manager?.userId;
    const current =
      !state.moved.has(profile.userId) &&
      !(managerId && state.moved.has(managerId)) &&
      alreadyUnder(
        state.lines.get(profile.userId),
        managerId,
        managerId ? state.lines.get(managerId) : undefined,
      );
    if (current) return;
    try {
      state.lines.set(profile.userId, await this.reporting.moveLine(profile.userId, managerId));
      // Their subtree's lines changed too: rows below them in this step read theirs again.
      state.moved.add(profile.userId);
      result.managersSet++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problem(error.message, 'managerEmail');
    }
    if (refresh) {
      const line = (await this.reporting.linesOf([refresh.userId])).get(refresh.userId);
      if (line) state.lines.set(refresh.userId, line);
    }
  }
}

function encodePosition(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** The row a step starts at (in the file's managers-first order). */
function decodePosition(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(value?.offset) && value.offset >= 0 && value.offset <= 20_000) return value.offset;
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not valid for this import', [
    { field: 'cursor', message: 'invalid cursor' },
  ]);
}
