/**
 * Rebuilds the home feed from the table — feed items are derived data (DESIGN principle 3). An operator
 * path, not a request path, so it reads the table with paged Scans: first every feed item is deleted
 * (so items whose source went while a record was lost go too), then every post, page and comment is
 * put through the same code the fan-out runs for a new record (fanout.ts, `rebuildFeedOf`), without
 * inbox items. What a rebuild cannot bring back: page edits older than the page's latest (one item per
 * page, at its last edit) and feed items of spaces' earlier audiences (the space as it is now decides).
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, Table } from '../data/table';
import { createFanout } from './fanout';

async function* scan(
  client: DynamoDBDocumentClient,
  tableName: string,
  types: string[],
): AsyncGenerator<Item[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `#type IN (${types.map((_, i) => `:t${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: Object.fromEntries(types.map((type, i) => [`:t${i}`, type])),
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []) as Item[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Deletes and rebuilds every feed item; answers how many were deleted and how many sources were replayed. */
export async function rebuildFeed(table: Table): Promise<{ deleted: number; sources: number }> {
  let deleted = 0;
  for await (const items of scan(table.client, table.name, ['feed'])) {
    await table.deleteMany(items.map(({ PK, SK }) => ({ PK, SK })));
    deleted += items.length;
  }
  const fanout = createFanout({ table });
  let sources = 0;
  for await (const items of scan(table.client, table.name, ['post', 'page', 'comment'])) {
    for (const item of items) await fanout.rebuildFeedOf(item);
    sources += items.length;
  }
  return { deleted, sources };
}
