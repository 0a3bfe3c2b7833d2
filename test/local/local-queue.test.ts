// The local stand-in for SQS and its Lambda mapping: batches, partial batch failures redelivered,
// dead letters after maxReceiveCount, redrive, and messages kept across a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { LocalQueue } from '../../local/queue/local-queue';

const bodies = (event: SQSEvent) => event.Records.map((r) => JSON.parse(r.body) as number);

describe('LocalQueue', () => {
  it('delivers in batches and redelivers only the messages reported failed', async () => {
    const seen: number[][] = [];
    let failOnce = true;
    const queue = new LocalQueue<number>({
      name: 'q',
      batchSize: 3,
      concurrency: 1,
      retryDelayMs: 1,
      handler: async (event) => {
        seen.push(bodies(event));
        const three = event.Records.find((r) => r.body === '3');
        if (three && failOnce) {
          failOnce = false;
          expect(three.attributes.ApproximateReceiveCount).toBe('1');
          return { batchItemFailures: [{ itemIdentifier: three.messageId }] };
        }
        return { batchItemFailures: [] };
      },
    });
    queue.start();
    await queue.send([1, 2, 3, 4, 5]);
    await queue.idle();
    expect(seen.flat().sort()).toEqual([1, 2, 3, 3, 4, 5]);
    expect(seen[0]).toEqual([1, 2, 3]);
    expect(queue.deadLetters()).toEqual([]);
    await queue.stop();
  });

  it('moves a message that keeps failing to the dead letters, and redrives it', async () => {
    let broken = true;
    let calls = 0;
    const queue = new LocalQueue<string>({
      name: 'q',
      maxReceiveCount: 2,
      retryDelayMs: 1,
      handler: async () => {
        calls++;
        if (broken) throw new Error('down');
        return { batchItemFailures: [] };
      },
    });
    queue.start();
    await queue.send(['page']);
    await queue.idle();
    expect(calls).toBe(2);
    expect(queue.deadLetters()).toHaveLength(1);
    expect(queue.deadLetters()[0].lastError).toContain('down');
    broken = false;
    expect(queue.redrive()).toBe(1);
    await queue.idle();
    expect(calls).toBe(3);
    expect(queue.deadLetters()).toEqual([]);
    await queue.stop();
  });

  it('keeps pending messages and dead letters across a restart', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-queue-'));
    try {
      const first = new LocalQueue<number>({ name: 'q', directory, handler: async () => undefined });
      await first.send([7, 8]); // never started: nothing delivered
      const handled: number[] = [];
      const second = new LocalQueue<number>({
        name: 'q',
        directory,
        handler: async (event) => {
          handled.push(...bodies(event));
          return undefined;
        },
      });
      second.start();
      await second.idle();
      expect(handled.sort()).toEqual([7, 8]);
      await second.stop();
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
