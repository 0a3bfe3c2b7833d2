/**
 * `npm run backup [-- <file>]`: a consistent backup of the running local runtime (writes pause while
 * the table is read; reads go on), saved to `<file>` or `backups/commonplace-<time>.backup.gz`.
 * `npm run backup -- --aws`: an on-demand backup of TABLE_NAME in AWS (CreateBackup).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsBackup } from './portability/aws-backup';

const args = process.argv.slice(2);
if (args.includes('--aws')) {
  const table = process.env.TABLE_NAME;
  if (!table) {
    console.error('TABLE_NAME is not set. Usage: TABLE_NAME=… AWS_REGION=… npm run backup -- --aws');
    process.exit(2);
  }
  const backup = await createAwsBackup(new DynamoDBClient({}), table);
  console.log(`Backup ${backup.name} (${backup.status}): ${backup.arn}`);
} else {
  const file = path.resolve(
    args.find((arg) => !arg.startsWith('--')) ??
      path.join('backups', `commonplace-${new Date().toISOString().replace(/[:.]/g, '-')}.backup.gz`),
  );
  const url = `http://127.0.0.1:${process.env.PORT ?? 3000}/_local/backup`;
  const response = await fetch(url, { method: 'POST' }).catch(() => {
    console.error(`Cannot reach the local runtime at ${url}. Is \`npm start\` running?`);
    process.exit(1);
  });
  if (!response.ok) {
    console.error(`The backup failed: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.partial`;
  fs.writeFileSync(temp, Buffer.from(await response.arrayBuffer()));
  fs.renameSync(temp, file);
  console.log(`Backup written to ${file} (${(fs.statSync(file).size / 1024).toFixed(0)} KiB)`);
}
