/**
 * Backups of the table in AWS, for `npm run backup -- --aws` and `npm run restore -- --aws`: an
 * on-demand backup (CreateBackup), and a restore — from a backup, or to a point in time (PITR is on
 * in the stack, lib/constructs/data.ts) — always into a NEW table, as DynamoDB restores; the operator
 * then points a deployment at it or exports from it (docs/operations.md).
 */
import {
  CreateBackupCommand,
  type DynamoDBClient,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';

type Sender = Pick<DynamoDBClient, 'send'>;

export async function createAwsBackup(client: Sender, tableName: string, now = new Date()) {
  const name = `${tableName}-${now.toISOString().replace(/[:.]/g, '-')}`;
  const { BackupDetails } = await client.send(
    new CreateBackupCommand({ TableName: tableName, BackupName: name }),
  );
  return { arn: BackupDetails?.BackupArn ?? '', name, status: BackupDetails?.BackupStatus ?? 'CREATING' };
}

export async function restoreAws(
  client: Sender,
  options: { source: string; target: string; backupArn?: string; time?: Date },
) {
  if (!options.target) throw new Error('name the new table to restore into (--to <table>)');
  if (options.backupArn) {
    const { TableDescription } = await client.send(
      new RestoreTableFromBackupCommand({ BackupArn: options.backupArn, TargetTableName: options.target }),
    );
    return { table: TableDescription?.TableName ?? options.target, status: TableDescription?.TableStatus };
  }
  const { TableDescription } = await client.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: options.source,
      TargetTableName: options.target,
      ...(options.time ? { RestoreDateTime: options.time } : { UseLatestRestorableTime: true }),
    }),
  );
  return { table: TableDescription?.TableName ?? options.target, status: TableDescription?.TableStatus };
}
