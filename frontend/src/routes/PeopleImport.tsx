/**
 * Admins import people and managers from the CSV file an HR system exports. The file is sent once per
 * step with the last step's cursor (no step comes near the API's time limit), so the progress bar moves
 * with each step; problems are listed by row as they come, and the rest is imported.
 */
import { type FormEvent, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, isApiError } from '../api/client';
import type { ImportStep } from '../api/people';
import { useAuth } from '../auth/AuthContext';
import { Empty } from '../components/States';
import { useTitle } from '../lib/useTitle';

interface Totals {
  total: number;
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  managersSet: number;
  problems: ImportStep['problems'];
  finished: boolean;
}

/**
 * One step; a step that failed on the way (no connection, a 5xx) is sent again up to twice: steps are
 * idempotent, so a repeat does what is left and changes nothing twice.
 */
async function importStep(csv: string, cursor: string | undefined): Promise<ImportStep> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api<ImportStep>('POST', '/people/import', { csv, ...(cursor ? { cursor } : {}) });
    } catch (failure) {
      const transient = isApiError(failure) && (failure.status === 0 || failure.status >= 500);
      if (!transient || attempt >= 3) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

export default function PeopleImport() {
  const { isAdmin } = useAuth();
  useTitle('Import people');
  const id = useId();
  const file = useRef<HTMLInputElement>(null);
  const [totals, setTotals] = useState<Totals | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  if (!isAdmin) return <Empty title="Only admins import people" />;

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) {
      setError('Choose a CSV file first.');
      return;
    }
    setError(null);
    setRunning(true);
    const csv = await chosen.text();
    let sum: Totals = {
      total: 0,
      done: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      managersSet: 0,
      problems: [],
      finished: false,
    };
    setTotals(sum);
    let cursor: string | undefined;
    try {
      do {
        const step = await importStep(csv, cursor);
        sum = {
          total: step.total,
          done: step.done,
          created: sum.created + step.created,
          updated: sum.updated + step.updated,
          unchanged: sum.unchanged + step.unchanged,
          managersSet: sum.managersSet + step.managersSet,
          problems: [...sum.problems, ...step.problems],
          finished: !step.cursor,
        };
        setTotals(sum);
        cursor = step.cursor;
      } while (cursor);
    } catch (failure) {
      setError(
        isApiError(failure)
          ? `${failure.message}${cursor ? ' The import stopped part-way; import the same file again to finish it (what is done is kept).' : ''}`
          : String(failure),
      );
    } finally {
      setRunning(false);
    }
  };

  const work = totals ? Math.max(1, totals.total) : 1;
  return (
    <div className="page people-import">
      <h1>Import people</h1>
      <p>
        A CSV file as your HR system exports it, with a header row: <code>Email</code> (or Work Email,
        userPrincipalName), <code>Name</code> (or First Name and Last Name), and any of Title, Department,
        Location, Phone, <code>Manager Email</code>, Employee ID, Status. Importing the same file again
        changes nothing; people are matched by e-mail.
      </p>
      <form onSubmit={start}>
        <label htmlFor={`${id}-file`}>People file (CSV)</label>
        <input id={`${id}-file`} ref={file} type="file" accept=".csv,text/csv" disabled={running} />
        <button type="submit" disabled={running}>
          {running ? 'Importing…' : 'Import'}
        </button>
      </form>
      {error && (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      )}
      {totals && (
        <section aria-labelledby={`${id}-progress-title`} className="import-progress">
          <h2 id={`${id}-progress-title`}>{totals.finished ? 'Import finished' : 'Importing'}</h2>
          <label htmlFor={`${id}-progress`}>
            {totals.total
              ? `People and managers: ${Math.round((100 * totals.done) / work)}%`
              : 'Reading the file…'}
          </label>
          <progress id={`${id}-progress`} max={work} value={totals.done} />
          <p role="status">
            {totals.created} created, {totals.updated} updated, {totals.unchanged} unchanged,{' '}
            {totals.managersSet} reporting lines set; {totals.problems.length} problem
            {totals.problems.length === 1 ? '' : 's'}.
          </p>
          {totals.problems.length > 0 && (
            <table className="import-problems">
              <caption>Rows not imported as they are</caption>
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {totals.problems.map((problem) => (
                  <tr key={`${problem.row}-${problem.field ?? ''}-${problem.message}`}>
                    <td>{problem.row}</td>
                    <td>{problem.email ?? ''}</td>
                    <td>{problem.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {totals.finished && (
            <p>
              <Link to="/people">Open the people directory</Link>
            </p>
          )}
        </section>
      )}
    </div>
  );
}
