/**
 * `npm run bench:notifications [-- 5000]`: one post fanned out to N watchers (default 5,000) over the
 * local runtime (issue 11). N employees watching one space are written straight into the table (not
 * timed), then alice publishes a post there over HTTP and the clock runs until the last inbox item is
 * written (the fan-out tells the live hub of every item it writes; the bench counts them). Reported:
 * time to the first and the last inbox item, how many pages went through the local queue, and the
 * DynamoDB requests of the fan-out and the page writer per recipient. Not a test: times vary with the
 * machine's load; request counts do not. Prints a Markdown row for docs/performance.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalRuntime } from '../../local/runtime';
import { seedDemoData } from '../../local/seed';
import { addSpaceWatchers } from '../../test/helpers/audience';

const watchers = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 5000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-bench-notifications-'));
const rt = await startLocalRuntime({
  port: 0,
  dataDir,
  inMemory: true,
  metadataFetcher: {
    fetchPageMetadata: async () => {
      throw Object.assign(new Error('offline'), { name: 'FetchRefused', reason: 'offline (bench)' });
    },
  },
});
try {
  await seedDemoData(rt.table);
  const token = await rt.token('alice');
  const api = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${rt.url}/api${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${pathname} → ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  await api('GET', '/me');
  await api('POST', '/spaces', { id: 'bench-notify', name: 'Bench', audience: 'employees' });
  process.stdout.write(`writing ${watchers} watchers… `);
  await addSpaceWatchers(rt.table, 'bench-notify', watchers, 'bw');
  await rt.drain();
  console.log('done');

  const queue = rt.queues.get('fanout-pages')!;
  const invocationsBefore = queue.invocations;
  const requestsBefore = rt.fanoutTables.stream.roundTrips + rt.fanoutTables.pages.roundTrips;
  let written = 0;
  let first = 0;
  let last = 0;
  const publish = rt.live.publish.bind(rt.live);
  rt.live.publish = (notifications) => {
    for (const _ of notifications) {
      written++;
      if (written === 1) first = performance.now();
      if (written === watchers) last = performance.now();
    }
    publish(notifications);
  };

  const start = performance.now();
  await api('POST', '/spaces/bench-notify/posts', {
    title: 'To everyone',
    body: 'A post for 5,000 watchers.',
  });
  await rt.drain();
  const requests = rt.fanoutTables.stream.roundTrips + rt.fanoutTables.pages.roundTrips - requestsBefore;
  if (written !== watchers) throw new Error(`${written} inbox items written for ${watchers} watchers`);
  const row = {
    watchers,
    firstMs: Math.round(first - start),
    lastMs: Math.round(last - start),
    queueBatches: queue.invocations - invocationsBefore,
    requests,
    perRecipient: (requests / watchers).toFixed(3),
  };
  // Reference: what the local front itself sustains for conditional puts (one FIFO write lock for the
  // stream, each write read before and after on dynalite), 50 at a time as the fan-out sends them.
  const REFERENCE = 1000;
  const referenceStart = performance.now();
  for (let i = 0; i < REFERENCE; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, REFERENCE - i) }, (_, j) =>
        rt.table.put(
          { PK: `BENCH#${i + j}`, SK: 'X', type: 'bench' },
          { expression: 'attribute_not_exists(PK)' },
        ),
      ),
    );
  const putsPerSecond = Math.round(REFERENCE / ((performance.now() - referenceStart) / 1000));
  console.log(JSON.stringify({ ...row, localFrontConditionalPutsPerSecond: putsPerSecond }));
  console.log(
    '\n| watchers | first inbox item | last inbox item | queue batches (10 pages each) | DynamoDB requests | per recipient |\n| --- | --- | --- | --- | --- | --- |',
  );
  console.log(
    `| ${row.watchers} | ${row.firstMs} ms | ${row.lastMs} ms | ${row.queueBatches} | ${row.requests} | ${row.perRecipient} |`,
  );
  console.log(`\nlocal front: ${putsPerSecond} conditional PutItem/s (50 at a time)`);
} finally {
  await rt.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
