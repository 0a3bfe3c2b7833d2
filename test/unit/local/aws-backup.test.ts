/**
 * `npm run backup -- --aws` / `npm run restore -- --aws` without AWS: the DynamoDB client is a fake
 * that records the commands sent (the only thing mocked); checked are the commands and their inputs.
 */
import {
  CreateBackupCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { createAwsBackup, restoreAws } from '../../../local/portability/aws-backup';

function fakeClient() {
  const sent: unknown[] = [];
  return {
    sent,
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof CreateBackupCommand)
        return { BackupDetails: { BackupArn: 'arn:backup/1', BackupStatus: 'CREATING' } };
      return { TableDescription: { TableName: 'restored', TableStatus: 'CREATING' } };
    },
  } as never as { sent: unknown[]; send: (command: unknown) => Promise<any> };
}

describe('AWS backup and restore commands', () => {
  it('creates an on-demand backup named after the table and the time', async () => {
    const client = fakeClient();
    const outcome = await createAwsBackup(
      client as never,
      'commonplace-prod',
      new Date('2026-11-30T08:00:00Z'),
    );
    expect(outcome).toEqual({
      arn: 'arn:backup/1',
      name: 'commonplace-prod-2026-11-30T08-00-00-000Z',
      status: 'CREATING',
    });
    const [command] = client.sent as CreateBackupCommand[];
    expect(command.input).toEqual({ TableName: 'commonplace-prod', BackupName: outcome.name });
  });

  it('restores to a point in time, to the latest restorable time, or from a backup — into a new table', async () => {
    const client = fakeClient();
    const time = new Date('2026-11-29T23:00:00Z');
    await restoreAws(client as never, { source: 'prod', target: 'prod-restored', time });
    await restoreAws(client as never, { source: 'prod', target: 'prod-latest' });
    await restoreAws(client as never, { source: 'prod', target: 'from-backup', backupArn: 'arn:backup/1' });
    const [atTime, latest, fromBackup] = client.sent as any[];
    expect(atTime).toBeInstanceOf(RestoreTableToPointInTimeCommand);
    expect(atTime.input).toEqual({
      SourceTableName: 'prod',
      TargetTableName: 'prod-restored',
      RestoreDateTime: time,
    });
    expect(latest.input).toEqual({
      SourceTableName: 'prod',
      TargetTableName: 'prod-latest',
      UseLatestRestorableTime: true,
    });
    expect(fromBackup).toBeInstanceOf(RestoreTableFromBackupCommand);
    expect(fromBackup.input).toEqual({ BackupArn: 'arn:backup/1', TargetTableName: 'from-backup' });
    await expect(restoreAws(client as never, { source: 'prod', target: '' })).rejects.toThrow(/new table/);
  });
});
