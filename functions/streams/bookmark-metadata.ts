/**
 * Bookmark metadata, a stream consumer (stream-consumer.ts): a new shared URL item → its page's title,
 * description and icon, fetched through the `MetadataFetcher` port (the safe fetcher, functions/
 * safe-fetch/), so saving a link never waits on a remote site.
 *
 * The contract with the bookmarks module: the shared URL item is `PK=URL#<urlHash>`, `SK=URL`,
 * `type: 'bookmarkUrl'`, with `url` the normalised http(s) URL. This consumer only ever adds, with one
 * UpdateItem on that key, `meta` ({title?, description?, icon?}: plain text and a small data: URL),
 * `metaFetchedAt`, and `metaError` (a short reason) when the fetch was refused or failed.
 *
 * Per record: an INSERT, or a MODIFY of an item that has no `metaFetchedAt` yet (so a replay or a
 * re-save can fill in what is missing), is fetched; everything else is passed over. The write is
 * conditioned on the item still existing and having no `metaFetchedAt`: a ConditionalCheckFailed means
 * it was done already or the URL is gone, and is not an error. A refused or failed fetch is recorded
 * (`meta = {}`, `metaError`), not retried — it would only fail again; only a table error fails the
 * record (retried, bisected, then kept in the failure destination like any other consumer's).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Item, Table } from '../data/table';
import type { MetadataFetcher, PageMetadata } from '../domain/bookmarks/metadata-fetcher';
import type { Clock } from '../platform/clock';
import { logger } from '../platform/logger';
import type { StreamConsumer } from './stream-consumer';

/** The shared URL item of the bookmarks module. */
export const BOOKMARK_URL_ITEM_TYPE = 'bookmarkUrl';
export const BOOKMARK_METADATA_ITEM_TYPES: readonly string[] = [BOOKMARK_URL_ITEM_TYPE];

export interface BookmarkMetadataDependencies {
  table: Table;
  fetcher: MetadataFetcher;
  clock: Clock;
}

/** The URL item a record asks metadata for, or undefined when it asks for nothing. */
export function urlItemWantingMetadata(record: Pick<DynamoDBRecord, 'eventName' | 'dynamodb'>) {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  const newImage = record.dynamodb?.NewImage;
  if (!newImage) return undefined;
  const item = unmarshall(newImage as never) as Item;
  if (item.type !== BOOKMARK_URL_ITEM_TYPE || item.metaFetchedAt !== undefined) return undefined;
  if (typeof item.PK !== 'string' || typeof item.SK !== 'string') return undefined;
  return item;
}

/** A short reason to store for a fetch that did not give metadata: the fetcher's own, or a generic one. */
export function failureReason(error: unknown): string {
  const reason = (error as { reason?: unknown })?.reason;
  const text = typeof reason === 'string' ? `${(error as Error).name}: ${reason}` : 'fetch failed';
  return text.slice(0, 100);
}

export function createBookmarkMetadata({
  table,
  fetcher,
  clock,
}: BookmarkMetadataDependencies): StreamConsumer<never> {
  return {
    name: 'bookmark-metadata',
    itemTypes: BOOKMARK_METADATA_ITEM_TYPES,

    async handleRecord(record) {
      const item = urlItemWantingMetadata(record);
      if (!item) return;
      let meta: PageMetadata = {};
      let metaError: string | undefined;
      if (typeof item.url !== 'string') {
        metaError = 'no url';
      } else {
        try {
          meta = await fetcher.fetchPageMetadata(item.url);
        } catch (error) {
          metaError = failureReason(error);
          logger.info('bookmark metadata not fetched', {
            sequenceNumber: record.dynamodb?.SequenceNumber,
            key: item.PK,
            reason: metaError,
          });
        }
      }
      try {
        await table.update({
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: `SET meta = :meta, metaFetchedAt = :now${metaError ? ', metaError = :error' : ''}`,
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(metaFetchedAt)',
          ExpressionAttributeValues: {
            ':meta': meta,
            ':now': clock.now().toISOString(),
            ...(metaError ? { ':error': metaError } : {}),
          },
        });
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
  };
}
