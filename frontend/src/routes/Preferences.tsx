/**
 * Preferences. Watching: whether creating, commenting and editing make you watch the thing (each box
 * saves at once). E-mail: for each kind of notification, how soon an e-mail tells you of it (at once, in
 * the hourly or the daily digest, or never — the inbox has it either way). Saved with one PUT of the
 * kinds changed; the one-click unsubscribe link in every e-mail sets a kind to never.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { type ApiError, api, get } from '../api/client';
import { keys } from '../api/query-keys';
import type { MailPreferences, WatchSettings } from '../api/types';
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
  useTitle('Preferences');
  return (
    <div className="page page-narrow">
      <h1>Preferences</h1>
      <WatchSettingsForm />
      <MailPreferencesForm />
    </div>
  );
}

const WATCH_LABELS: Record<keyof WatchSettings, string> = {
  watchOnCreate: 'Watch the posts and pages I create',
  watchOnComment: 'Watch the posts I comment on',
  watchOnEdit: 'Watch the wiki pages I edit',
};

function WatchSettingsForm() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: keys.watchSettings(),
    queryFn: ({ signal }) => get<WatchSettings>('/me/subscription-settings', signal),
  });
  const save = useMutation<WatchSettings, ApiError, Partial<WatchSettings>>({
    mutationFn: (change) => api<WatchSettings>('PUT', '/me/subscription-settings', change),
    // The box shows the new state at once; a refusal puts back what the server holds.
    onMutate: (change) =>
      queryClient.setQueryData<WatchSettings>(keys.watchSettings(), (old) => old && { ...old, ...change }),
    onSuccess: (data) => queryClient.setQueryData(keys.watchSettings(), data),
    onError: () => void queryClient.invalidateQueries({ queryKey: keys.watchSettings() }),
  });
  return (
    <section aria-labelledby="watch-settings-heading">
      <h2 id="watch-settings-heading">Watching</h2>
      <p className="muted">
        What you watch tells you of new comments and edits. You can always stop watching one thing with its
        Watch button.
      </p>
      {settings.isPending ? (
        <Loading label="Loading watch settings" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} retry={() => void settings.refetch()} />
      ) : (
        <fieldset>
          <legend>Start watching automatically</legend>
          {(Object.keys(WATCH_LABELS) as (keyof WatchSettings)[]).map((name) => (
            <div className="checkbox" key={name}>
              <input
                type="checkbox"
                id={`watch-${name}`}
                checked={settings.data[name]}
                onChange={(event) => save.mutate({ [name]: event.target.checked })}
              />
              <label htmlFor={`watch-${name}`}>{WATCH_LABELS[name]}</label>
            </div>
          ))}
          <p role="status">{save.isSuccess ? 'Saved.' : ''}</p>
          {save.isError && (
            <p role="alert" className="error-text">
              Not saved: {save.error.message}
            </p>
          )}
        </fieldset>
      )}
    </section>
  );
}

function MailPreferencesForm() {
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
    <section aria-labelledby="mail-preferences-heading">
      <h2 id="mail-preferences-heading">E-mail</h2>
      <p className="muted">
        How soon we e-mail you about each kind of notification. Everything stays in your{' '}
        <Link to="/notifications">inbox</Link> either way.
      </p>
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
    </section>
  );
}
