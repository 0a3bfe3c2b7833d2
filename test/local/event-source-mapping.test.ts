/**
 * The local event source mapping: batching, per-key order, partial batch failures, bounded retries,
 * bisect on error and a failure destination whose batches can be replayed — nothing lost.
 */
import { describe, expect, it } from '@jest/globals';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ChangeStream } from '../../local/dynamodb/change-stream';
import { EventSourceMapping } from '../../local/dynamodb/event-source-mapping';
import { FailureDestination } from '../../local/dynamodb/failure-destination';

function streamWith(count: number, keysCount = 3) {
  const stream = new ChangeStream('t', 'local');
  for (let i = 0; i < count; i++) {
    const k = { PK: { S: `K${i % keysCount}` }, SK: { S: 'A' } };
    stream.append(k, i < keysCount ? undefined : { ...k, n: { N: String(i - keysCount) } }, {
      ...k,
      n: { N: String(i) },
    });
  }
  return stream;
}

const seqOf = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.dynamodb!.SequenceNumber!);

describe('EventSourceMapping', () => {
  it('delivers only the item types asked for, as the Lambda event filter does, and moves past the rest', async () => {
    const stream = new ChangeStream('t', 'local');
    const types = ['post', 'like', 'post', 'member', 'member'];
    types.forEach((type, i) => {
      const item = { PK: { S: `K${i}` }, SK: { S: 'A' }, type: { S: type } };
      stream.append({ PK: item.PK, SK: item.SK }, undefined, item);
    });
    const delivered: string[] = [];
    const mapping = new EventSourceMapping(stream, new FailureDestination(), {
      name: 'posts-only',
      itemTypes: ['post'],
      handler: async (event) => {
        for (const r of event.Records) delivered.push(r.dynamodb!.NewImage!.type.S!);
      },
    });
    mapping.start();
    await mapping.idle();
    expect(delivered).toEqual(['post', 'post']);
    // The checkpoint is past the trailing records nobody wanted: nothing is left behind.
    expect(mapping.state.behind).toBe(0);
    await mapping.stop();
  });

  it('delivers every record once, in order, in batches of at most batchSize', async () => {
    const stream = streamWith(25);
    const seen: string[][] = [];
    const mapping = new EventSourceMapping(stream, new FailureDestination(), {
      name: 'ok',
      batchSize: 10,
      handler: async (event) => void seen.push(seqOf(event)),
    });
    mapping.start();
    await mapping.idle();
    expect(seen.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(seen.flat()).toEqual(stream.readAfter('', 100).map((r) => r.dynamodb.SequenceNumber));
    // Records appended later are delivered too.
    stream.append({ PK: { S: 'late' }, SK: { S: 'A' } }, undefined, { PK: { S: 'late' }, SK: { S: 'A' } });
    await mapping.idle();
    expect(seen.flat()).toHaveLength(26);
    await mapping.stop();
  });

  it('retries from the first reported failure and keeps per-key order', async () => {
    const stream = streamWith(9);
    const handled: string[] = [];
    let failOnce = true;
    const mapping = new EventSourceMapping(stream, new FailureDestination(), {
      name: 'partial',
      retryDelayMs: 1,
      handler: async (event) => {
        const failures = [];
        for (const record of event.Records) {
          if (failOnce && record.dynamodb!.NewImage!.n.N === '4') {
            failOnce = false;
            failures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
            break; // a correct handler stops at the first failure to keep order
          }
          handled.push(record.dynamodb!.NewImage!.n.N!);
        }
        return { batchItemFailures: failures };
      },
    });
    mapping.start();
    await mapping.idle();
    expect(handled).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    await mapping.stop();
  });

  it('bisects a failing batch, sends only the poison record to the failure destination, and can replay it', async () => {
    const stream = streamWith(8);
    const failures = new FailureDestination();
    const handled = new Set<string>();
    let poisoned = true;
    const handler = async (event: DynamoDBStreamEvent) => {
      if (poisoned && event.Records.some((r) => r.dynamodb!.NewImage!.n.N === '5'))
        throw new Error('cannot index record 5');
      for (const r of event.Records) handled.add(r.dynamodb!.NewImage!.n.N!);
    };
    let invocations = 0;
    const mapping = new EventSourceMapping(stream, failures, {
      name: 'bisect',
      retryAttempts: 2,
      retryDelayMs: 1,
      handler: async (event) => {
        invocations++;
        return handler(event);
      },
    });
    mapping.start();
    await mapping.idle();
    expect([...handled].sort()).toEqual(['0', '1', '2', '3', '4', '6', '7']);
    const [failed] = failures.list('bisect');
    expect(failures.list()).toHaveLength(1);
    expect(failed.records.map((r) => r.dynamodb.NewImage!.n.N)).toEqual(['5']);
    expect(failed.error).toMatch(/cannot index record 5/);
    expect(failed.attempts).toBe(3);
    expect(invocations).toBeLessThan(20); // bounded
    // The fault is fixed: replay delivers the record and empties the destination.
    poisoned = false;
    const outcome = await mapping.invoke(failed.records);
    expect(outcome.ok).toBe(true);
    failures.remove(failed.id);
    expect(handled.has('5')).toBe(true);
    expect(failures.list()).toHaveLength(0);
    await mapping.stop();
  });

  it('without bisect, retries the whole batch a bounded number of times then moves on', async () => {
    const stream = streamWith(4);
    const failures = new FailureDestination();
    let calls = 0;
    const mapping = new EventSourceMapping(stream, failures, {
      name: 'always-fails',
      retryAttempts: 2,
      retryDelayMs: 1,
      bisectBatchOnFunctionError: false,
      handler: async () => {
        calls++;
        throw new Error('down');
      },
    });
    mapping.start();
    await mapping.idle();
    expect(calls).toBe(3);
    expect(failures.list()[0].records).toHaveLength(4);
    expect(mapping.state.behind).toBe(0);
    await mapping.stop();
  });

  it('waits out an outage: a batch whose every record fails is retried whole, not bisected or set aside', async () => {
    const stream = streamWith(12, 12);
    const failures = new FailureDestination();
    let down = true;
    const batches: number[] = [];
    const handled = new Set<string>();
    const mapping = new EventSourceMapping(stream, failures, {
      name: 'outage',
      retryAttempts: 1,
      retryDelayMs: 5,
      maxBackoffMs: 40,
      handler: async (event) => {
        batches.push(event.Records.length);
        if (down)
          return {
            batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
          };
        for (const r of event.Records) handled.add(r.dynamodb!.NewImage!.n.N!);
        return { batchItemFailures: [] };
      },
    });
    mapping.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Far more rounds than retryAttempts, each with the whole batch (and two one-record probes: the
    // first and the last alone), never bisected, and nothing set aside.
    expect(batches.filter((n) => n === 12).length).toBeGreaterThan(3);
    expect(new Set(batches)).toEqual(new Set([12, 1]));
    expect(failures.list()).toHaveLength(0);
    expect(mapping.state.checkpoint).toBe('');
    down = false;
    await mapping.idle();
    expect(handled.size).toBe(12);
    expect(failures.list()).toHaveLength(0);
    await mapping.stop();
  });

  it('judges a lone failing record with the records written since: all failing is an outage', async () => {
    const stream = streamWith(1, 1);
    const failures = new FailureDestination();
    let down = true;
    const handled: string[] = [];
    const mapping = new EventSourceMapping(stream, failures, {
      name: 'lone',
      retryAttempts: 2,
      retryDelayMs: 20,
      maxBackoffMs: 40,
      handler: async (event) => {
        if (down)
          return {
            batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
          };
        for (const r of event.Records) handled.push(r.dynamodb!.NewImage!.n.N!);
        return { batchItemFailures: [] };
      },
    });
    mapping.start();
    // More records arrive while the first one is failing.
    for (let i = 1; i < 5; i++) {
      const k = { PK: { S: `L${i}` }, SK: { S: 'A' } };
      stream.append(k, undefined, { ...k, n: { N: String(i) } });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(failures.list()).toHaveLength(0);
    down = false;
    await mapping.idle();
    expect(handled).toEqual(['0', '1', '2', '3', '4']);
    await mapping.stop();
  });

  it('stops promptly during an outage without moving its checkpoint', async () => {
    const stream = streamWith(5, 5);
    const mapping = new EventSourceMapping(stream, new FailureDestination(), {
      name: 'stop-in-outage',
      retryDelayMs: 10_000,
      handler: async (event) => ({
        batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
      }),
    });
    mapping.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await mapping.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(mapping.state.checkpoint).toBe('');
  });

  it('tells one record that spoils a whole batch from an outage: bisects and sets aside only that record', async () => {
    const stream = streamWith(8, 8);
    const failures = new FailureDestination();
    const handled = new Set<string>();
    const mapping = new EventSourceMapping(stream, failures, {
      name: 'spoiler',
      retryAttempts: 1,
      retryDelayMs: 1,
      handler: async (event) => {
        // One bulk request for the batch: a bad document fails all of it.
        if (event.Records.some((r) => r.dynamodb!.NewImage!.n.N === '5'))
          return {
            batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
          };
        for (const r of event.Records) handled.add(r.dynamodb!.NewImage!.n.N!);
        return { batchItemFailures: [] };
      },
    });
    mapping.start();
    await mapping.idle();
    expect([...handled].sort()).toEqual(['0', '1', '2', '3', '4', '6', '7']);
    expect(failures.list().map((f) => f.records.map((r) => r.dynamodb.NewImage!.n.N))).toEqual([['5']]);
    await mapping.stop();
  });
});
