/**
 * The bookmark metadata consumer's record rules (functions/streams/bookmark-metadata.ts) on hand-made
 * stream records, with a fake table and fetcher: which records fetch, what is written, that a refused
 * or failed fetch is recorded rather than failed, that "already done or deleted" is not an error, and
 * that a table error fails that record alone through the shared consumer shape.
 */

import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from '@jest/globals';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import type { Table } from '../../../functions/data/table';
import type { MetadataFetcher } from '../../../functions/domain/bookmarks/metadata-fetcher';
import { FetchRefused } from '../../../functions/safe-fetch/safe-fetcher';
import {
  createBookmarkMetadata,
  failureReason,
  urlItemWantingMetadata,
} from '../../../functions/streams/bookmark-metadata';
import { createStreamHandler } from '../../../functions/streams/stream-consumer';

let seq = 0;
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  item: Record<string, unknown>,
  old: Record<string, unknown> = item,
): DynamoDBRecord {
  return {
    eventName,
    dynamodb: {
      SequenceNumber: String(++seq),
      ...(eventName !== 'REMOVE' ? { NewImage: marshall(item) as never } : {}),
      ...(eventName !== 'INSERT' ? { OldImage: marshall(old) as never } : {}),
    },
  } as DynamoDBRecord;
}
const urlItem = (extra: Record<string, unknown> = {}) => ({
  PK: 'URL#abc',
  SK: 'URL',
  type: 'bookmarkUrl',
  url: 'https://example.com/a',
  ...extra,
});

type UpdateInput = Parameters<Table['update']>[0];

function fakes(
  fetch: MetadataFetcher['fetchPageMetadata'],
  update: (input: UpdateInput) => Promise<unknown>,
) {
  const updates: UpdateInput[] = [];
  const table = {
    update: async (input: UpdateInput) => {
      updates.push(input);
      return update(input);
    },
  } as unknown as Table;
  const consumer = createBookmarkMetadata({
    table,
    fetcher: { fetchPageMetadata: fetch },
    clock: { now: () => new Date('2025-01-02T03:04:05.000Z') },
  });
  return { consumer, updates };
}

describe('which records want metadata', () => {
  it('an INSERT of a URL item, and a MODIFY of one without metaFetchedAt (replays, re-saves)', () => {
    expect(urlItemWantingMetadata(record('INSERT', urlItem()))?.PK).toBe('URL#abc');
    expect(urlItemWantingMetadata(record('MODIFY', urlItem({ saves: 2 })))?.PK).toBe('URL#abc');
  });

  it('not a MODIFY that already has metaFetchedAt (its own write), a REMOVE, or other item types', () => {
    expect(
      urlItemWantingMetadata(record('MODIFY', urlItem({ metaFetchedAt: 'x', meta: {} }))),
    ).toBeUndefined();
    expect(urlItemWantingMetadata(record('INSERT', urlItem({ metaFetchedAt: 'x' })))).toBeUndefined();
    expect(urlItemWantingMetadata(record('REMOVE', urlItem()))).toBeUndefined();
    expect(urlItemWantingMetadata(record('INSERT', urlItem({ type: 'bookmark' })))).toBeUndefined();
  });

  it('keeps the stored reason short and free of anything but the fetcher’s own words', () => {
    expect(failureReason(new FetchRefused('address'))).toBe('FetchRefused: address');
    expect(failureReason(new Error('connect ECONNREFUSED 10.0.0.1:80 secret detail'))).toBe('fetch failed');
  });
});

describe('the bookmark metadata consumer', () => {
  it('writes the metadata with one conditional UpdateItem on the item’s own key', async () => {
    const fetched: string[] = [];
    const { consumer, updates } = fakes(
      async (url) => {
        fetched.push(url);
        return { title: 'A', description: 'B' };
      },
      async () => ({}),
    );
    await consumer.handleRecord(record('INSERT', urlItem()));
    expect(fetched).toEqual(['https://example.com/a']);
    expect(updates).toEqual([
      {
        Key: { PK: 'URL#abc', SK: 'URL' },
        UpdateExpression: 'SET meta = :meta, metaFetchedAt = :now',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(metaFetchedAt)',
        ExpressionAttributeValues: {
          ':meta': { title: 'A', description: 'B' },
          ':now': '2025-01-02T03:04:05.000Z',
        },
      },
    ]);
  });

  it('records a refused or failed fetch as empty metadata with a reason, and does not fail', async () => {
    const { consumer, updates } = fakes(
      async () => {
        throw new FetchRefused('address');
      },
      async () => ({}),
    );
    await consumer.handleRecord(record('INSERT', urlItem()));
    expect(updates[0].UpdateExpression).toBe('SET meta = :meta, metaFetchedAt = :now, metaError = :error');
    expect(updates[0].ExpressionAttributeValues).toMatchObject({
      ':meta': {},
      ':error': 'FetchRefused: address',
    });
  });

  it('takes "already done, or deleted" (ConditionalCheckFailed) as success', async () => {
    const { consumer } = fakes(
      async () => ({ title: 'A' }),
      async () => {
        throw Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
      },
    );
    await expect(consumer.handleRecord(record('INSERT', urlItem()))).resolves.toBeUndefined();
  });

  it('fails only the record whose table write failed', async () => {
    const { consumer } = fakes(
      async () => ({ title: 'A' }),
      async (input: UpdateInput) => {
        if (input.Key?.PK === 'URL#bad')
          throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return {};
      },
    );
    const bad = record('INSERT', urlItem({ PK: 'URL#bad' }));
    const response = await createStreamHandler(consumer)(
      { Records: [record('INSERT', urlItem()), bad, record('INSERT', urlItem({ PK: 'URL#ok' }))] },
      {} as Context,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.dynamodb!.SequenceNumber }]);
  });

  it('does not fetch for records it passes over', async () => {
    const { consumer, updates } = fakes(
      async () => {
        throw new Error('must not fetch');
      },
      async () => ({}),
    );
    await consumer.handleRecord(record('MODIFY', urlItem({ metaFetchedAt: 'x' })));
    await consumer.handleRecord(record('REMOVE', urlItem()));
    expect(updates).toEqual([]);
  });
});
