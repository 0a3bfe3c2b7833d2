/**
 * Administration (admins only): partner organisations — add one with its e-mail domains and identity
 * provider, look at its people and shared spaces, suspend or reactivate it, set or extend its end
 * date and each person's, remove it — and the audit trail of every change to who can see what, with
 * filters, paging and CSV / JSON Lines export. The API decides; this screen only asks.
 */

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, NavLink, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import type { AuditRecordView, OrganisationDetailView } from '../../../functions/api/schemas/partners';
import { AUDIT_KINDS } from '../../../functions/domain/audit/audit-record';
import { type ApiError, api, enc, get, getText, isApiError, query } from '../api/client';
import type { Organisation, Page } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Empty, ErrorState, Loading } from '../components/States';
import { Time } from '../components/Time';
import { useTitle } from '../lib/useTitle';

type OrganisationDetail = z.output<typeof OrganisationDetailView>;
type AuditRecord = z.output<typeof AuditRecordView>;

const adminKeys = {
  orgs: () => ['orgs'] as const,
  org: (orgId: string) => ['orgs', 'detail', orgId] as const,
  audit: (filter: AuditFilter) => ['audit', filter] as const,
};

function AdminFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { isAdmin } = useAuth();
  useTitle(title);
  // Not an error of the app: a page that says what it is and why it is closed (with its heading).
  if (!isAdmin)
    return (
      <div className="state" role="alert">
        <h1>{title}</h1>
        <p>Only admins can open the administration pages.</p>
        <p>
          <Link to="/">Go to your home page</Link>
        </p>
      </div>
    );
  return (
    <div className="admin">
      <nav aria-label="Administration" className="tabs">
        <NavLink to="/admin/partners">Partner organisations</NavLink>
        <NavLink to="/admin/audit">Audit trail</NavLink>
      </nav>
      {children}
    </div>
  );
}

/** Problem details as one sentence, with the fields the API named. */
function Problem({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div role="alert" className="error-text">
      <p>{error.message}</p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((issue) => (
            <li key={issue.field}>
              {issue.field.replace(/^json\./, '')}: {issue.detail ?? issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Partner organisations

export function PartnerOrganisations() {
  const orgs = useQuery({
    queryKey: adminKeys.orgs(),
    queryFn: ({ signal }) => get<{ items: Organisation[] }>('/orgs', signal),
  });
  return (
    <AdminFrame title="Partner organisations">
      <h1>Partner organisations</h1>
      {orgs.isPending ? (
        <Loading label="Loading partner organisations" />
      ) : orgs.isError ? (
        <ErrorState error={orgs.error} retry={() => void orgs.refetch()} />
      ) : orgs.data.items.length === 0 ? (
        <Empty title="No partner organisations yet" />
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls must be reachable by keyboard
        <section className="table-scroll" aria-label="Partner organisations" tabIndex={0}>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">E-mail domains</th>
                <th scope="col">Identity provider</th>
                <th scope="col">Status</th>
                <th scope="col">Access ends</th>
              </tr>
            </thead>
            <tbody>
              {orgs.data.items.map((org) => (
                <tr key={org.id} data-org={org.id}>
                  <td>
                    <Link to={`/admin/partners/${enc(org.id)}`}>{org.name}</Link>{' '}
                    <span className="muted">({org.id})</span>
                  </td>
                  <td>{org.emailDomains?.join(', ') || '—'}</td>
                  <td>{org.provider ? `${org.provider.name} (${org.provider.kind.toUpperCase()})` : '—'}</td>
                  <td className={`status-${org.status ?? 'active'}`}>{org.status ?? 'active'}</td>
                  <td>{org.accessEndsAt ? <Time iso={org.accessEndsAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <AddOrganisation />
    </AdminFrame>
  );
}

function AddOrganisation() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    id: '',
    name: '',
    domains: '',
    kind: 'oidc' as 'none' | 'oidc' | 'saml',
    providerName: '',
    issuer: '',
    clientId: '',
    clientSecret: '',
    metadataUrl: '',
    accessEndsAt: '',
  });
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [field]: event.target.value });
  const add = useMutation<Organisation, ApiError>({
    mutationFn: () =>
      api<Organisation>('POST', '/orgs', {
        id: form.id.trim(),
        name: form.name,
        emailDomains: form.domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
        ...(form.kind === 'oidc'
          ? {
              provider: {
                name: form.providerName.trim() || form.id.trim(),
                kind: 'oidc',
                issuer: form.issuer.trim(),
                clientId: form.clientId.trim(),
                ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
              },
            }
          : form.kind === 'saml'
            ? {
                provider: {
                  name: form.providerName.trim() || form.id.trim(),
                  kind: 'saml',
                  metadataUrl: form.metadataUrl.trim(),
                },
              }
            : {}),
        ...(form.accessEndsAt ? { accessEndsAt: new Date(form.accessEndsAt).toISOString() } : {}),
      }),
    onSuccess: (org) => {
      void queryClient.invalidateQueries({ queryKey: adminKeys.orgs() });
      navigate(`/admin/partners/${enc(org.id)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section aria-labelledby="add-org-heading">
      <h2 id="add-org-heading">Add a partner organisation</h2>
      <form onSubmit={submit} className="stacked">
        <label>
          Id (lower case, used in URLs)
          <input name="id" required value={form.id} onChange={set('id')} pattern="[a-z][a-z0-9-]{1,40}" />
        </label>
        <label>
          Name
          <input name="name" required value={form.name} onChange={set('name')} />
        </label>
        <label>
          E-mail domains (comma-separated)
          <input
            name="domains"
            value={form.domains}
            onChange={set('domains')}
            placeholder="supplier.example"
          />
        </label>
        <fieldset>
          <legend>Identity provider</legend>
          <label className="inline">
            <input
              type="radio"
              name="kind"
              checked={form.kind === 'oidc'}
              onChange={() => setForm({ ...form, kind: 'oidc' })}
            />{' '}
            OIDC
          </label>
          <label className="inline">
            <input
              type="radio"
              name="kind"
              checked={form.kind === 'saml'}
              onChange={() => setForm({ ...form, kind: 'saml' })}
            />{' '}
            SAML
          </label>
          <label className="inline">
            <input
              type="radio"
              name="kind"
              checked={form.kind === 'none'}
              onChange={() => setForm({ ...form, kind: 'none' })}
            />{' '}
            None yet
          </label>
          {form.kind !== 'none' && (
            <label>
              Provider name (defaults to the id)
              <input name="providerName" value={form.providerName} onChange={set('providerName')} />
            </label>
          )}
          {form.kind === 'oidc' && (
            <>
              <label>
                Issuer URL
                <input name="issuer" type="url" required value={form.issuer} onChange={set('issuer')} />
              </label>
              <label>
                Client id
                <input name="clientId" required value={form.clientId} onChange={set('clientId')} />
              </label>
              <label>
                Client secret (stored, never shown again)
                <input
                  name="clientSecret"
                  type="password"
                  autoComplete="off"
                  value={form.clientSecret}
                  onChange={set('clientSecret')}
                />
              </label>
            </>
          )}
          {form.kind === 'saml' && (
            <label>
              SAML metadata URL (fetched through the safe fetcher)
              <input
                name="metadataUrl"
                type="url"
                required
                value={form.metadataUrl}
                onChange={set('metadataUrl')}
              />
            </label>
          )}
        </fieldset>
        <label>
          Access ends (optional)
          <input
            name="accessEndsAt"
            type="datetime-local"
            value={form.accessEndsAt}
            onChange={set('accessEndsAt')}
          />
        </label>
        <Problem error={add.error} />
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add organisation'}
        </button>
      </form>
    </section>
  );
}

export function PartnerOrganisationPage() {
  const { orgId = '' } = useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const detail = useQuery({
    queryKey: adminKeys.org(orgId),
    queryFn: ({ signal }) => get<OrganisationDetail>(`/orgs/${enc(orgId)}`, signal),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: adminKeys.orgs() });
  };
  const status = useMutation<Organisation, ApiError, 'active' | 'suspended'>({
    mutationFn: (next) => api('PUT', `/orgs/${enc(orgId)}/status`, { status: next }),
    onSuccess: refresh,
  });
  const [end, setEnd] = useState('');
  const access = useMutation<Organisation, ApiError, string | null>({
    mutationFn: (date) => api('PUT', `/orgs/${enc(orgId)}/access`, { accessEndsAt: date }),
    onSuccess: () => {
      setEnd('');
      refresh();
    },
  });
  const remove = useMutation<void, ApiError>({
    mutationFn: () => api('DELETE', `/orgs/${enc(orgId)}`),
    onSuccess: () => {
      refresh();
      navigate('/admin/partners');
    },
  });

  if (detail.isPending) return <Loading label="Loading organisation" />;
  if (detail.isError)
    return <ErrorState error={detail.error} retry={() => void detail.refetch()} what="organisation" />;
  const { organisation: org, people, spaces } = detail.data;
  const suspended = org.status === 'suspended';
  return (
    <AdminFrame title={org.name}>
      <h1>{org.name}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="org-status">{org.status}</dd>
        <dt>E-mail domains</dt>
        <dd>{org.emailDomains.join(', ') || '—'}</dd>
        <dt>Identity provider</dt>
        <dd>
          {org.provider
            ? org.provider.kind === 'oidc'
              ? `${org.provider.name}: OIDC, ${org.provider.issuer} (client ${org.provider.clientId}${org.provider.hasClientSecret ? ', secret stored' : ''})`
              : `${org.provider.name}: SAML, ${org.provider.metadataUrl}`
            : '—'}
        </dd>
        <dt>Access ends</dt>
        <dd>{org.accessEndsAt ? <Time iso={org.accessEndsAt} /> : 'no end date'}</dd>
      </dl>

      <section aria-labelledby="access-heading">
        <h2 id="access-heading">Access</h2>
        <p className="muted">
          Suspending refuses the organisation's people on their very next request; reactivating lets them in
          again.
        </p>
        <button
          type="button"
          className={suspended ? 'primary' : 'danger'}
          disabled={status.isPending}
          onClick={() => status.mutate(suspended ? 'active' : 'suspended')}
        >
          {suspended ? 'Reactivate' : 'Suspend'}
        </button>
        <Problem error={status.error} />
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (end) access.mutate(new Date(end).toISOString());
          }}
        >
          <label>
            End date
            <input
              name="orgAccessEndsAt"
              type="datetime-local"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
            />
          </label>
          <button type="submit" disabled={!end || access.isPending}>
            Set or extend end date
          </button>
          {org.accessEndsAt && (
            <button type="button" onClick={() => access.mutate(null)} disabled={access.isPending}>
              Remove end date
            </button>
          )}
        </form>
        <Problem error={access.error} />
      </section>

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">People</h2>
        {people.length === 0 ? (
          <Empty title="Nobody has signed in yet" />
        ) : (
          <ul className="plain-list">
            {people.map((person) => (
              <PersonAccess key={person.userId} orgId={org.id} person={person} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="spaces-heading">
        <h2 id="spaces-heading">Spaces shared with {org.name}</h2>
        {spaces.length === 0 ? (
          <Empty title="No space is shared with this organisation" />
        ) : (
          <ul className="plain-list">
            {spaces.map((space) => (
              <li key={space.id}>
                <Link to={`/spaces/${enc(space.id)}`}>{space.id}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="remove-heading">
        <h2 id="remove-heading">Remove</h2>
        <p className="muted">Unshare its spaces first. Its people are refused from then on.</p>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Remove ${org.name}?`)) remove.mutate();
          }}
        >
          Remove organisation
        </button>
        <Problem error={remove.error} />
      </section>
    </AdminFrame>
  );
}

function PersonAccess({ orgId, person }: { orgId: string; person: OrganisationDetail['people'][number] }) {
  const queryClient = useQueryClient();
  const [end, setEnd] = useState('');
  const save = useMutation<unknown, ApiError, string | null>({
    mutationFn: (date) =>
      api('PUT', `/orgs/${enc(orgId)}/people/${enc(person.userId)}/access`, { accessEndsAt: date }),
    onSuccess: () => {
      setEnd('');
      void queryClient.invalidateQueries({ queryKey: adminKeys.org(orgId) });
    },
  });
  return (
    <li>
      <Link to={`/people/${enc(person.userId)}`}>{person.name}</Link>{' '}
      <span className="muted">{person.email}</span>{' '}
      {person.accessEndsAt ? (
        <>
          access ends <Time iso={person.accessEndsAt} />{' '}
          <button type="button" onClick={() => save.mutate(null)}>
            Remove end date
          </button>
        </>
      ) : null}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (end) save.mutate(new Date(end).toISOString());
        }}
      >
        <label>
          End date for {person.name}
          <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
        <button type="submit" disabled={!end || save.isPending}>
          Set
        </button>
      </form>
      <Problem error={save.error} />
    </li>
  );
}

// ---------------------------------------------------------------------------------------------
// Audit trail

interface AuditFilter {
  kind?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
}

const filterParams = (filter: AuditFilter) => ({
  kind: filter.kind || undefined,
  actor: filter.actor || undefined,
  target: filter.target || undefined,
  from: filter.from ? new Date(filter.from).toISOString() : undefined,
  to: filter.to ? new Date(filter.to).toISOString() : undefined,
});

export function AuditTrail() {
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const [download, setDownload] = useState<{ url: string; name: string }>();
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const records = useInfiniteQuery({
    queryKey: adminKeys.audit(filter),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      get<Page<AuditRecord>>(
        `/audit${query({ ...filterParams(filter), limit: 50, cursor: pageParam })}`,
        signal,
      ),
    getNextPageParam: (last) => last.cursor,
  });
  const exportAs = async (format: 'csv' | 'jsonl') => {
    setExportError(null);
    try {
      const text = await getText(`/audit/export${query({ ...filterParams(filter), format })}`);
      if (download) URL.revokeObjectURL(download.url);
      setDownload({
        url: URL.createObjectURL(
          new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }),
        ),
        name: `audit.${format}`,
      });
    } catch (error) {
      setExportError(isApiError(error) ? error : null);
    }
  };
  const field = (name: keyof AuditFilter) => ({
    name,
    value: draft[name] ?? '',
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  const items = records.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <AdminFrame title="Audit trail">
      <h1>Audit trail</h1>
      <p className="muted">
        Every change to who can see what. Records cannot be changed and are kept for 400 days.
      </p>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(draft);
        }}
      >
        <label>
          Kind
          <select {...field('kind')}>
            <option value="">any</option>
            {AUDIT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor (user id)
          <input {...field('actor')} />
        </label>
        <label>
          Target
          <input {...field('target')} placeholder="organisation:acme" />
        </label>
        <label>
          From
          <input type="datetime-local" {...field('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" {...field('to')} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <p>
        <button type="button" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>{' '}
        <button type="button" onClick={() => void exportAs('jsonl')}>
          Export JSON Lines
        </button>{' '}
        {download && (
          <a href={download.url} download={download.name}>
            Download {download.name}
          </a>
        )}
      </p>
      <Problem error={exportError} />
      {records.isPending ? (
        <Loading label="Loading audit records" />
      ) : records.isError ? (
        <ErrorState error={records.error} retry={() => void records.refetch()} />
      ) : items.length === 0 && !records.hasNextPage ? (
        <Empty title="No records match" />
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls must be reachable by keyboard
        <section className="table-scroll" aria-label="Audit records" tabIndex={0}>
          <table className="admin-table audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Target</th>
                <th scope="col">Before → after</th>
              </tr>
            </thead>
            <tbody>
              {items.map((record) => (
                <tr key={record.id} data-kind={record.kind}>
                  <td>
                    <Time iso={record.at} />
                  </td>
                  <td>{record.kind}</td>
                  <td>{record.actor.name}</td>
                  <td>{record.target}</td>
                  <td>
                    <code>{record.before ? JSON.stringify(record.before) : '—'}</code> →{' '}
                    <code>{record.after ? JSON.stringify(record.after) : '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {records.hasNextPage && (
        <button
          type="button"
          onClick={() => void records.fetchNextPage()}
          disabled={records.isFetchingNextPage}
        >
          {records.isFetchingNextPage ? 'Loading…' : 'More'}
        </button>
      )}
    </AdminFrame>
  );
}
