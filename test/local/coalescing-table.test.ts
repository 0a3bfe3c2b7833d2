/**
 * The stream consumers' Table (functions/data/coalescing-table.ts) over the local front: reads asked
 * for in one turn go out as one BatchGetItem and each caller gets its own items in its own order;
 * writes of one turn as BatchWriteItem requests of 25, an item written twice landing last; a failed
 * request fails its callers, and only them.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoalescingTable } from '../../functions/data/coalescing-table';
import { type createDocumentClient, type Item, Table } from '../../functions/data/table';
import { createTableInput } from '../../functions/data/table-definition';
import { InProcessDynalite } from '../../local/dynamodb/backend';
import { DynamoDbFront } from '../../local/dynamodb/dynamodb-front';

let backend: InProcessDynalite;
let front: DynamoDbFront;
let client: ReturnType<typeof createDocumentClient>;
const name = 'coalescing';

beforeAll(async () => {
  backend = new InProcessDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  front = new DynamoDbFront({ backend });
  await front.listen();
  client = front.documentClient();
  await client.send(new CreateTableCommand(createTableInput(name)));
  await new Table(client, name).writeMany(
    Array.from({ length: 150 }, (_, i) => ({ PK: `P#${i % 3}`, SK: `S#${i}`, n: i })),
    [],
  );
});
afterAll(async () => {
  await front.close();
  await backend.close();
});

const key = (i: number) => ({ PK: `P#${i % 3}`, SK: `S#${i}` });
const counted = async <T>(work: () => Promise<T>) => {
  const before = { ...front.requestCounts() } as Record<string, number>;
  const result = await work();
  const after = front.requestCounts() as Record<string, number>;
  const delta = Object.fromEntries(
    Object.keys(after)
      .filter((op) => op !== 'total' && after[op] !== (before[op] ?? 0))
      .map((op) => [op, after[op] - (before[op] ?? 0)]),
  );
  return { result, delta };
};

describe('CoalescingTable', () => {
  it('sends the reads of one turn as one BatchGetItem, each caller getting its own items in order', async () => {
    const table = new CoalescingTable(client, name);
    const { result, delta } = await counted(() =>
      Promise.all([
        table.getMany([key(5), key(1), { PK: 'P#0', SK: 'missing' }]),
        table.getMany([key(1)]),
        table.getMany([key(7), key(5)]),
      ]),
    );
    expect(delta).toEqual({ BatchGetItem: 1 });
    expect(result.map((items) => items.map((item) => item?.n))).toEqual([[5, 1, undefined], [1], [7, 5]]);
    expect(table.roundTrips).toBe(1);
  });

  it('pages more than 100 keys as Table.getMany does', async () => {
    const table = new CoalescingTable(client, name);
    const { result, delta } = await counted(() =>
      Promise.all([
        table.getMany(Array.from({ length: 80 }, (_, i) => key(i))),
        table.getMany(Array.from({ length: 70 }, (_, i) => key(149 - i))),
      ]),
    );
    expect(delta).toEqual({ BatchGetItem: 2 });
    expect(result[0].map((item) => item?.n)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(result[1].map((item) => item?.n)).toEqual(Array.from({ length: 70 }, (_, i) => 149 - i));
  });

  it('reads asked for in different turns go separately', async () => {
    const table = new CoalescingTable(client, name);
    const { delta } = await counted(async () => {
      await table.getMany([key(1)]);
      await table.getMany([key(2)]);
    });
    expect(delta).toEqual({ BatchGetItem: 2 });
  });

  it('sends the writes of one turn 25 a request; an item written twice is written last by the later call', async () => {
    const table = new CoalescingTable(client, name);
    const item = (i: number, v: string): Item => ({ PK: 'W', SK: `W#${i}`, v });
    const { delta } = await counted(() =>
      Promise.all([
        table.writeMany(
          Array.from({ length: 20 }, (_, i) => item(i, 'first')),
          [],
        ),
        table.writeMany([item(0, 'second'), item(20, 'second')], [{ PK: 'W', SK: 'W#1' }]),
        table.writeMany([], []),
      ]),
    );
    // 20 in the first request; the second call names W#0 again, so its writes start a second one.
    expect(delta).toEqual({ BatchWriteItem: 2 });
    const [w0, w1, w2, w20] = await new Table(client, name).getMany(
      [0, 1, 2, 20].map((i) => ({ PK: 'W', SK: `W#${i}` })),
    );
    expect([w0?.v, w1, w2?.v, w20?.v]).toEqual(['second', undefined, 'first', 'second']);
  });

  it('a failed request fails the callers that were in it, not later ones', async () => {
    const table = new CoalescingTable(client, name);
    const bad = { PK: 'P#0' } as never; // no sort key: DynamoDB refuses the whole request
    const outcomes = await Promise.allSettled([table.getMany([key(1)]), table.getMany([bad])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((await table.getMany([key(1)]))[0]?.n).toBe(1);
    const tooLarge = { PK: 'W', SK: 'big', text: 'x'.repeat(400 * 1024) };
    const writes = await Promise.allSettled([
      table.writeMany([tooLarge], []),
      table.writeMany([{ PK: 'W', SK: 'small', v: 1 }], []),
    ]);
    expect(writes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
  });
});
