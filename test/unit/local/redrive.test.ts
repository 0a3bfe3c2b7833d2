/**
 * `npm run redrive` without AWS: the SQS queue, the DynamoDB stream and the consumer function are
 * fakes (in-memory ports); what is tested is the redrive's own logic — a batch description is read
 * back from the stream and replayed, the message deleted only on success, a second run does nothing,
 * and batches past retention or still failing stay. The signed HTTP calls (local/aws/redrive-ports.ts)
 * are not exercised here: they need an AWS account.
 */
import { describe, expect, it } from '@jest/globals';
import type { DynamoDBRecord } from 'aws-lambda';
import { type RedrivePorts, redriveStreamFailures, StreamTrimmed } from '../../../local/aws/redrive';

const ARN = 'arn:aws:dynamodb:eu-west-1:1:table/t/stream/2026';
const description = (start: string, end: string) =>
  JSON.stringify({
    requestContext: { condition: 'RetryAttemptsExhausted' },
    DDBStreamBatchInfo: {
      shardId: 'shard-1',
      startSequenceNumber: start,
      endSequenceNumber: end,
      streamArn: ARN,
    },
  });

function fakes(options: { failing?: Set<string>; trimmedBefore?: bigint } = {}) {
  const queue = new Map<string, string>([
    ['m1', description('100', '102')],
    ['m2', description('200', '200')],
    ['m3', 'not json'],
  ]);
  const invoked: string[][] = [];
  const ports: RedrivePorts = {
    receive: async () => [...queue].map(([id, body]) => ({ messageId: id, receiptHandle: `r-${id}`, body })),
    remove: async (_url, handle) => void queue.delete(handle.slice(2)),
    readStream: async (batch) => {
      if (options.trimmedBefore && BigInt(batch.startSequenceNumber) < options.trimmedBefore)
        throw new StreamTrimmed('trimmed');
      const records: DynamoDBRecord[] = [];
      for (let n = BigInt(batch.startSequenceNumber); n <= BigInt(batch.endSequenceNumber); n++)
        records.push({ eventName: 'INSERT', dynamodb: { SequenceNumber: String(n) } });
      return records;
    },
    invoke: async (_fn, event) => {
      const sequences = (event as { Records: DynamoDBRecord[] }).Records.map(
        (r) => r.dynamodb!.SequenceNumber!,
      );
      invoked.push(sequences);
      const failed = sequences.filter((s) => options.failing?.has(s));
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    },
    startMove: async () => 'started',
  };
  return { ports, queue, invoked };
}

describe('redriveStreamFailures', () => {
  it('replays each failed batch from the stream, deletes it, and finds nothing on a second run', async () => {
    const { ports, queue, invoked } = fakes();
    const first = await redriveStreamFailures(ports, 'q', 'indexer');
    expect(first).toEqual({ replayed: 2, stillFailing: 0, expired: 0, unreadable: 1 });
    expect(invoked).toEqual([['100', '101', '102'], ['200']]);
    expect([...queue.keys()]).toEqual(['m3']);
    const second = await redriveStreamFailures(ports, 'q', 'indexer');
    expect(second).toEqual({ replayed: 0, stillFailing: 0, expired: 0, unreadable: 1 });
    expect(invoked).toHaveLength(2);
  });

  it('keeps batches that still fail and counts those past the stream retention', async () => {
    const { ports, queue } = fakes({ failing: new Set(['200']), trimmedBefore: 150n });
    const outcome = await redriveStreamFailures(ports, 'q', 'indexer');
    expect(outcome).toEqual({ replayed: 0, stillFailing: 1, expired: 1, unreadable: 1 });
    expect(queue.size).toBe(3);
  });
});
