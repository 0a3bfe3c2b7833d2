/**
 * Writes the people directory's entries for profiles from before the directory existed (every profile
 * write keeps them in step since). An operator path with a paged Scan, like the page tree's backfill:
 * the local runtime runs it at its first start after the upgrade; on AWS `npm run migrate:directory`.
 * Idempotent: entries are put again as they should be.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, Table } from '../../data/table';
import { toProfile } from '../profiles/profile';
import { directoryEntries } from './directory-entry';

/** The marker the local runtime reads at start (one GetItem) to know the backfill has run. */
export const DIRECTORY_MIGRATION = { PK: 'MIGRATION', SK: 'people-directory-v1' };

export async function backfillDirectory(client: DynamoDBDocumentClient, table: Table): Promise<number> {
  let profiles = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: '#type = :profile',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':profile': 'profile' },
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (page.Items ?? []) as Item[];
    profiles += items.length;
    await table.writeMany(
      items.flatMap((item) => directoryEntries(toProfile(item))),
      [],
    );
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await table.put({ ...DIRECTORY_MIGRATION, type: 'migration', at: new Date().toISOString() });
  return profiles;
}

export async function directoryBackfilled(table: Table): Promise<boolean> {
  return (await table.get(DIRECTORY_MIGRATION)) !== undefined;
}
