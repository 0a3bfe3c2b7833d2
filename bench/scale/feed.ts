/**
 * The home feed at 2, 10 and 50 spaces (issue 13): alice belongs to that many spaces — half open to
 * employees, half members-only, every fifth shared with a partner organisation — each with 10 posts,
 * written through the domain services so the real fan-out derives the feed from the local stream.
 * Per size: GET /api/feed?limit=20 over HTTP as alice, 100 warm-up then 200 timed, one after another;
 * DynamoDB requests counted on the API's table (the consumers have their own), which must not change
 * with the size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { servicesOf } from '../../functions/api/module-app';
import { postsModule } from '../../functions/api/modules/posts';
import { systemClock, ulidGenerator } from '../../functions/platform/clock';
import { startLocalRuntime } from '../../local/runtime';
import { demoPrincipal, seedDemoData } from '../../local/seed';
import type { ScaleRow } from './run';

const SIZES = [2, 10, 50];
const POSTS_PER_SPACE = 10;
const WARM_UP = 100;
const TIMED = 200;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export async function section(): Promise<ScaleRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-bench-scale-'));
  const rt = await startLocalRuntime({ port: 0, dataDir, inMemory: true });
  try {
    await seedDemoData(rt.table);
    const services = servicesOf([postsModule], { table: rt.table, clock: systemClock, ids: ulidGenerator });
    const [alice, bob] = ['alice', 'bob'].map(demoPrincipal);
    const token = await rt.token('alice');
    const rows: ScaleRow[] = [];
    let spaces = 0;
    for (const size of SIZES) {
      for (; spaces < size; spaces++) {
        const id = `scale-${spaces}`;
        const space = await services.spaces.create(bob, {
          id,
          name: `Scale ${spaces}`,
          audience: spaces % 2 ? 'members' : 'employees',
        });
        await services.spaces.setMember(bob, id, alice.userId, 'editor');
        if (spaces % 5 === 4)
          await services.spaces.setSharing(bob, id, { partnerOrgs: ['acme'], version: space.version });
        for (let n = 0; n < POSTS_PER_SPACE; n++)
          await services.posts.create(bob, id, {
            title: `Post ${n} in ${id}`,
            body: `Body of post ${n}. `.repeat(50),
            status: 'published',
          });
      }
      await rt.drain();
      const get = async () => {
        const response = await fetch(`${rt.url}/api/feed?limit=20`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status !== 200) throw new Error(`feed answered ${response.status}`);
        return (await response.json()) as { items: unknown[] };
      };
      for (let i = 0; i < WARM_UP; i++) await get();
      const before = rt.table.roundTrips;
      const page = await get();
      const requests = rt.table.roundTrips - before;
      const times: number[] = [];
      for (let i = 0; i < TIMED; i++) {
        const start = performance.now();
        await get();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const row = {
        read: 'home feed (20 items)',
        size: `${size} spaces`,
        p50ms: percentile(times, 0.5),
        p95ms: percentile(times, 0.95),
        requests,
      };
      console.log({ ...row, items: page.items.length });
      rows.push(row);
    }
    return rows;
  } finally {
    await rt.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
