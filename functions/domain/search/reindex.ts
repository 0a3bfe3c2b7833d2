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

/** Every item of the types the index needs, page by page. */
export async function* scanIndexableItems(
  client: DynamoDBDocumentClient,
  tableName: string,
): AsyncGenerator<Item[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
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
        ExclusiveStartKey: startKey,
      }),
    );
    yield (page.Items ?? []) as Item[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Turns scanned items into documents and hands them to `write` in chunks. Spaces and posts are kept
 * in memory so that content gets its space's access fields and comments their post's title.
 */
export async function rebuildDocuments(
  pages: AsyncIterable<Item[]>,
  write: (documents: SearchDocument[]) => Promise<void>,
  onProgress: (progress: ReindexProgress) => void = () => undefined,
  chunkSize = 500,
): Promise<number> {
  const spaces = new Map<string, Item>();
  const posts = new Map<string, Item>();
  // Attached files' names by owner (`<spaceId>/<page|post>/<id>`), for their owners' documents.
  const attachments = new Map<string, string[]>();
  const content: Item[] = [];
  let scanned = 0;
  for await (const items of pages) {
    for (const item of items) {
      if (item.type === 'space') spaces.set(item.id as string, item);
      else if (item.type === 'attachment') {
        const owner = item.owner as { kind: string; id: string };
        const key = `${item.spaceId}/${owner.kind}/${owner.id}`;
        attachments.set(key, [...(attachments.get(key) ?? []), item.name as string]);
      } else if ((INDEXED_TYPES as readonly string[]).includes(item.type as string)) content.push(item);
      if (item.type === 'post') posts.set(`${item.spaceId}/${item.id}`, item);
    }
    scanned += items.length;
    onProgress({ phase: 'scan', done: scanned });
  }
  let written = 0;
  let chunk: SearchDocument[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await write(chunk);
    written += chunk.length;
    chunk = [];
    onProgress({ phase: 'index', done: written, total: content.length });
  };
  for (const item of content) {
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
  await flush();
  return written;
}
