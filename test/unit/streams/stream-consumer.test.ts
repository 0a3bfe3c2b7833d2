/**
 * The one stream-consumer shape (functions/streams/stream-consumer.ts) and its item-type filter
 * (functions/streams/item-type-filter.ts), on hand-made DynamoDB stream records: a failing record is
 * reported alone, the batch's effects are applied once in stream order, a failed batch application
 * reports exactly the records that produced effects, and the local filter agrees with the Lambda
 * filter patterns built from the same list.
 */
import { describe, expect, it } from '@jest/globals';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import {
  itemTypeFilterPatterns,
  recordHasItemType,
  recordItemType,
} from '../../../functions/streams/item-type-filter';
import { createStreamHandler, type StreamConsumer } from '../../../functions/streams/stream-consumer';

const context = {} as Context;
let seq = 100;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', type: string, id: string): DynamoDBRecord {
  const image = { type: { S: type }, id: { S: id } };
  return {
    eventName,
    dynamodb: {
      SequenceNumber: String(++seq),
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
      ...(eventName === 'MODIFY' ? { OldImage: image } : {}),
    },
  } as DynamoDBRecord;
}

describe('createStreamHandler', () => {
  it('reports a failing record alone and applies the others’ effects once, in stream order', async () => {
    const applied: string[][] = [];
    const consumer: StreamConsumer<string> = {
      name: 'test',
      itemTypes: ['post'],
      handleRecord: async (r) => {
        const id = r.dynamodb!.NewImage?.id?.S ?? r.dynamodb!.OldImage!.id!.S!;
        if (id === 'bad') throw new Error('cannot');
        return [id];
      },
      applyBatch: async (effects) => {
        applied.push(effects);
      },
    };
    const records = [
      record('INSERT', 'post', 'a'),
      record('INSERT', 'post', 'bad'),
      record('REMOVE', 'post', 'c'),
    ];
    const response = await createStreamHandler(consumer)({ Records: records }, context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1].dynamodb!.SequenceNumber }]);
    expect(applied).toEqual([['a', 'c']]);
  });

  it('reports every record that produced effects when applying the batch fails', async () => {
    const consumer: StreamConsumer<string> = {
      name: 'test',
      itemTypes: ['post'],
      handleRecord: async (r) => (r.dynamodb!.NewImage!.id!.S === 'quiet' ? [] : ['x']),
      applyBatch: async () => {
        throw new Error('index down');
      },
    };
    const records = [
      record('INSERT', 'post', 'a'),
      record('INSERT', 'post', 'quiet'),
      record('INSERT', 'post', 'b'),
    ];
    const response = await createStreamHandler(consumer)({ Records: records }, context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[0].dynamodb!.SequenceNumber,
      records[2].dynamodb!.SequenceNumber,
    ]);
  });

  it('answers a batch in which every record failed with all of them, not with a thrown error', async () => {
    const consumer: StreamConsumer<never> = {
      name: 'test',
      itemTypes: ['post'],
      handleRecord: async () => {
        throw new Error('no');
      },
    };
    const records = [record('INSERT', 'post', 'a'), record('INSERT', 'post', 'b')];
    const response = await createStreamHandler(consumer)({ Records: records }, context);
    expect(response.batchItemFailures).toHaveLength(2);
  });
});

describe('item-type filter', () => {
  /** Evaluates a Lambda filter pattern of the shape itemTypeFilterPatterns builds (exact-match lists). */
  function matches(pattern: Record<string, unknown>, value: unknown): boolean {
    return Object.entries(pattern).every(([key, expected]) => {
      const actual = (value as Record<string, unknown> | undefined)?.[key];
      return Array.isArray(expected)
        ? expected.includes(actual)
        : matches(expected as Record<string, unknown>, actual);
    });
  }
  const types = ['post', 'comment'];
  const cases = [
    record('INSERT', 'post', '1'),
    record('MODIFY', 'comment', '2'),
    record('REMOVE', 'post', '3'),
    record('INSERT', 'like', '4'),
    record('REMOVE', 'member', '5'),
  ];

  it.each(cases.map((r) => [r.eventName, recordItemType(r), r] as const))(
    '%s of a %s: the local predicate and the Lambda patterns agree',
    (_event, _type, r) => {
      const byPattern = itemTypeFilterPatterns(types).some((pattern) => matches(pattern, r));
      expect(recordHasItemType(r, types)).toBe(byPattern);
      expect(byPattern).toBe(types.includes(recordItemType(r)!));
    },
  );
});

describe('createStreamHandler during an outage', () => {
  const withDeadline = { getRemainingTimeInMillis: () => 60_000 } as Context;

  it('retries the whole batch inside the invocation while every record fails for one reason', async () => {
    let calls = 0;
    const consumer: StreamConsumer<string> = {
      name: 'test',
      itemTypes: ['post'],
      handleRecord: async (r) => [r.dynamodb!.NewImage!.id!.S!],
      applyBatch: async () => {
        calls++;
        if (calls < 3) throw new Error('connect ECONNREFUSED search');
      },
    };
    const records = [record('INSERT', 'post', 'a'), record('INSERT', 'post', 'b')];
    const handler = createStreamHandler(consumer, { firstDelayMs: 5, budgetMs: 1000 });
    const response = await handler({ Records: records }, withDeadline);
    expect(response.batchItemFailures).toEqual([]);
    expect(calls).toBe(3);
  });

  it('hands every record back once the budget is spent, and answers a bad record at once', async () => {
    const down: StreamConsumer<never> = {
      name: 'test',
      itemTypes: ['post'],
      handleRecord: async () => {
        throw new Error('table unavailable');
      },
    };
    const records = [record('INSERT', 'post', 'a'), record('INSERT', 'post', 'b')];
    const started = Date.now();
    const response = await createStreamHandler(down, { firstDelayMs: 10, budgetMs: 100 })(
      { Records: records },
      withDeadline,
    );
    expect(response.batchItemFailures).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);

    let attempts = 0;
    const oneBad: StreamConsumer<never> = {
      name: 'test',
      itemTypes: ['post'],
      handleRecord: async (r) => {
        attempts++;
        if (r.dynamodb!.NewImage!.id!.S === 'bad') throw new Error('cannot');
      },
    };
    const mixed = [record('INSERT', 'post', 'ok'), record('INSERT', 'post', 'bad')];
    const answer = await createStreamHandler(oneBad, { firstDelayMs: 10, budgetMs: 1000 })(
      { Records: mixed },
      withDeadline,
    );
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: mixed[1].dynamodb!.SequenceNumber }]);
    expect(attempts).toBe(2); // no retry inside the invocation
  });
});
