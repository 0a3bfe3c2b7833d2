/**
 * Reading a people file as HR systems export it (Workday, BambooHR, Entra ID's "Download users"): CSV
 * with a header row whose names vary ("Email", "Work Email", "userPrincipalName"; "Manager Email",
 * "Reports To"). Pure: the import (people-import.ts) decides what to write. Every problem is reported
 * against its row (the header is row 1), and the rows without one are imported.
 */
import { InvalidInput } from '../errors';

export type PeopleColumn =
  | 'email'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'title'
  | 'department'
  | 'location'
  | 'phone'
  | 'managerEmail'
  | 'employeeId'
  | 'status';

/** Header names as exported, compared lower case without spaces, `-`, `_` or dots. */
const HEADER_NAMES: Record<string, PeopleColumn> = {
  email: 'email',
  emailaddress: 'email',
  workemail: 'email',
  mail: 'email',
  userprincipalname: 'email',
  username: 'email',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  firstname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  title: 'title',
  jobtitle: 'title',
  position: 'title',
  department: 'department',
  dept: 'department',
  location: 'location',
  office: 'location',
  officelocation: 'location',
  city: 'location',
  phone: 'phone',
  workphone: 'phone',
  telephone: 'phone',
  phonenumber: 'phone',
  manageremail: 'managerEmail',
  manager: 'managerEmail',
  reportsto: 'managerEmail',
  supervisoremail: 'managerEmail',
  employeeid: 'employeeId',
  employeenumber: 'employeeId',
  status: 'status',
  active: 'status',
  accountenabled: 'status',
};

export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const EMAIL = /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;
const FIELD_LIMITS: Partial<Record<PeopleColumn, number>> = {
  name: 120,
  title: 120,
  department: 120,
  location: 120,
  phone: 40,
};

export interface PersonRow {
  /** The row's number in the file (the header is 1). */
  row: number;
  email: string;
  name: string;
  title?: string;
  department?: string;
  location?: string;
  phone?: string;
  managerEmail?: string;
  employeeId?: string;
  active: boolean;
}

export interface RowProblem {
  row: number;
  email?: string;
  field?: string;
  message: string;
}

export interface ParsedPeople {
  rows: PersonRow[];
  problems: RowProblem[];
  /** Header names that are not a known column (reported on row 1, their values ignored). */
  unknownColumns: string[];
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * The people of a file. Refused as a whole (InvalidInput, nothing written) only when it cannot be a
 * people file: empty, no e-mail column, too many rows. Everything else is a row problem: a missing or
 * malformed e-mail or name, a duplicate e-mail (the first row wins), a manager that is the person.
 */
export function parsePeopleCsv(text: string): ParsedPeople {
  const records = csvRecords(text).filter((record) => record.some((field) => field.trim() !== ''));
  if (records.length === 0)
    throw new InvalidInput('The file is empty', [{ field: 'csv', message: 'no header row' }]);
  const header = records[0].map((name) => name.trim());
  const columns = header.map((name) => HEADER_NAMES[name.toLowerCase().replace(/[\s_.-]/g, '')]);
  if (!columns.includes('email'))
    throw new InvalidInput('The file has no e-mail column (Email, Work Email or userPrincipalName)', [
      { field: 'csv', message: 'no e-mail column' },
    ]);
  if (!columns.includes('name') && !columns.includes('firstName') && !columns.includes('lastName'))
    throw new InvalidInput('The file has no name column (Name, or First Name and Last Name)', [
      { field: 'csv', message: 'no name column' },
    ]);
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw new InvalidInput(`At most ${MAX_IMPORT_ROWS} people a file`, [
      { field: 'csv', message: 'too many rows' },
    ]);
  const unknownColumns = header.filter((name, i) => !columns[i] && name !== '');
  const problems: RowProblem[] = unknownColumns.length
    ? [
        {
          row: 1,
          field: 'header',
          message: `unknown column${unknownColumns.length > 1 ? 's' : ''} ignored: ${unknownColumns.join(', ')}`,
        },
      ]
    : [];
  const firstRowOf = new Map<string, number>();
  const rows: PersonRow[] = [];
  // Where each known column is (the first of its name), found once: a step parses the whole file.
  const at = new Map<PeopleColumn, number>();
  columns.forEach((column, i) => {
    if (column && !at.has(column)) at.set(column, i);
  });
  const limited = Object.keys(FIELD_LIMITS) as PeopleColumn[];
  for (let i = 1; i < records.length; i++) {
    const record = records[i];
    const row = i + 1;
    const cells: Partial<Record<PeopleColumn, string>> = {};
    for (const [column, index] of at) {
      const text = (record[index] ?? '').trim().replace(/\s+/g, ' ');
      if (text !== '') cells[column] = text;
    }
    const email = cells.email?.toLowerCase();
    if (!email || !EMAIL.test(email)) {
      problems.push({
        row,
        field: 'email',
        message: email ? `not an e-mail address: ${email}` : 'no e-mail',
      });
      continue;
    }
    const first = firstRowOf.get(email);
    if (first !== undefined) {
      problems.push({
        row,
        email,
        field: 'email',
        message: `duplicate e-mail (first on row ${first}); row skipped`,
      });
      continue;
    }
    firstRowOf.set(email, row);
    const name = cells.name ?? [cells.firstName, cells.lastName].filter(Boolean).join(' ');
    if (!name) {
      problems.push({ row, email, field: 'name', message: 'no name' });
      continue;
    }
    const tooLong = limited.find(
      (column) => (column === 'name' ? name : (cells[column] ?? '')).length > FIELD_LIMITS[column]!,
    );
    if (tooLong) {
      problems.push({
        row,
        email,
        field: tooLong,
        message: `longer than ${FIELD_LIMITS[tooLong]} characters`,
      });
      continue;
    }
    const managerEmail = cells.managerEmail?.toLowerCase();
    if (managerEmail !== undefined && !EMAIL.test(managerEmail)) {
      problems.push({ row, email, field: 'managerEmail', message: `not an e-mail address: ${managerEmail}` });
      continue;
    }
    if (managerEmail === email) {
      problems.push({ row, email, field: 'managerEmail', message: 'a person cannot be their own manager' });
      continue;
    }
    const status = cells.status?.toLowerCase();
    rows.push({
      row,
      email,
      name,
      ...(cells.title ? { title: cells.title } : {}),
      ...(cells.department ? { department: cells.department } : {}),
      ...(cells.location ? { location: cells.location } : {}),
      ...(cells.phone ? { phone: cells.phone } : {}),
      ...(managerEmail ? { managerEmail } : {}),
      ...(cells.employeeId ? { employeeId: cells.employeeId } : {}),
      active: !status || !['inactive', 'terminated', 'false', 'no', 'disabled', '0'].includes(status),
    });
  }
  return { rows, problems, unknownColumns };
}

/**
 * The file's rows with managers before their reports (managers outside the file count as placed), and
 * the rows in a manager cycle within the file (A → B → A), which are left out.
 */
export function managersFirst(rows: PersonRow[]): { ordered: PersonRow[]; cyclic: PersonRow[] } {
  const byEmail = new Map(rows.map((row) => [row.email, row]));
  const state = new Map<string, 'visiting' | 'done' | 'cyclic'>();
  const ordered: PersonRow[] = [];
  const cyclic: PersonRow[] = [];
  for (const start of rows) {
    // Walk up from each row iteratively (deep lines must not overflow the stack).
    const path: PersonRow[] = [];
    let at: PersonRow | undefined = start;
    while (at && !state.has(at.email)) {
      state.set(at.email, 'visiting');
      path.push(at);
      at = at.managerEmail ? byEmail.get(at.managerEmail) : undefined;
    }
    const loops = at && state.get(at.email) === 'visiting';
    const cycleFrom = loops ? path.indexOf(at!) : path.length;
    for (let i = path.length - 1; i >= 0; i--) {
      const row = path[i];
      // Rows below a cycle are placed: under a manager who keeps the line they had before.
      if (i >= cycleFrom) {
        state.set(row.email, 'cyclic');
        cyclic.push(row);
      } else {
        state.set(row.email, 'done');
        ordered.push(row);
      }
    }
  }
  return { ordered, cyclic };
}
