/**
 * `npm run restore -- <file> [--yes]`: restores a local backup into the data folder (DATA_DIR or
 * .data) while no server uses it. Refuses a backup of a newer format; asks before replacing a folder
 * that holds data (its contents are moved aside, never deleted); `--yes` answers for you.
 * `npm run restore -- --aws --to <new table> [--time <ISO time> | --backup <backup ARN>]`: a
 * point-in-time restore (the latest restorable time without --time) or a restore from an on-demand
 * backup of TABLE_NAME, into a new table.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { restoreAws } from './portability/aws-backup';
import { BackupRefused, readBackup } from './portability/backup-file';
import { restoreBackup } from './portability/restore';

const args = process.argv.slice(2);
const value = (flag: string) => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
};

if (args.includes('--aws')) {
  const source = process.env.TABLE_NAME ?? '';
  const target = value('--to') ?? '';
  const time = value('--time');
  if (!target || (!source && !value('--backup'))) {
    console.error(
      'usage: TABLE_NAME=… npm run restore -- --aws --to <new table> [--time <ISO time> | --backup <backup ARN>]',
    );
    process.exit(2);
  }
  const outcome = await restoreAws(new DynamoDBClient({}), {
    source,
    target,
    backupArn: value('--backup'),
    time: time ? new Date(time) : undefined,
  });
  console.log(`Restoring into ${outcome.table} (${outcome.status}); see docs/operations.md for what next.`);
} else {
  const file = args.find((arg) => !arg.startsWith('--'));
  if (!file) {
    console.error('usage: npm run restore -- <backup file> [--yes]');
    process.exit(2);
  }
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const port = process.env.PORT ?? 3000;
  const running = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(1000) })
    .then(() => true)
    .catch(() => false);
  if (running) {
    console.error(`A server answers on port ${port}: stop \`npm start\` before restoring into ${dataDir}.`);
    process.exit(1);
  }
  try {
    const { header } = await readBackup(file); // refuses another kind or a newer format before asking
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0 && !args.includes('--yes')) {
      const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
      const answer = await prompt.question(
        `Replace ${dataDir} with the backup of ${header.createdAt} (${header.items} items)? Its contents are moved aside, not deleted. [y/N] `,
      );
      prompt.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        console.log('Nothing changed.');
        process.exit(1);
      }
    }
    const outcome = await restoreBackup(file, dataDir);
    console.log(
      `Restored ${outcome.restored} items of ${outcome.header.createdAt} into ${dataDir}` +
        (outcome.movedAside ? `; the previous contents are in ${outcome.movedAside}` : ''),
    );
  } catch (error) {
    if (!(error instanceof BackupRefused)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
