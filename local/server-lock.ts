/**
 * Which server uses a data folder: `server.pid` holds the running server's process id and URL, so
 * `npm run reset` (and a second `npm start`) can refuse while it runs. A file left by a server that
 * was killed names a process that no longer exists, and is ignored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { DataFolderError } from './state-file';

export interface ServerLock {
  pid: number;
  url?: string;
  startedAt: string;
}

export const serverLockFile = (dataDir: string) => path.join(dataDir, 'server.pid');

/** The server holding the folder, if one is alive (a stale or unreadable file counts as none). */
export function liveServerLock(dataDir: string): ServerLock | undefined {
  let lock: ServerLock;
  try {
    lock = JSON.parse(fs.readFileSync(serverLockFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  return Number.isInteger(lock.pid) && processAlive(lock.pid) ? lock : undefined;
}

/**
 * Takes the folder for this process; refuses when another live process holds it. Returns what
 * records the URL once known and what releases the folder (on close).
 */
export function holdServerLock(dataDir: string): { setUrl(url: string): void; release(): void } {
  const holder = liveServerLock(dataDir);
  if (holder && holder.pid !== process.pid)
    throw new DataFolderError(
      `Commonplace will not start on ${dataDir}: another server (process ${holder.pid}${holder.url ? `, ${holder.url}` : ''}, started ${holder.startedAt}) is using it. Stop that one first, or start this one with another DATA_DIR (if process ${holder.pid} is not a Commonplace server, delete ${serverLockFile(dataDir)}).`,
    );
  const lock: ServerLock = { pid: process.pid, startedAt: new Date().toISOString() };
  const file = serverLockFile(dataDir);
  const write = () => writeFileAtomic(file, JSON.stringify(lock));
  write();
  return {
    setUrl(url) {
      lock.url = url;
      write();
    },
    release() {
      try {
        const current = JSON.parse(fs.readFileSync(file, 'utf8')) as ServerLock;
        if (current.pid === process.pid) fs.rmSync(file, { force: true });
      } catch {
        // gone already
      }
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
