/**
 * Reading the local runtime's state files (manifest, checkpoints, failure destination, queue, signing
 * key). A file that exists but cannot be used stops the start with one line naming it and saying what
 * to do — never a raw `SyntaxError` stack, and never a silent fresh start over it.
 */
import fs from 'node:fs';

/** The commands the refusal messages point at (docs/operations.md, "When start-up refuses the data folder"). */
export const RESTORE_ADVICE =
  'Restore the data folder from a backup (`npm run restore -- <file>`; backups come from `npm run backup`)';

/** The local data folder cannot be used as it is; the message says what is wrong and how to recover. */
export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

/**
 * Parses a JSON state file: undefined when it does not exist; a DataFolderError naming the file, what
 * it holds and the way out when it is empty, truncated or not JSON.
 */
export function readJsonState<T>(file: string, holds: string, remedy = `${RESTORE_ADVICE}.`): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFolderError(`${file} (${holds}) cannot be read: ${(error as Error).message}. ${remedy}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const why = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(error as Error).message})`;
    throw new DataFolderError(`${file} (${holds}) is damaged: ${why}. ${remedy}`);
  }
}
