/**
 * The rebuild of search documents from scanned pages (functions/domain/search/reindex.ts). Taken a
 * partition at a time (as dynalite's Scan returns them), it makes the same documents as holding every
 * item to the end, and writes each partition's documents before the scan is over — so a cold start at
 * 100k items holds one partition's items, not the table's.
 */
import { describe, expect, it } from '@jest/globals';
import { keys } from '../../../../functions/data/keys';
import type { Item } from '../../../../functions/data/table';
import { attachmentItem } from '../../../../functions/domain/attachments/attachment';
import { bookmarkItem } from '../../../../functions/domain/bookmarks/bookmark';
import { profileItem } from '../../../../functions/domain/profiles/profile';
import { rebuildDocuments } from '../../../../functions/domain/search/reindex';
import type { SearchDocument } from '../../../../functions/domain/search/search-document';
import { pageItem } from '../../../../functions/domain/wiki/page';
import { FIXTURE_TIME, postFixture, spaceFixture } from '../../../helpers/content-items';

const AT = FIXTURE_TIME;
const space = spaceFixture;
const post = (spaceId: string, id: string, status = 'published') => postFixture(spaceId, id, { status });
const comment = (spaceId: string, postId: string, id: string) => ({
  ...keys.comment(spaceId, postId, id),
  type: 'comment',
  id,
  spaceId,
  postId,
  authorId: 'bob',
  authorName: 'Bob',
  body: `Comment ${id}`,
  text: `Comment ${id}`,
  createdAt: AT,
  updatedAt: AT,
});
const attachment = (spaceId: string, kind: 'post' | 'page', ownerId: string, name: string) =>
  attachmentItem({
    id: `a-${name}`,
    spaceId,
    owner: { kind, id: ownerId },
    name,
    size: 1,
    contentType: 'text/plain',
    blobKey: `k-${name}`,
    uploadedBy: 'alice',
    uploadedByName: 'Alice',
    createdAt: AT,
  });
const page = (spaceId: string, id: string) =>
  pageItem({
    id,
    spaceId,
    title: `Page ${id}`,
    body: `Page body ${id}`,
    text: `Page body ${id}`,
    tags: [],
    createdBy: 'alice',
    updatedBy: 'alice',
    updatedByName: 'Alice',
    createdAt: AT,
    updatedAt: AT,
    version: 1,
  } as never);
const bookmark = (userId: string, urlHash: string, spaceId: string) =>
  bookmarkItem({
    userId,
    userName: userId,
    url: `https://example.com/${urlHash}`,
    urlHash,
    host: 'example.com',
    title: `Link ${urlHash}`,
    description: '',
    tags: [],
    visibility: 'space',
    spaceId,
    savedAt: AT,
    updatedAt: AT,
  } as never);
const profile = (userId: string) =>
  profileItem({ userId, name: `Person ${userId}`, createdAt: AT, skills: [] } as never);

/** A table's indexable items as dynalite's Scan returns them: each partition together, by sort key. */
function table(): Item[] {
  const items = [
    space('s1', 'employees'),
    post('s1', 'p1'),
    post('s1', 'p2', 'draft'),
    comment('s1', 'p1', 'c1'),
    attachment('s1', 'post', 'p1', 'plan.pdf'),
    attachment('s1', 'page', 'w1', 'map.png'),
    page('s1', 'w1'),
    // Saved into s2, whose partition comes after the saver's.
    bookmark('carol', 'h1', 's2'),
    profile('carol'),
    space('s2', 'members'),
    post('s2', 'p3'),
    attachment('s2', 'post', 'p3', 'notes.txt'),
    // A post in a space that is gone: no document either way.
    post('gone', 'p4'),
  ];
  const partitions = new Map<string, Item[]>();
  for (const item of items)
    partitions.set(item.PK as string, [...(partitions.get(item.PK as string) ?? []), item]);
  // USER#carol's partition first, then the spaces': the bookmark's space comes later in the scan.
  return [...partitions.entries()]
    .sort(([a], [b]) => (a.startsWith('USER#') ? -1 : b.startsWith('USER#') ? 1 : a.localeCompare(b)))
    .flatMap(([, partition]) => partition.sort((a, b) => String(a.SK).localeCompare(String(b.SK))));
}

async function* pagesOf(items: Item[], size: number, pulled?: { pages: number }) {
  for (let i = 0; i < items.length; i += size) {
    if (pulled) pulled.pages++;
    yield items.slice(i, i + size);
  }
}

const byId = (docs: SearchDocument[]) => [...docs].sort((a, b) => a.id.localeCompare(b.id));

describe('rebuilding search documents from scanned pages', () => {
  it('makes the same documents a partition at a time as holding every item, over pages that cut partitions', async () => {
    const held: SearchDocument[] = [];
    await rebuildDocuments(pagesOf(table(), 100), async (docs) => void held.push(...docs));
    // Holding every item, the order does not matter: reversed, the same documents.
    const reversed: SearchDocument[] = [];
    await rebuildDocuments(pagesOf([...table()].reverse(), 4), async (docs) => void reversed.push(...docs));
    expect(byId(reversed)).toEqual(byId(held));
    for (const size of [1, 2, 3, 5, 100]) {
      const streamed: SearchDocument[] = [];
      const count = await rebuildDocuments(
        pagesOf(table(), size),
        async (docs) => void streamed.push(...docs),
        {
          partitionsTogether: true,
          chunkSize: 2,
        },
      );
      expect(count).toBe(held.length);
      expect(byId(streamed)).toEqual(byId(held));
    }
    const ids = byId(held).map((doc) => doc.id);
    expect(ids).toEqual([
      'bookmark:-:carol~h1',
      'comment:s1:c1',
      'page:s1:w1',
      'post:s1:p1',
      'post:s2:p3',
      'profile:-:carol',
    ]);
    const doc = (id: string) => held.find((d) => d.id === id)!;
    expect(doc('post:s1:p1').body).toContain('Attached: plan.pdf');
    expect(doc('page:s1:w1').body).toContain('Attached: map.png');
    expect(doc('post:s2:p3')).toMatchObject({ audience: 'members', spaceName: 'Space s2' });
    expect(doc('comment:s1:c1').title).toBe('Comment on “Post p1”');
    expect(doc('bookmark:-:carol~h1')).toMatchObject({ audience: 'members', spaceId: 's2' });
  });

  it('writes a partition’s documents before the scan is over, and holds no more than a partition', async () => {
    const pulled = { pages: 0 };
    const pagesAtWrite: number[] = [];
    const items = table();
    await rebuildDocuments(pagesOf(items, 1, pulled), async () => void pagesAtWrite.push(pulled.pages), {
      partitionsTogether: true,
      chunkSize: 1,
    });
    // The first document (carol's profile; her bookmark waits for its space) is written when the scan
    // leaves her partition, long before the last page.
    expect(pagesAtWrite[0]).toBeLessThan(items.length / 2);
    expect(pagesAtWrite.length).toBe(6);
  });

  it('refuses pages that come back to a partition they left (it would have missed items)', async () => {
    const items = table();
    const shuffled = [items[items.length - 1], ...items];
    await expect(
      rebuildDocuments(pagesOf(shuffled, 3), async () => undefined, { partitionsTogether: true }),
    ).rejects.toThrow(/met partition SPACE#s2 again/);
  });
});
