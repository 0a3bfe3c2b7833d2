/**
 * "Will notify…": who the fan-out would tell if the draft were saved now, asked of the server (the
 * same rules as the fan-out) a moment after typing stops, so it follows @mentions as they are typed.
 * A line, expandable to the list; people are named, followers and watchers counted.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { AudiencePreview as Preview } from '../api/types';
import { useDebounced } from '../lib/useDebounced';

/** How long typing must pause before the preview is asked again. */
export const PREVIEW_DEBOUNCE_MS = 600;

const number = (n: number, more: boolean) => (more ? `${n.toLocaleString('en')}+` : n.toLocaleString('en'));
/** "12 watchers of Engineering", "1 watcher of Engineering", "1,000+ followers of you". */
const counted = (g: Preview['groups'][number]) =>
  `${number(g.count, g.more)} ${g.count === 1 && !g.more ? g.label.replace(/^(\w+)s\b/, '$1') : g.label}`;

/** "@bob — mentioned; 12 watchers of Engineering; 3 followers of you", or why nobody is told. */
export function audienceSummary(preview: Preview): string {
  if (preview.silent === 'minor-edit') return 'nobody (a minor edit)';
  if (preview.silent === 'draft') return 'nobody while it is a draft';
  const parts = [...preview.people.map((p) => `@${p.handle} — mentioned`), ...preview.groups.map(counted)];
  return parts.length ? parts.join('; ') : 'nobody';
}

export function AudiencePreview({ path, draft }: { path: string; draft: Record<string, unknown> }) {
  const debounced = useDebounced(JSON.stringify(draft), PREVIEW_DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: ['audience-preview', path, debounced],
    queryFn: ({ signal }) => api<Preview>('POST', path, JSON.parse(debounced), signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    retry: false,
  });
  if (preview.isError || !preview.data) return null;
  const data = preview.data;
  const detailed = data.people.length + data.groups.length + data.notTold.length > 0;
  const line = (
    <>
      <strong>Will notify:</strong> {audienceSummary(data)}
    </>
  );
  return (
    <div className="audience-preview small" aria-live="polite" aria-atomic="true">
      {detailed ? (
        <details>
          <summary>{line}</summary>
          <ul>
            {data.people.map((p) => (
              <li key={p.userId}>
                {p.name} (@{p.handle}) — mentioned
              </li>
            ))}
            {data.groups.map((g) => (
              <li key={g.label}>{counted(g)}</li>
            ))}
            {data.notTold.map((p) => (
              <li key={p.userId} className="muted">
                {p.name} (@{p.handle}) — mentioned, but cannot read it: not told
              </li>
            ))}
          </ul>
          <p className="muted">
            Counts are of the lists: people who muted this, or cannot read it, are not told; nobody is told
            twice.
          </p>
        </details>
      ) : (
        <p>{line}</p>
      )}
    </div>
  );
}

/** The editors' "minor edit" choice: the change is saved and notifies nobody (the fan-out's rule). */
export function MinorEditCheckbox({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (minor: boolean) => void;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      Minor edit — notify nobody
    </label>
  );
}
