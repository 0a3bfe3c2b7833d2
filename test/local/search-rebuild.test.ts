/**
 * A cold start's rebuild of the embedded search index (local/search-rebuild.ts) over real dynalite:
 * its Scan read in this process page by page (1 MiB each), documents made as the scan leaves each
 * partition — the same documents the AWS reindex makes through the SDK holding every item. And the TTL
 * sweep, a Scan of the whole table too, runs one at a time with a pause after each that grows with its
 * duration (at 100k items sweeps every 5 s once piled up, and a cold start took over 45 minutes).
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { createDocumentClient, Item } from '../../functions/data/table';
import { createTableInput } from '../../functions/data/table-definition';
import { rebuildDocuments, scanIndexableItems } from '../../functions/domain/search/reindex';
import type { SearchDocument } from '../../functions/domain/search/search-document';
import { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { InProcessDynalite } from '../../local/dynamodb/backend';
import { DynamoDbFront, TTL_SWEEP_PAUSE_FACTOR } from '../../local/dynamodb/dynamodb-front';
import { rebuildSearchIndex, scanIndexableItemsInProcess } from '../../local/search-rebuild';
import { postFixture, spaceFixture } from '../helpers/content-items';

const TABLE = 'rebuild-test';

describe('rebuilding the embedded index from dynalite', () => {
  const backend = new InProcessDynalite({ createTableMs: 0 });
  const front = new DynamoDbFront({ backend, deferTtlSweep: true });
  let client: ReturnType<typeof createDocumentClient>;
  const SPACES = 4;
  const POSTS = 120;

  beforeAll(async () => {
    await front.listen();
    client = front.documentClient();
    await client.send(new CreateTableCommand(createTableInput(TABLE)));
    const items: Item[] = [];
    for (let s = 0; s < SPACES; s++) items.push(spaceFixture(`s${s}`, s % 2 ? 'members' : 'employees'));
    // ~30 KiB a post: the scan answers in pages of 1 MiB, so a partition spans pages.
    const filler = 'word '.repeat(2000);
    for (let p = 0; p < POSTS; p++)
      items.push(
        postFixture(`s${p % SPACES}`, `p${p}`, {
          title: `Post number ${p}`,
          body: filler,
          html: `<p>${filler}</p>`,
          text: `post${p} ${filler}`,
          excerpt: filler.slice(0, 280),
          tags: [],
          commentCount: 0,
        }),
      );
    for (let i = 0; i < items.length; i += 25)
      await client.send(
        new BatchWriteCommand({
          RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
  }, 60_000);

  afterAll(async () => {
    client.destroy();
    await front.close();
    await backend.close();
  });

  it('pages through the Scan and makes the documents the SDK path makes', async () => {
    let pages = 0;
    for await (const _page of scanIndexableItemsInProcess(backend, TABLE)) pages++;
    expect(pages).toBeGreaterThan(2);

    const expected: SearchDocument[] = [];
    await rebuildDocuments(scanIndexableItems(client, TABLE), async (docs) => void expected.push(...docs));
    const index = new FastSearchIndex();
    const scansBefore = backend.calls.get('Scan') ?? 0;
    const count = await rebuildSearchIndex(backend, TABLE, index);
    expect(backend.calls.get('Scan')! - scansBefore).toBe(pages);
    expect(count).toBe(POSTS);
    expect(expected).toHaveLength(POSTS);
    for (const doc of expected) expect(await index.get(doc.id)).toEqual(doc);
  });
});

describe('the TTL sweep', () => {
  it('runs one sweep at a time, pausing at least TTL_SWEEP_PAUSE_FACTOR times its duration', async () => {
    const backend = new InProcessDynalite({ createTableMs: 0 });
    const front = new DynamoDbFront({ backend, ttlSweepMs: 10, deferTtlSweep: true });
    let running = 0;
    let most = 0;
    let sweeps = 0;
    // A sweep that takes 40 ms, as a large table's would take seconds.
    front.sweepExpired = async () => {
      sweeps++;
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 40));
      running--;
      return 0;
    };
    await front.listen();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sweeps).toBe(0); // deferred until started
    front.startTtlSweep();
    await new Promise((resolve) => setTimeout(resolve, 40 + 10 + 40 * TTL_SWEEP_PAUSE_FACTOR - 200));
    await front.close();
    await backend.close();
    expect(most).toBe(1);
    expect(sweeps).toBe(1);
  });
});
