/** Loading, empty, error and not-found states, so every screen says what is going on. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/client';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <div className="state state-not-found" role="alert">
      <h1>Not found</h1>
      <p>This {what} does not exist, or you do not have access to it.</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </div>
  );
}

/** An error from a query: not-found gets its own state; anything else offers to try again. */
export function ErrorState({ error, retry, what }: { error: unknown; retry?: () => void; what?: string }) {
  if (isApiError(error, 'not-found')) return <NotFound what={what} />;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const title = isApiError(error) ? error.title : 'Something went wrong';
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
