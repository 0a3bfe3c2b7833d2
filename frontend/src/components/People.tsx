/** People as they appear in lists: a name linking to the profile, and a clear mark on external people. */
import { Link } from 'react-router';

export function ExternalBadge({ org }: { org: string }) {
  return (
    <span className="badge badge-external" title={`External: partner organisation ${org}`}>
      External · {org}
    </span>
  );
}

export function PersonName({ id, name, org }: { id?: string; name: string; org?: string }) {
  return (
    <span className="person">
      {id && id !== 'hidden' ? (
        <Link to={`/people/${encodeURIComponent(id)}`}>{name}</Link>
      ) : (
        <span>{name}</span>
      )}
      {org && (
        <>
          {' '}
          <ExternalBadge org={org} />
        </>
      )}
    </span>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}
