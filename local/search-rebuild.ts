/**
 * The local runtime's rebuild of its embedded search index from the table (a start without a usable
 * snapshot, `npm run reindex`): the same `rebuildDocuments` as the AWS reindex, over dynalite's own
 * Scan called in this process — wire-format pages unmarshalled here, with no JSON text and no SDK
 * client between (about a quarter of a cold start's CPU at 100k items went there). dynalite returns
 * each partition's items together, in sort-key order, so documents are made as the scan leaves each
 * partition and the raw items are dropped then: memory holds one partition, not the table.
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Item } from '../functions/data/table';
import { INDEXABLE_FILTER, type ReindexProgress, rebuildDocuments } from '../functions/domain/search/reindex';
import type { FastSearchIndex } from '../functions/search/embedded/fast-index';
import type { Backend } from './dynamodb/backend';
import type { AttributeMap } from './dynamodb/wire';

/** The indexable items of a table, page by page, straight from dynalite (an operator's read, not a request path). */
export async function* scanIndexableItemsInProcess(
  backend: Backend,
  tableName: string,
): AsyncGenerator<Item[]> {
  const input = {
    TableName: tableName,
    FilterExpression: INDEXABLE_FILTER.FilterExpression,
    ExpressionAttributeNames: INDEXABLE_FILTER.ExpressionAttributeNames,
    ExpressionAttributeValues: marshall(INDEXABLE_FILTER.ExpressionAttributeValues),
  };
  let startKey: AttributeMap | undefined;
  do {
    const page = await backend.call<{ Items?: AttributeMap[]; LastEvaluatedKey?: AttributeMap }>('Scan', {
      ...input,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    yield (page.Items ?? []).map((item) => unmarshall(item as never) as Item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Fills `index` with a document for every indexable item of the table; returns how many. */
export function rebuildSearchIndex(
  backend: Backend,
  tableName: string,
  index: FastSearchIndex,
  onProgress?: (progress: ReindexProgress) => void,
): Promise<number> {
  return rebuildDocuments(
    scanIndexableItemsInProcess(backend, tableName),
    (documents) => index.upsert(documents),
    {
      onProgress,
      partitionsTogether: true,
    },
  );
}
