/**
 * Attachment cleanup, a stream consumer (stream-consumer.ts): the bytes in the blob store follow the
 * table, never the other way round.
 *
 * - an `attachment` removed (deleted by a person, or by the rule below) → its bytes are deleted;
 * - an `upload` removed (confirmed, or expired by TTL a day after it was asked for) → the bytes at its
 *   upload key, if any are left, are deleted (the S3 lifecycle rule and the local sweep catch bytes sent
 *   after that);
 * - a `post` or wiki `page` removed → each of its attachments is removed with its quota share (one
 *   transaction each, conditioned on it existing), which in turn removes the bytes;
 * - a `profile` whose photo changed or went → the old photo's bytes are deleted.
 *
 * Every step is idempotent (deleting what is gone is not an error; a removal that finds nothing changes
 * nothing), so a retried or replayed batch is harmless.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import { toAttachment } from '../domain/attachments/attachment';
import { removeAttachment } from '../domain/attachments/attachment-service';
import type { BlobStore } from '../domain/attachments/blob-store';
import type { StreamConsumer } from './stream-consumer';

export const ATTACHMENT_CLEANUP_ITEM_TYPES: readonly string[] = [
  'attachment',
  'upload',
  'post',
  'page',
  'profile',
];

export function createAttachmentCleanup({
  table,
  blobs,
}: {
  table: Table;
  blobs: BlobStore;
}): StreamConsumer<never> {
  return {
    name: 'attachment-cleanup',
    itemTypes: ATTACHMENT_CLEANUP_ITEM_TYPES,

    async handleRecord(record) {
      const image = (which: 'OldImage' | 'NewImage') => {
        const raw = record.dynamodb?.[which];
        return raw ? (unmarshall(raw as never) as Item) : undefined;
      };
      const before = image('OldImage');
      const after = image('NewImage');
      if (record.eventName === 'REMOVE' && before) {
        if (before.type === 'attachment' || before.type === 'upload') {
          if (typeof before.blobKey === 'string') await blobs.delete(before.blobKey);
          return;
        }
        if (before.type === 'post' || before.type === 'page') {
          const kind = before.type;
          const ownerId = String(before.SK).slice(kind === 'post' ? 'POST#'.length : 'PAGE#'.length);
          let cursor: string | undefined;
          do {
            const page = await table.query({
              partition: before.PK,
              beginsWith: keys.attachmentPrefix(kind, ownerId),
              limit: 100,
              cursor,
            });
            for (const item of page.items) await removeAttachment({ table }, toAttachment(item));
            cursor = page.cursor;
          } while (cursor);
          return;
        }
      }
      if (before?.type === 'profile') {
        const old = (before.photo as { blobKey?: string } | undefined)?.blobKey;
        const now = (after?.photo as { blobKey?: string } | undefined)?.blobKey;
        if (old && old !== now) await blobs.delete(old);
      }
    },
  };
}
