// The fan-out of a large audience over the real local runtime: an event with 1,200 watchers writes the
// first page from the stream and queues the rest (the local queue standing in for SQS); everyone gets
// the notification exactly once, also when a queue message is delivered twice and when a page write
// fails once. (Live updates: notification-live.test.ts.)

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Table } from '../../functions/data/table';
import { DEFAULT_PREFERENCES, preferencesItem } from '../../functions/domain/mail/preferences';
import { PAGE_SIZE } from '../../functions/streams/fanout';
import { seedDemoData } from '../../local/seed';
import { addSpaceWatchers } from '../helpers/audience';
import { duplicateFirstFanoutPage } from '../helpers/fanout-pages-queue';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const WATCHERS = 1200;
let rt: TestRuntime;
let scanner: DynamoDBDocumentClient;
let seq = 0;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

/** Every inbox item about a post, whoever it is for (one Scan). */
async function notificationsAbout(postId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scanner.send(
      new ScanCommand({
        TableName: rt.tableName,
        FilterExpression: '#type = :n AND postId = :p',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':n': 'notification', ':p': postId },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function expectEachOnce(items: Record<string, unknown>[], watchers: string[]) {
  const recipients = items.map((item) => item.recipientId as string);
  expect(recipients.length).toBe(new Set(recipients).size);
  expect(new Set(recipients)).toEqual(new Set(watchers));
}

async function bigSpace(): Promise<{ spaceId: string; watchers: string[] }> {
  const spaceId = `big-${++seq}`;
  await ok('alice', 'POST', '/spaces', { id: spaceId, name: `Big ${seq}`, audience: 'employees' });
  const watchers = await addSpaceWatchers(rt.table, spaceId, WATCHERS, `s${seq}w`);
  await rt.drain();
  return { spaceId, watchers };
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin']) await ok(account, 'GET', '/me');
  scanner = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: rt.dynamodbEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await rt.drain();
}, 60_000);

afterAll(async () => {
  scanner?.destroy();
  await rt?.close();
});

describe('an audience larger than a page goes through the queue', () => {
  it(`reaches all ${WATCHERS} watchers exactly once, even when a queue message is delivered twice`, async () => {
    const { spaceId, watchers } = await bigSpace();
    // The last watcher (in a queued page, not the first) wants new posts e-mailed at once.
    const late = watchers[watchers.length - 1];
    await rt.table.put(
      preferencesItem(late, { ...DEFAULT_PREFERENCES, post: 'immediately' }, new Date().toISOString()),
    );
    const mailedBefore = new Set(rt.outbox.list().map((entry) => entry.id));
    const queue = rt.queues.get('fanout-pages')!;
    const before = queue.invocations;
    // At-least-once delivery: the first batch is handed to the consumer twice, at the same time.
    const fanoutPages = duplicateFirstFanoutPage(rt);
    try {
      const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
        title: 'All hands',
        body: 'Friday',
      });
      await rt.drain();
      const items = await notificationsAbout(post.id);
      expectEachOnce(items, watchers);
      // Every page went through the mail hook: each item has its e-mail due mark (posts: daily by
      // default), and the late watcher's item, written by a queued page, was e-mailed once.
      for (const item of items)
        expect(item.emailDue).toBe(item.recipientId === late ? 'immediately' : 'daily');
      expect(items.find((item) => item.recipientId === late)?.emailedAt).toBeDefined();
      const mailed = rt.outbox.list().filter((entry) => !mailedBefore.has(entry.id));
      expect(mailed.map((entry) => entry.to)).toEqual([`${late}@example.com`]);
      // The first page (PAGE_SIZE people: alice's followers, then watchers) came from the stream record,
      // the other 1,000-odd watchers as queued pages of PAGE_SIZE (five, or six when alice has followers).
      expect(fanoutPages.pagesSent).toBeGreaterThanOrEqual(WATCHERS / PAGE_SIZE - 1);
      expect(fanoutPages.pagesSent).toBeLessThanOrEqual(WATCHERS / PAGE_SIZE);
      expect(queue.invocations - before).toBeGreaterThanOrEqual(1);
      expect(fanoutPages.duplicated).toBeGreaterThanOrEqual(1);
      expect(queue.deadLetters()).toEqual([]);
    } finally {
      fanoutPages.restore();
    }
  }, 120_000);

  it('a page whose write fails once is redelivered and completes, with no duplicates', async () => {
    const { spaceId, watchers } = await bigSpace();
    const queue = rt.queues.get('fanout-pages')!;
    // The fault: one inbox write, after the first page (so inside a queued page), is refused once.
    const put = Table.prototype.put;
    let notificationPuts = 0;
    let failed = 0;
    Table.prototype.put = async function (this: Table, item, condition) {
      if (item.type === 'notification' && ++notificationPuts === PAGE_SIZE + 50 && failed === 0) {
        failed++;
        throw Object.assign(new Error('injected: throughput exceeded'), {
          name: 'ProvisionedThroughputExceededException',
        });
      }
      return put.call(this, item, condition);
    };
    try {
      const post = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'Offsite', body: 'Plans' });
      await rt.drain();
      expect(failed).toBe(1);
      expectEachOnce(await notificationsAbout(post.id), watchers);
      expect(queue.deadLetters()).toEqual([]);
      expect(rt.failures.list('fanout')).toEqual([]);
    } finally {
      Table.prototype.put = put;
    }
  }, 120_000);
});
