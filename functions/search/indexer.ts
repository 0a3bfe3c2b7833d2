/**
 * The indexer: table changes → search index. For each stream record it re-reads the item's CURRENT
 * state (with its space, and a comment's post) and writes or removes the document accordingly. The
 * record only says *what* changed; the table says what is true now. So a retried, replayed or
 * out-of-order record can never put an older version back, and processing records concurrently is safe.
 *
 * A change to a space's audience, sharing or name is pushed to every document of that space.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { keys } from '../data/keys';
import type { Item, Table } from '../data/table';
import {
  commentDocument,
  documentId,
  INDEXED_TYPES,
  pageDocument,
  postDocument,
  profileDocument,
} from './documents-from-items';
import type { SearchIndex } from './search-document';

export interface IndexerDependencies {
  table: Table;
  index: SearchIndex;
}

export function createRecordIndexer({ table, index }: IndexerDependencies) {
  async function reindexComments(
    spaceId: string,
    postId: string,
    post: Item | undefined,
    space: Item | undefined,
  ) {
    let cursor: string | undefined;
    do {
      const page = await table.query({
        partition: keys.space(spaceId).PK,
        beginsWith: keys.commentPrefix(postId),
        limit: 100,
        cursor,
      });
      const upserts = [];
      const removals = [];
      for (const comment of page.items) {
        const doc = commentDocument(comment, post, space);
        if (doc) upserts.push(doc);
        else removals.push(documentId.comment(spaceId, comment.id as string));
      }
      if (upserts.length) await index.upsert(upserts);
      if (removals.length) await index.remove(removals);
      cursor = page.cursor;
    } while (cursor);
  }

  return async function indexRecord(record: DynamoDBRecord): Promise<void> {
    const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
    if (!image) return;
    const item = unmarshall(image as never) as Record<string, unknown>;
    const type = item.type as string;

    if (type === 'space') {
      const current = await table.get(keys.space(item.id as string));
      if (!current) {
        await index.removeSpace(item.id as string);
        return;
      }
      const before = record.dynamodb?.OldImage
        ? (unmarshall(record.dynamodb.OldImage as never) as Record<string, unknown>)
        : undefined;
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
      return;
    }
    if (!INDEXED_TYPES.has(type)) return;

    if (type === 'profile') {
      const profile = await table.get(keys.profile(item.userId as string));
      const doc = profileDocument(profile);
      if (doc) await index.upsert([doc]);
      else await index.remove([documentId.profile(item.userId as string)]);
      return;
    }

    const spaceId = item.spaceId as string;
    if (type === 'page') {
      const [page, space] = await table.getMany([keys.page(spaceId, item.id as string), keys.space(spaceId)]);
      const doc = pageDocument(page, space);
      if (doc) await index.upsert([doc]);
      else await index.remove([documentId.page(spaceId, item.id as string)]);
      return;
    }
    if (type === 'post') {
      const [post, space] = await table.getMany([keys.post(spaceId, item.id as string), keys.space(spaceId)]);
      const doc = postDocument(post, space);
      if (doc) await index.upsert([doc]);
      else await index.remove([documentId.post(spaceId, item.id as string)]);
      // A comment's document depends on its post (visible only while the post is published, titled
      // after it): when those change, rebuild the post's comment documents too.
      const before = record.dynamodb?.OldImage ? unmarshall(record.dynamodb.OldImage as never) : undefined;
      const after = record.dynamodb?.NewImage ? unmarshall(record.dynamodb.NewImage as never) : undefined;
      if (before && (!after || before.status !== after.status || before.title !== after.title)) {
        await reindexComments(spaceId, item.id as string, post, space);
      }
      return;
    }

    // comment
    const [comment, post, space] = await table.getMany([
      keys.comment(spaceId, item.postId as string, item.id as string),
      keys.post(spaceId, item.postId as string),
      keys.space(spaceId),
    ]);
    const doc = commentDocument(comment, post, space);
    if (doc) await index.upsert([doc]);
    else await index.remove([documentId.comment(spaceId, item.id as string)]);
  };
}
