/**
 * Rebuilds search documents from the table — the index is derived data and can always be rebuilt.
 * Used by `npm run reindex` (local runtime and AWS) and by the local runtime on start. This is an
 * operator path, not a request path, so it reads the table with a paged Scan.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../../data/table';
import {
  bookmarkDocument,
  commentDocument,
  INDEXED_TYPES,
  pageDocument,
  postDocument,
  profileDocument,
} from './documents-from-items';
import type { SearchDocument } from './search-document';

export interface ReindexProgress {
  phase: 'scan' | 'index';
  done: number;
  total?: number;
}

/** The Scan's filter: the item types documents are made from (or that their documents read). */
export const INDEXABLE_FILTER = {
  FilterExpression: '#type IN (:space, :post, :comment, :page, :profile, :bookmark, :attachment)',
  ExpressionAttributeNames: { '#type': 'type' },
  ExpressionAttributeValues: {
    ':space': 'space',
    ':post': 'post',
    ':comment': 'comment',
    ':page': 'page',
    ':profile': 'profile',
    ':bookmark': 'bookmark',
    ':attachment': 'attachment',
  },
};

/** Every item of the types the index needs, page by page. */
export async function* scanIndexableItems(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<Item[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...INDEXABLE_FILTER, ExclusiveStartKey: startKey }),
    );
    yield (page.Items ?? []) as Item[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export interface RebuildOptions {
  onProgress?: (progress: ReindexProgress) => void;
  /** Documents handed to `write` at a time. */
  chunkSize?: number;
  /**
   * The pages hold each partition's items together, in sort-key order (dynalite's Scan: its LevelDB
   * keys are the partition key's hash, the partition key, then the sort key). A space's content,
   * attachments and space item share its partition, so its documents are made when the scan leaves it
   * and only one partition's items are held at a time. Without it (DynamoDB's Scan promises no order)
   * every content item is held until the scan ends. A partition met again after it was left is refused.
   */
  partitionsTogether?: boolean;
}

/**
 * Turns scanned items into documents and hands them to `write` in chunks. Content gets its space's
 * access fields, posts and pages their attached files' names, comments their post's title.
 */
export async function rebuildDocuments(
  pages: AsyncIterable<Item[]>,
  write: (documents: SearchDocument[]) => Promise<void>,
  options: RebuildOptions = {},
): Promise<number> {
  const { onProgress = () => undefined, chunkSize = 500, partitionsTogether = false } = options;
  const spaces = new Map<string, Item>();
  // What the documents are made from: the current partition's items, or every item of the scan.
  let held: Item[] = [];
  // Saves into a space held until the end: their space lives in another partition.
  const bookmarks: Item[] = [];
  let partition: unknown;
  const left = new Set<unknown>();
  let scanned = 0;
  let written = 0;
  // Known only when every item is held to the end.
  let total: number | undefined;
  let chunk: SearchDocument[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await write(chunk);
    written += chunk.length;
    chunk = [];
    onProgress({ phase: 'index', done: written, ...(total === undefined ? {} : { total }) });
  };
  const emit = async (items: Item[]) => {
    // Attached files' names by owner (`<spaceId>/<page|post>/<id>`), and posts for their comments.
    const attachments = new Map<string, string[]>();
    const posts = new Map<string, Item>();
    for (const item of items) {
      if (item.type === 'attachment') {
        const owner = item.owner as { kind: string; id: string };
        const key = `${item.spaceId}/${owner.kind}/${owner.id}`;
        attachments.set(key, [...(attachments.get(key) ?? []), item.name as string]);
      } else if (item.type === 'post') posts.set(`${item.spaceId}/${item.id}`, item);
    }
    for (const item of items) {
      if (item.type === 'attachment' || item.type === 'space') continue;
      const space = spaces.get(item.spaceId as string);
      const doc =
        item.type === 'post'
          ? postDocument(item, space, attachments.get(`${item.spaceId}/post/${item.id}`))
          : item.type === 'comment'
            ? commentDocument(item, posts.get(`${item.spaceId}/${item.postId}`), space)
            : item.type === 'page'
              ? pageDocument(item, space, attachments.get(`${item.spaceId}/page/${item.id}`))
              : item.type === 'bookmark'
                ? bookmarkDocument(item, space)
                : profileDocument(item);
      if (doc) chunk.push(doc);
      if (chunk.length >= chunkSize) await flush();
    }
  };
  for await (const items of pages) {
    for (const item of items) {
      if (partitionsTogether && item.PK !== partition) {
        if (left.has(item.PK)) throw new Error(`The scan met partition ${item.PK} again after leaving it`);
        left.add(partition);
        partition = item.PK;
        await emit(held);
        held = [];
      }
      if (item.type === 'space') spaces.set(item.id as string, item);
      else if (partitionsTogether && item.type === 'bookmark') bookmarks.push(item);
      else if (
        item.type === 'attachment' ||
        (INDEXED_TYPES as readonly string[]).includes(item.type as string)
      )
        held.push(item);
    }
    scanned += items.length;
    onProgress({ phase: 'scan', done: scanned });
  }
  if (!partitionsTogether) total = held.filter((item) => item.type !== 'attachment').length;
  await emit([...held, ...bookmarks]);
  await flush();
  return written;
}
