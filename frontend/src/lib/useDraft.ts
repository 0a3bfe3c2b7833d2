/**
 * The unsaved-text side of an editor, shared by the post and page editors so that they cannot drift:
 * what is typed is mirrored to this device (per tab) until the server has it; this tab's own unsaved
 * text comes back after a reload together with the version it was based on (so a save is still
 * checked against that version, and gets a 409 if the thing moved on meanwhile); other tabs' unsaved
 * text is offered, never applied unasked.
 */
import { useEffect, useState } from 'react';
import { clearUnsaved, listUnsaved, type Unsaved, writeUnsaved } from './unsaved';

export type Draft<F> = F & { baseVersion?: number };

export interface DraftOptions<F> {
  /** Where the text is kept, e.g. `post:<space>/<id or new>`. */
  scope: string;
  /** What the server has (or the empty form). */
  baseline: F;
  /** The version on the server, when editing something that exists. */
  serverVersion?: number;
  /** Whether two sets of fields say the same thing (what counts as a change). */
  same: (a: F, b: F) => boolean;
}

export function useDraft<F extends object>({ scope, baseline, serverVersion, same }: DraftOptions<F>) {
  const [initial] = useState(() => {
    const leftovers = listUnsaved<Draft<F>>(scope).filter(
      (entry) => entry.scope === scope && !same({ ...baseline, ...entry.value }, baseline),
    );
    const mine = leftovers.find((entry) => entry.tab === sessionStorage.getItem('commonplace:tab'));
    return { mine: mine?.value, others: leftovers.filter((entry) => entry !== mine) };
  });
  const [fields, setFields] = useState<F>(() => (initial.mine ? { ...baseline, ...initial.mine } : baseline));
  const [baseVersion, setBaseVersion] = useState(initial.mine?.baseVersion ?? serverVersion);
  const [leftover, setLeftover] = useState<Unsaved<Draft<F>> | undefined>(initial.others[0]);
  const [restored, setRestored] = useState(!!initial.mine);
  const dirty =
    !same(fields, baseline) ||
    (baseVersion !== undefined && serverVersion !== undefined && baseVersion !== serverVersion);

  useEffect(() => {
    if (dirty) writeUnsaved<Draft<F>>(scope, { ...fields, baseVersion });
    else clearUnsaved(scope);
  }, [scope, fields, baseVersion, dirty]);

  return {
    fields,
    setFields,
    baseVersion,
    setBaseVersion,
    dirty,
    /** This tab's unsaved text was put back on load. */
    restored,
    /** Back to what the server has, forgetting the restored text. */
    discardRestored: () => {
      setFields(baseline);
      setBaseVersion(serverVersion);
      setRestored(false);
    },
    /** Another (closed) tab's unsaved text, to offer. */
    leftover,
    restoreLeftover: (value: Draft<F>) => {
      setFields({ ...baseline, ...value });
      setBaseVersion(value.baseVersion ?? serverVersion);
    },
    dismissLeftover: () => setLeftover(undefined),
    /** The server has it now. */
    saved: () => clearUnsaved(scope),
  };
}
