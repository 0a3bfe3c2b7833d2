/**
 * Builds the page tree's node items from the pages themselves: for data written before tree nodes
 * existed, and to repair child counts. Every page write keeps its node in step, so this runs once per
 * table (the local runtime does it at its first start after the upgrade; on AWS an operator runs
 * `npm run migrate:page-tree`). It is an operator path, not a request path, so it reads the table with
 * a paged Scan. Idempotent: a run writes only nodes that differ from what they should be, removes
 * nodes of pages that are gone and the per-space `PAGETREE` items the old design kept.
 *
 * Run it when nobody is restructuring the wiki (a page placed or deleted during the scan can leave a
 * child count off by one; running it again puts it right).
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, Key, Table } from '../../data/table';
import { pageNodeItem, toPage } from './page';

export interface BackfillOutcome {
  pages: number;
  written: number;
  removed: number;
}

/** The marker the local runtime reads at start (one GetItem) to know the backfill has run. */
export const PAGE_TREE_MIGRATION = { PK: 'MIGRATION', SK: 'page-tree-v1' };

export async function backfillPageTree(
  client: DynamoDBDocumentClient,
  table: Table,
  onProgress: (scanned: number) => void = () => undefined,
): Promise<BackfillOutcome> {
  const pages: Item[] = [];
  const nodes = new Map<string, Item>();
  const legacy: Key[] = [];
  let scanned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: '#type IN (:page, :node) OR SK = :legacy',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':page': 'page', ':node': 'pageNode', ':legacy': 'PAGETREE' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as Item[]) {
      if (item.SK === 'PAGETREE') legacy.push({ PK: item.PK, SK: item.SK });
      else if (item.type === 'pageNode') nodes.set(`${item.PK}|${item.SK}`, item);
      else if (!item.deleting) pages.push(item);
    }
    scanned += page.ScannedCount ?? 0;
    onProgress(scanned);
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const live = new Set(pages.map((item) => `${item.spaceId}/${item.id}`));
  const childCount = new Map<string, number>();
  for (const item of pages) {
    const parent = item.parentId && live.has(`${item.spaceId}/${item.parentId}`) ? item.parentId : undefined;
    if (parent)
      childCount.set(`${item.spaceId}/${parent}`, (childCount.get(`${item.spaceId}/${parent}`) ?? 0) + 1);
  }
  const puts: Item[] = [];
  const wanted = new Set<string>();
  for (const item of pages) {
    const page = toPage(item);
    // A page whose parent is gone (possible only in data older than the tree checks) shows at the top.
    const parentId =
      page.parentId && live.has(`${page.spaceId}/${page.parentId}`) ? page.parentId : undefined;
    const node = pageNodeItem({ ...page, parentId }, childCount.get(`${page.spaceId}/${page.id}`) ?? 0);
    const key = `${node.PK}|${node.SK}`;
    wanted.add(key);
    if (!sameNode(nodes.get(key), node)) puts.push(node);
  }
  const stale = [...nodes.values()]
    .filter((node) => !wanted.has(`${node.PK}|${node.SK}`))
    .map((node) => ({ PK: node.PK, SK: node.SK }));
  await table.writeMany(puts, [...stale, ...legacy]);
  await table.put({ ...PAGE_TREE_MIGRATION, type: 'migration', at: new Date().toISOString() });
  return { pages: pages.length, written: puts.length, removed: stale.length + legacy.length };
}

/** Whether the page tree of this table has been backfilled (one GetItem). */
export async function pageTreeBackfilled(table: Table): Promise<boolean> {
  return (await table.get(PAGE_TREE_MIGRATION)) !== undefined;
}

function sameNode(a: Item | undefined, b: Item): boolean {
  if (!a) return false;
  const fields = ['title', 'parentId', 'childCount', 'GSI1PK', 'GSI1SK', 'updatedAt', 'id', 'spaceId'];
  return fields.every((field) => a[field] === b[field]);
}
