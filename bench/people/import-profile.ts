/**
 * `tsx bench/people/import-profile.ts [before] [out]`: profiles one HR import step. Imports `before`
 * people (with managers) through the API, then runs the next step (200 new people) and, in a second
 * import of the same file, the step at `before` (200 unchanged) under the CPU profiler, printing the DynamoDB requests by
 * operation (at the front, so stream consumers count too) and the time of each. Not a benchmark.
 */
import fs from 'node:fs';
import http from 'node:http';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalRuntime } from '../../local/runtime';
import { seedDemoData } from '../../local/seed';
import { hrFile } from './hr-file';

const before = Number(process.argv[2] ?? 1_000);
const out = process.argv[3] ?? '/tmp/import-step';

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-prof-'));
  process.env.LOG_LEVEL = 'WARN';
  const rt = await startLocalRuntime({ port: 0, dataDir, inMemory: true });
  try {
    await seedDemoData(rt.table);
    const token = await rt.token('admin');
    const call = (body: unknown) =>
      new Promise<any>((resolve, reject) => {
        const request = http.request(
          `${rt.url}/api/people/import`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(text)),
            );
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify(body));
      });
    const csv = hrFile(before + 400);
    let cursor: string | undefined;
    let step: any;
    const t0 = performance.now();
    do {
      step = await call({ csv, ...(cursor ? { cursor } : {}) });
      cursor = step.cursor;
    } while (step.done < before);
    await rt.drain();
    console.log(
      `${before} people in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${os.loadavg()[0].toFixed(1)})`,
    );
    const session = new inspector.Session();
    session.connect();
    await session.post('Profiler.enable');
    const profiled = async (label: string) => {
      const counts = rt.front.requestCounts();
      await session.post('Profiler.start');
      const s0 = performance.now();
      step = await call({ csv, cursor });
      const ms = performance.now() - s0;
      await rt.drain();
      const drained = performance.now() - s0;
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(`${out}-${label}.cpuprofile`, JSON.stringify(profile));
      const after = rt.front.requestCounts();
      const delta = Object.fromEntries(
        Object.entries(after)
          .map(([k, v]) => [k, v - ((counts as any)[k] ?? 0)])
          .filter(([, v]) => (v as number) > 0),
      );
      console.log(
        `${label} step (done ${step.done}): ${ms.toFixed(0)} ms, ${drained.toFixed(0)} ms with the stream drained; requests at the front`,
        delta,
      );
      cursor = step.cursor;
    };
    await profiled('new');
    while (cursor) {
      step = await call({ csv, cursor });
      cursor = step.cursor;
    }
    // The same file again, up to the same rows.
    cursor = undefined;
    do {
      step = await call({ csv, ...(cursor ? { cursor } : {}) });
      cursor = step.cursor;
    } while (step.done < before);
    await profiled('again');
  } finally {
    await rt.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
