/**
 * Write → searchable lag through the local runtime: a post is written through the API; the clock runs
 * until a search as another employee returns it (the stream delivers the change to the indexer, which
 * updates the embedded index).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalRuntime } from '../../local/runtime';
import { seedDemoData } from '../../local/seed';
import { percentile } from './corpus';

export async function benchWriteToSearchable(samples = 100) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-bench-'));
  process.env.LOG_LEVEL = 'WARN';
  const rt = await startLocalRuntime({ port: 0, dataDir, inMemory: true });
  try {
    await seedDemoData(rt.table);
    const [alice, bob] = [await rt.token('alice'), await rt.token('bob')];
    const lags: number[] = [];
    for (let i = 0; i < samples; i++) {
      const word = `zebra${i}x${Math.random().toString(36).slice(2, 7)}`;
      const t0 = performance.now();
      const created = await fetch(`${rt.url}/api/spaces/engineering/posts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Benchmark ${word}`, body: `Body ${word}` }),
      });
      if (created.status !== 201) throw new Error(`write failed: ${created.status}`);
      for (;;) {
        const response = await fetch(`${rt.url}/api/search?q=${word}&limit=1`, {
          headers: { authorization: `Bearer ${bob}` },
        });
        const body = (await response.json()) as { total: number };
        if (body.total > 0) break;
        if (performance.now() - t0 > 10_000) throw new Error('not searchable after 10 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      lags.push(performance.now() - t0);
    }
    return { samples, p50ms: percentile(lags, 50), p95ms: percentile(lags, 95), maxMs: Math.max(...lags) };
  } finally {
    await rt.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
