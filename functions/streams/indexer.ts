/**
 * The search indexer, a stream consumer (stream-consumer.ts): table changes → search index. For each
 * record it re-reads the item's CURRENT state (with its space, and a comment's post) and decides the
 * document to write or the id to remove; the batch's decisions go to the index in one bulk request.
 * The record only says *what* changed; the table says what is true now. So a retried, replayed or
 * out-of-order record can never put an older version back, and records may be handled concurrently.
 *
 * A change to a space's audience, sharing or name is pushed to every document of that space, and a
 * post's title or status to its comments, at once (those are queries over many documents).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import {
  bookmarkDocument,
  commentDocument,
  documentId,
  INDEXED_TYPES,
  pageDocument,
  postDocument,
  profileDocument,
} from '../domain/search/documents-from-items';
import type { SearchDocument, SearchIndex } from '../domain/search/search-document';
import type { StreamConsumer } from './stream-consumer';

export interface IndexerDependencies {
  table: Table;
  index: SearchIndex;
}

/** One decision: write this document, or (without one) remove the document with this id. */
export interface IndexChange {
  id: string;
  document?: SearchDocument;
}

/** Spaces (their access reaches every document in them) and the items that become documents. */
/** `attachment`: a file added to or removed from a page or post re-indexes its owner (names are searchable). */
export const INDEXER_ITEM_TYPES: readonly string[] = ['space', 'attachment', ...INDEXED_TYPES];

const change = (id: string, document: SearchDocument | undefined): IndexChange[] => [{ id, document }];

export function createIndexer({ table, index }: IndexerDependencies): StreamConsumer<IndexChange> {
  /** The names of the files attached to a page or post (one Query). */
  async function attachmentNames(spaceId: string, kind: 'page' | 'post', id: string): Promise<string[]> {
    const page = await table.query({
      partition: keys.space(spaceId).PK,
      beginsWith: keys.attachmentPrefix(kind, id),
      limit: 200,
    });
    return page.items.map((attachment) => attachment.name as string);
  }

  async function reindexComments(spaceId: string, postId: string, post?: Item, space?: Item) {
    let cursor: string | undefined;
    do {
      const page = await table.query({
        partition: keys.space(spaceId).PK,
        beginsWith: keys.commentPrefix(postId),
        limit: 100,
        cursor,
      });
      const upsert: SearchDocument[] = [];
      const remove: string[] = [];
      for (const comment of page.items) {
        const doc = commentDocument(comment, post, space);
        if (doc) upsert.push(doc);
        else remove.push(documentId.comment(spaceId, comment.id as string));
      }
      await index.write({ upsert, remove });
      cursor = page.cursor;
    } while (cursor);
  }

  async function spaceChanged(record: DynamoDBRecord, item: Record<string, unknown>) {
    const current = await table.get(keys.space(item.id as string));
    if (!current) {
      await index.removeSpace(item.id as string);
      return;
    }
    const before = record.dynamodb?.OldImage ? unmarshall(record.dynamodb.OldImage as never) : undefined;
    const accessChanged =
      !before ||
      before.audience !== current.audience ||
      before.name !== current.name ||
      JSON.stringify(before.partnerOrgs ?? []) !== JSON.stringify(current.partnerOrgs ?? []);
    if (accessChanged) {
      await index.updateSpace(current.id as string, {
        audience: current.audience as never,
        partnerOrgs: (current.partnerOrgs as string[]) ?? [],
        spaceName: current.name as string,
      });
    }
  }

  return {
    name: 'indexer',
    itemTypes: INDEXER_ITEM_TYPES,

    async handleRecord(record) {
      const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
      if (!image) return;
      const item = unmarshall(image as never) as Record<string, unknown>;
      const type = item.type as string;

      if (type === 'space') return spaceChanged(record, item);
      if (type === 'profile') {
        const profile = await table.get(keys.profile(item.userId as string));
        return change(documentId.profile(item.userId as string), profileDocument(profile));
      }
      const spaceId = item.spaceId as string;
      if (type === 'bookmark') {
        const userId = item.userId as string;
        const urlHash = item.urlHash as string;
        // The space of the save as it is now (a save moved out of a space no longer needs it).
        const [current] = await table.getMany([keys.bookmark(userId, urlHash)]);
        const space =
          current?.visibility === 'space' && current.spaceId
            ? await table.get(keys.space(current.spaceId as string))
            : undefined;
        return change(documentId.bookmark(userId, urlHash), bookmarkDocument(current, space));
      }
      if (type === 'attachment') {
        const owner = item.owner as { kind: 'page' | 'post'; id: string };
        // The owner's document, rebuilt as a record of the owner itself would rebuild it.
        return this.handleRecord({
          eventName: 'MODIFY',
          dynamodb: { NewImage: { type: { S: owner.kind }, spaceId: { S: spaceId }, id: { S: owner.id } } },
        } as never);
      }
      if (type === 'page') {
        const [[page, space], names] = await Promise.all([
          table.getMany([keys.page(spaceId, item.id as string), keys.space(spaceId)]),
          attachmentNames(spaceId, 'page', item.id as string),
        ]);
        return change(documentId.page(spaceId, item.id as string), pageDocument(page, space, names));
      }
      if (type === 'post') {
        const [[post, space], names] = await Promise.all([
          table.getMany([keys.post(spaceId, item.id as string), keys.space(spaceId)]),
          attachmentNames(spaceId, 'post', item.id as string),
        ]);
        // A comment's document depends on its post (visible only while the post is published, titled
        // after it): when those change, rebuild the post's comment documents too.
        const before = record.dynamodb?.OldImage ? unmarshall(record.dynamodb.OldImage as never) : undefined;
        const after = record.dynamodb?.NewImage ? unmarshall(record.dynamodb.NewImage as never) : undefined;
        if (before && (!after || before.status !== after.status || before.title !== after.title)) {
          await reindexComments(spaceId, item.id as string, post, space);
        }
        return change(documentId.post(spaceId, item.id as string), postDocument(post, space, names));
      }
      if (type === 'comment') {
        const [comment, post, space] = await table.getMany([
          keys.comment(spaceId, item.postId as string, item.id as string),
          keys.post(spaceId, item.postId as string),
          keys.space(spaceId),
        ]);
        return change(documentId.comment(spaceId, item.id as string), commentDocument(comment, post, space));
      }
    },

    async applyBatch(changes) {
      // Several records of one batch may concern one document: the last decision (stream order) wins.
      const latest = new Map(changes.map((c) => [c.id, c.document]));
      const upsert = [...latest.values()].filter((doc): doc is SearchDocument => doc !== undefined);
      const remove = [...latest].filter(([, doc]) => !doc).map(([id]) => id);
      await index.write({ upsert, remove });
    },
  };
}
