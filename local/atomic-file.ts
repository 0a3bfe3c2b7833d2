/**
 * Writes a state file so that a crash leaves either the old contents or the new, never a torn or empty
 * file: write a temp file beside it, fsync it, rename it over the target, fsync the folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `contents` may be several chunks (a large file written without joining them first). */
export function writeFileAtomic(
  file: string,
  contents: string | Uint8Array | Uint8Array[],
  mode = 0o644,
): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(temp, 'w', mode);
  try {
    const chunks =
      typeof contents === 'string'
        ? [Buffer.from(contents)]
        : Array.isArray(contents)
          ? contents
          : [contents];
    for (const chunk of chunks)
      for (let written = 0; written < chunk.byteLength; )
        written += fs.writeSync(fd, chunk, written, chunk.byteLength - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncFolder(path.dirname(file));
}

function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
