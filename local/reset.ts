/**
 * `npm run reset`: deletes the local data folder (table, stream log, checkpoints, signing key, outbox).
 * It asks first (`-- --yes` to skip the question), and refuses while a server uses the folder — the
 * running server's `server.pid` names a live process — since deleting files under a running LevelDB
 * loses whatever it writes next.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { liveServerLock } from './server-lock';

const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
const yes = process.argv.slice(2).some((arg) => arg === '--yes' || arg === '-y');

if (!fs.existsSync(dataDir)) {
  console.log(`Nothing to remove: ${dataDir} does not exist`);
  process.exit(0);
}
const holder = liveServerLock(dataDir);
if (holder) {
  console.error(
    `Not removed: a server (process ${holder.pid}${holder.url ? `, ${holder.url}` : ''}) is using ${dataDir}. Stop it first (Ctrl+C where it runs), then run npm run reset again.`,
  );
  process.exit(1);
}
if (!yes) {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  // No answer (input closed) is a no.
  const answer = await Promise.race([
    prompt.question(
      `Delete ${dataDir} — the table, its change stream, the sign-in key and the outbox? This cannot be undone (npm run backup first keeps a copy). Type "yes" to delete: `,
    ),
    new Promise<string>((resolve) => prompt.once('close', () => resolve(''))),
  ]);
  prompt.close();
  if (answer.trim().toLowerCase() !== 'yes') {
    console.log(`\nNot removed: ${dataDir} is as it was`);
    process.exit(1);
  }
}
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`Removed ${dataDir}`);
