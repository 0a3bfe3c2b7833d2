/**
 * What an editor says about unsaved text on opening (useDraft): this tab's text was restored (with a
 * way back to the server's version), or another tab left text here (restore or discard it).
 */
import type { useDraft } from '../lib/useDraft';
import { LeftoverNotice } from './LeftoverNotice';

export function DraftNotices<F extends object>({
  draft,
  what,
}: {
  draft: ReturnType<typeof useDraft<F>>;
  what: string;
}) {
  return (
    <>
      {draft.restored && (
        <div className="notice" role="status">
          <p>Your unsaved changes were restored.</p>
          <button type="button" onClick={draft.discardRestored}>
            Discard them
          </button>
        </div>
      )}
      {draft.leftover && (
        <LeftoverNotice
          leftover={draft.leftover}
          what={what}
          onRestore={draft.restoreLeftover}
          onDone={draft.dismissLeftover}
        />
      )}
    </>
  );
}
