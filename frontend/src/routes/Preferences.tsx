/**
 * E-mail preferences: for each kind of notification, how soon an e-mail tells you of it (at once, in
 * the hourly or the daily digest, or never — the inbox has it either way). Saved with one PUT of the
 * kinds changed; the one-click unsubscribe link in every e-mail sets a kind to never.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type ApiError, api, get } from '../api/client';
import { keys } from '../api/query-keys';
import type { MailPreferences } from '../api/types';
import { ErrorState, Loading } from '../components/States';
import { useTitle } from '../lib/useTitle';

type Values = MailPreferences['preferences'];
type Kind = keyof Values;

const FREQUENCY_LABELS: Record<Values[Kind], string> = {
  immediately: 'Immediately',
  hourly: 'Hourly digest',
  daily: 'Daily digest',
  never: 'Never (inbox only)',
};

export default function Preferences() {
  useTitle('E-mail preferences');
  const queryClient = useQueryClient();
  const prefs = useQuery({
    queryKey: keys.mailPreferences(),
    queryFn: ({ signal }) => get<MailPreferences>('/me/notification-preferences', signal),
  });
  const [values, setValues] = useState<Values | undefined>(undefined);
  useEffect(() => {
    if (prefs.data && !values) setValues(prefs.data.preferences);
  }, [prefs.data, values]);

  const save = useMutation<MailPreferences, ApiError, Values>({
    mutationFn: (body) => api<MailPreferences>('PUT', '/me/notification-preferences', body),
    onSuccess: (data) => {
      queryClient.setQueryData(keys.mailPreferences(), data);
      setValues(data.preferences);
    },
  });

  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <h1>E-mail preferences</h1>
          <p className="muted">
            How soon we e-mail you about each kind of notification. Everything stays in your{' '}
            <Link to="/notifications">inbox</Link> either way.
          </p>
        </div>
      </div>
      {prefs.isPending || (!values && !prefs.isError) ? (
        <Loading label="Loading e-mail preferences" />
      ) : prefs.isError ? (
        <ErrorState error={prefs.error} retry={() => void prefs.refetch()} />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (values) save.mutate(values);
          }}
        >
          {(Object.keys(prefs.data.labels) as Kind[]).map((kind) => (
            <div className="field" key={kind}>
              <label htmlFor={`pref-${kind}`}>{prefs.data.labels[kind]}</label>
              <select
                id={`pref-${kind}`}
                value={values![kind]}
                onChange={(event) => {
                  save.reset();
                  setValues({ ...values!, [kind]: event.target.value as Values[Kind] });
                }}
              >
                {(Object.keys(FREQUENCY_LABELS) as Values[Kind][]).map((frequency) => (
                  <option key={frequency} value={frequency}>
                    {FREQUENCY_LABELS[frequency]}
                    {prefs.data.defaults[kind] === frequency ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save'}
            </button>
          </div>
          <p role="status">{save.isSuccess ? 'Saved.' : ''}</p>
          {save.isError && (
            <p role="alert" className="error-text">
              Not saved: {save.error.message}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
