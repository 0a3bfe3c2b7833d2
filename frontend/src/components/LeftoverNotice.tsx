/**
 * Unsaved text another tab left on this device (closed before it saved), offered to an editor: restore
 * it into the form or discard it. Either way it leaves storage, so it is offered once.
 */

import { formatDate } from '../lib/time';
import { removeUnsavedKey, type Unsaved } from '../lib/unsaved';

export function LeftoverNotice<T>({
  leftover,
  what,
  onRestore,
  onDone,
}: {
  leftover: Unsaved<T>;
  /** What is being edited: "post", "page". */
  what: string;
  onRestore: (value: T) => void;
  onDone: () => void;
}) {
  const finish = (restore: boolean) => {
    if (restore) onRestore(leftover.value);
    removeUnsavedKey(leftover.key);
    onDone();
  };
  return (
    <div className="notice" role="status">
      <p>
        There is unsaved text for this {what} from {formatDate(leftover.savedAt)}
        {leftover.tab ? ', perhaps from another tab' : ''}.
      </p>
      <div className="actions">
        <button type="button" onClick={() => finish(true)}>
          Restore it
        </button>
        <button type="button" onClick={() => finish(false)}>
          Discard it
        </button>
      </div>
    </div>
  );
}
