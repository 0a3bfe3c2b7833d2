// The local stream as the API drives it (issue 2, item 7): every committed write through the API
// yields records in the DynamoDB Streams shape — INSERT/MODIFY/REMOVE for the post and its tag items,
// one transaction's records together — in commit order per item even under concurrent requests; a
// consumer that keeps failing on one record leaves exactly that record in the failure destination
// (health says so meanwhile), and replaying it after the fix empties the destination. Nothing lost,
// nothing duplicated.

import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamRecord } from '../../local/dynamodb/change-stream';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
const S = 'stream-space';

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

const stream = () => rt.front.stream(rt.tableName);
/** The position to read after: records appended later are what the next action wrote. */
const mark = () => stream().latestSequenceNumber;
/**
 * The records an API write made: without what the notification fan-out derives from them meanwhile
 * (inbox items and authors' watches in the people's own partitions, home-feed items and gathered likes, written by
 * the consumer).
 */
const DERIVED = new Set(['notification', 'subscription', 'feed', 'likesGathered']);
const since = (position: string) =>
  stream()
    .readAfter(position, 1e9)
    .filter((r) => !DERIVED.has(String((r.dynamodb.NewImage ?? r.dynamodb.OldImage)?.type?.S)));
const sk = (record: StreamRecord) => String(record.dynamodb.Keys?.SK?.S);
const pk = (record: StreamRecord) => String(record.dynamodb.Keys?.PK?.S);
const newImage = (record: StreamRecord) =>
  record.dynamodb.NewImage ? unmarshall(record.dynamodb.NewImage as never) : undefined;
const oldImage = (record: StreamRecord) =>
  record.dynamodb.OldImage ? unmarshall(record.dynamodb.OldImage as never) : undefined;
/** Records of the items whose sort key starts with `prefix`, as "EVENT SK". */
const events = (records: StreamRecord[], prefix: string) =>
  records
    .filter((r) => sk(r).startsWith(prefix))
    .map((r) => `${r.eventName} ${sk(r)}`)
    .sort();

function expectStreamShape(record: StreamRecord) {
  expect(record).toMatchObject({
    eventID: expect.any(String),
    eventName: expect.stringMatching(/^(INSERT|MODIFY|REMOVE)$/),
    eventSource: 'aws:dynamodb',
    eventVersion: expect.any(String),
    awsRegion: expect.any(String),
    eventSourceARN: expect.stringContaining(`table/${rt.tableName}/stream/`),
    dynamodb: {
      Keys: { PK: { S: expect.any(String) }, SK: { S: expect.any(String) } },
      SequenceNumber: expect.stringMatching(/^\d+$/),
      SizeBytes: expect.any(Number),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ApproximateCreationDateTime: expect.any(Number),
    },
  });
  // Images as the view type promises: INSERT has only the new, REMOVE only the old, MODIFY both.
  expect(!!record.dynamodb.NewImage).toBe(record.eventName !== 'REMOVE');
  expect(!!record.dynamodb.OldImage).toBe(record.eventName !== 'INSERT');
  for (const image of [newImage(record), oldImage(record)])
    if (image) expect({ PK: image.PK, SK: image.SK }).toEqual({ PK: pk(record), SK: sk(record) });
}

function expectIncreasing(records: StreamRecord[]) {
  const numbers = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
  for (let i = 1; i < numbers.length; i++) expect(numbers[i] > numbers[i - 1]).toBe(true);
}

beforeAll(async () => {
  rt = await startTestRuntime();
  for (const account of ['alice', 'bob', 'admin']) await ok(account, 'GET', '/me');
  await ok('alice', 'POST', '/spaces', { id: S, name: 'Stream', audience: 'employees' });
  await ok('alice', 'PUT', `/spaces/${S}/members/bob`, { role: 'editor' });
});

afterAll(async () => {
  await rt?.close();
});

describe('records for API writes', () => {
  let postId: string;

  it('creating a post: INSERT of the post and of each tag item, nothing else', async () => {
    const at = mark();
    const post = await ok('alice', 'POST', `/spaces/${S}/posts`, {
      title: 'Streamed',
      body: 'Hello #alpha',
      tags: ['beta'],
    });
    postId = post.id;
    const records = since(at);
    expect(records.map((r) => `${r.eventName} ${pk(r)} ${sk(r)}`).sort()).toEqual(
      [
        `INSERT SPACE#${S} POST#${postId}`,
        `INSERT SPACE#${S} POSTTAG#${postId}#alpha`,
        `INSERT SPACE#${S} POSTTAG#${postId}#beta`,
      ].sort(),
    );
    records.forEach(expectStreamShape);
    expectIncreasing(records);
    const postRecord = records.find((r) => sk(r) === `POST#${postId}`)!;
    expect(newImage(postRecord)).toMatchObject({
      type: 'post',
      id: postId,
      title: 'Streamed',
      version: 1,
      tags: ['beta', 'alpha'],
      status: 'published',
    });
    expect(newImage(records.find((r) => sk(r).endsWith('#alpha'))!)).toMatchObject({
      type: 'postTag',
      tag: 'alpha',
      postId,
      GSI1PK: 'TAG#alpha#POSTS',
    });
  });

  it('editing it: MODIFY of the post with old and new images, INSERT/REMOVE of changed tags, no record for an unchanged tag', async () => {
    const at = mark();
    await ok('alice', 'PUT', `/spaces/${S}/posts/${postId}`, {
      title: 'Streamed, edited',
      body: 'Hello #alpha #gamma',
      version: 1,
    });
    const records = since(at);
    records.forEach(expectStreamShape);
    expect(events(records, '')).toEqual([
      `INSERT POSTTAG#${postId}#gamma`,
      `MODIFY POST#${postId}`,
      `REMOVE POSTTAG#${postId}#beta`,
    ]);
    const modify = records.find((r) => sk(r) === `POST#${postId}`)!;
    expect(oldImage(modify)).toMatchObject({ title: 'Streamed', version: 1 });
    expect(newImage(modify)).toMatchObject({
      title: 'Streamed, edited',
      version: 2,
      tags: ['alpha', 'gamma'],
    });
    expect(oldImage(records.find((r) => r.eventName === 'REMOVE')!)).toMatchObject({ tag: 'beta' });
  });

  it('a like: INSERT of the like and MODIFY of the post count, adjacent, as one transaction', async () => {
    const at = mark();
    await ok('bob', 'PUT', `/spaces/${S}/posts/${postId}/like`, { liked: true });
    const records = since(at);
    expect(records.map((r) => `${r.eventName} ${sk(r)}`)).toEqual([
      `INSERT LIKE#${postId}#bob`,
      `MODIFY POST#${postId}`,
    ]);
    expect(BigInt(records[1].dynamodb.SequenceNumber) - BigInt(records[0].dynamodb.SequenceNumber)).toBe(1n);
    expect([oldImage(records[1])?.likeCount, newImage(records[1])?.likeCount]).toEqual([0, 1]);

    // Liking again changes nothing, so it writes nothing.
    const again = mark();
    await ok('bob', 'PUT', `/spaces/${S}/posts/${postId}/like`, { liked: true });
    expect(since(again)).toEqual([]);
  });

  it('a comment: INSERT of the comment and MODIFY of the post count together', async () => {
    const at = mark();
    await ok('bob', 'POST', `/spaces/${S}/posts/${postId}/comments`, { body: 'streamed comment' });
    const records = since(at);
    expect(records.map((r) => `${r.eventName} ${sk(r).split('#')[0]}`)).toEqual([
      'INSERT COMMENT',
      'MODIFY POST',
    ]);
    expect([oldImage(records[1])?.commentCount, newImage(records[1])?.commentCount]).toEqual([0, 1]);
  });

  it('deleting it: REMOVE of the post, its tag items, its comment and its like, with old images', async () => {
    const at = mark();
    expect((await rt.api('alice', 'DELETE', `/spaces/${S}/posts/${postId}`)).status).toBe(204);
    const records = since(at);
    records.forEach(expectStreamShape);
    for (const record of records) expect(record.eventName).toBe('REMOVE');
    expect(events(records, '').map((e) => e.replace(/COMMENT#(\w+)#\w+/, 'COMMENT#$1#*'))).toEqual(
      [
        `REMOVE COMMENT#${postId}#*`,
        `REMOVE LIKE#${postId}#bob`,
        `REMOVE POST#${postId}`,
        `REMOVE POSTTAG#${postId}#alpha`,
        `REMOVE POSTTAG#${postId}#gamma`,
      ].sort(),
    );
    expect(oldImage(records.find((r) => sk(r) === `POST#${postId}`)!)).toMatchObject({
      title: 'Streamed, edited',
      version: 2,
      likeCount: 1,
      commentCount: 1,
    });
  });

  it('a refused write (stale version, no permission) appends no record', async () => {
    const post = await ok('bob', 'POST', `/spaces/${S}/posts`, { title: 'Guarded', body: 'x' });
    const at = mark();
    expect(
      (await rt.api('bob', 'PUT', `/spaces/${S}/posts/${post.id}`, { title: 'Stale', body: 'x', version: 7 }))
        .status,
    ).toBe(409);
    expect(
      (
        await rt.api('admin', 'PUT', `/spaces/${S}/posts/${post.id}`, {
          title: 'Not mine',
          body: 'x',
          version: 1,
        })
      ).status,
    ).toBe(403);
    expect(
      (await rt.api('bob', 'POST', `/spaces/${S}/posts`, { title: 'x', body: 'y', extra: true })).status,
    ).toBe(400);
    expect(since(at)).toEqual([]);
  });
});

describe('concurrency', () => {
  it('20 concurrent post creations: exactly 20 post INSERT records with distinct ids, in strictly increasing order', async () => {
    const at = mark();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rt.api(i % 2 ? 'alice' : 'bob', 'POST', `/spaces/${S}/posts`, {
          title: `Concurrent ${i}`,
          body: `#burst number ${i}`,
        }),
      ),
    );
    for (const response of responses) expect(response.status).toBe(201);
    const created = responses.map((r) => r.body.id as string);
    expect(new Set(created).size).toBe(20);

    const records = since(at);
    expectIncreasing(records);
    expect(new Set(records.map((r) => r.dynamodb.SequenceNumber)).size).toBe(records.length);
    const postInserts = records.filter((r) => r.eventName === 'INSERT' && sk(r).startsWith('POST#'));
    expect(postInserts).toHaveLength(20);
    expect(postInserts.map((r) => sk(r).slice('POST#'.length)).sort()).toEqual([...created].sort());
    expect(records.filter((r) => sk(r).startsWith('POSTTAG#') && sk(r).endsWith('#burst'))).toHaveLength(20);
    expect(records).toHaveLength(40); // nothing else: no duplicates, no strays
  });

  it('concurrent comments on one post: the post’s MODIFY records chain old → new in stream order, none lost', async () => {
    const post = await ok('alice', 'POST', `/spaces/${S}/posts`, { title: 'Hot thread', body: 'x' });
    const at = mark();
    const people = ['alice', 'bob', 'admin'];
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        rt.api(people[i % 3], 'POST', `/spaces/${S}/posts/${post.id}/comments`, { body: `comment ${i}` }),
      ),
    );
    for (const response of responses) expect(response.status).toBe(201);

    const postRecords = since(at).filter((r) => sk(r) === `POST#${post.id}`);
    expect(postRecords).toHaveLength(12);
    postRecords.forEach((record, i) => {
      expect(record.eventName).toBe('MODIFY');
      expect(oldImage(record)?.commentCount).toBe(i);
      expect(newImage(record)?.commentCount).toBe(i + 1);
    });
    expect((await ok('bob', 'GET', `/spaces/${S}/posts/${post.id}`)).commentCount).toBe(12);
  });
});

describe('a failing consumer', () => {
  it('retries, parks exactly the poison record, health degrades, and a replay after the fix empties the destination', async () => {
    const poisonTitle = `Poison ${Date.now()}`;
    const isPoison = (record: StreamRecord) =>
      newImage(record)?.type === 'post' &&
      newImage(record)?.title === poisonTitle &&
      record.eventName === 'INSERT';
    let fixed = false;
    const handled: string[] = []; // eventIDs of records in batches that succeeded
    const attempts: number[] = [];
    rt.addConsumer({
      name: 'flaky-indexer',
      retryAttempts: 1,
      retryDelayMs: 1,
      handler: async (event: DynamoDBStreamEvent) => {
        const records = event.Records as StreamRecord[];
        if (!fixed && records.some(isPoison)) {
          attempts.push(records.length);
          throw new Error('cannot index this one');
        }
        handled.push(...records.map((r) => r.eventID!));
      },
    });

    await ok('alice', 'POST', `/spaces/${S}/posts`, { title: 'Before the poison', body: 'x' });
    const poison = await ok('alice', 'POST', `/spaces/${S}/posts`, { title: poisonTitle, body: 'x' });
    await ok('alice', 'POST', `/spaces/${S}/posts`, { title: 'After the poison', body: 'x' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      rt.drain(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('drain() did not return')), 15_000);
      }),
    ]).finally(() => clearTimeout(timer));

    const failures = rt.failures.list('flaky-indexer');
    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure.records).toHaveLength(1);
    expect(sk(failure.records[0])).toBe(`POST#${poison.id}`);
    expect(failure.records[0].eventName).toBe('INSERT');
    expect(failure.error).toContain('cannot index this one');
    expect(failure.attempts).toBeGreaterThan(1); // tried, retried, then parked
    expect(attempts.filter((n) => n === 1).length).toBe(2); // bisected down to the record alone, tried twice

    // Every other record of the stream was handled; the poison one was not.
    const all = stream().readAfter('', 1e9);
    const poisonRecord = all.find(isPoison)!;
    expect(new Set(handled)).toEqual(new Set(all.filter((r) => r !== poisonRecord).map((r) => r.eventID)));

    // Health shows the pending failure.
    const degraded = await fetch(`${rt.url}/api/health`);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({
      status: 'degraded',
      table: { status: 'ok' },
      stream: { status: 'failing', failedBatches: 1 },
    });

    // The fault is fixed; the replay succeeds and the destination is empty again.
    fixed = true;
    expect(await rt.replayFailure(failure.id)).toBe(true);
    expect(rt.failures.list('flaky-indexer')).toEqual([]);
    expect(handled).toContain(poisonRecord.eventID);
    expect(await rt.replayFailure(failure.id)).toBe(false); // already gone

    const healthy = await fetch(`${rt.url}/api/health`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ status: 'ok', stream: { status: 'ok', failedBatches: 0 } });

    // The consumer goes on with new writes.
    const later = await ok('bob', 'POST', `/spaces/${S}/posts`, { title: 'Later', body: 'x' });
    await rt.drain();
    const laterRecord = stream()
      .readAfter('', 1e9)
      .find((r) => sk(r) === `POST#${later.id}`)!;
    expect(handled).toContain(laterRecord.eventID);
  });
});
