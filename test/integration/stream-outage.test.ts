// Consumers that wait out an outage (issue 14, item 6): with the search index down, 40 new posts
// wait in the stream — not 40 single-record failures in the failure destination — and are indexed
// once search is back. Then the replay-all of the failure destination: a batch set aside by a bad
// record is replayed by `POST /_local/stream/failures/replay-all`, and a second replay-all changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.api('alice', 'GET', '/me');
  const space = await rt.api('alice', 'POST', '/spaces', {
    id: 'outage',
    name: 'Outage',
    audience: 'employees',
  });
  expect(space.status).toBe(201);
  await rt.drain();
});
afterAll(async () => {
  await rt?.close();
});

/** Makes the embedded index refuse writes (as an unreachable OpenSearch domain would) until `up()`. */
function searchDown(index: FastSearchIndex) {
  const write = index.write.bind(index);
  let calls = 0;
  index.write = async () => {
    calls++;
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { name: 'ConnectionError' });
  };
  return {
    calls: () => calls,
    up() {
      index.write = write;
    },
  };
}

const titleHits = async (text: string) => {
  const response = await rt.api('alice', 'GET', `/search?q=${encodeURIComponent(text)}&type=post`);
  return (response.body.items as { title: string }[]).map((item) => item.title);
};

describe('stream consumers during a search outage', () => {
  it('keeps 40 records waiting while search is down and indexes them all when it comes back', async () => {
    const outage = searchDown(rt.search);
    const indexer = rt.consumers.get('indexer')!;
    const invocationsBefore = indexer.state.invocations;
    for (let i = 0; i < 40; i++) {
      const created = await rt.api('alice', 'POST', '/spaces/outage/posts', {
        title: `Outage note ${i} quokka`,
        body: 'Written while search was down',
      });
      expect(created.status).toBe(201);
    }
    // Give the indexer time to fail several rounds.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(outage.calls()).toBeGreaterThan(1);
    expect(rt.failures.list('indexer')).toEqual([]);
    expect(indexer.state.behind).toBeGreaterThanOrEqual(40);
    expect(await titleHits('quokka')).toEqual([]);
    const health = await rt.api('alice', 'GET', '/health');
    expect(health.status).toBe(200);

    outage.up();
    await rt.drain();
    const search = await rt.api('alice', 'GET', '/search?q=quokka&type=post&limit=50');
    expect(search.body.total).toBe(40);
    expect(rt.failures.list('indexer')).toEqual([]);
    // Whole batches, not 40 records each bisected and retried alone.
    expect(indexer.state.invocations - invocationsBefore).toBeLessThan(80);
  }, 60_000);

  it('replays every failed batch with one call, and a second call replays nothing', async () => {
    const index = rt.search;
    const write = index.write.bind(index);
    index.write = async (changes) => {
      if (changes.upsert.some((doc) => doc.title?.includes('wombat'))) throw new Error('mapping conflict');
      return write(changes);
    };
    const created = await rt.api('alice', 'POST', '/spaces/outage/posts', {
      title: 'A wombat the index refuses',
      body: 'Until the mapping is fixed',
    });
    expect(created.status).toBe(201);
    await rt.drain();
    expect(rt.failures.list('indexer')).toHaveLength(1);
    expect(await titleHits('wombat')).toEqual([]);

    index.write = write; // the fix
    const replay = () =>
      fetch(`${rt.url}/_local/stream/failures/replay-all`, { method: 'POST' }).then((r) => r.json());
    expect(await replay()).toEqual({ replayed: 1, stillFailing: 0 });
    expect(await titleHits('wombat')).toEqual(['A wombat the index refuses']);
    expect(rt.failures.list()).toEqual([]);
    expect(await replay()).toEqual({ replayed: 0, stillFailing: 0 });
    expect(await titleHits('wombat')).toEqual(['A wombat the index refuses']);
  }, 30_000);
});
