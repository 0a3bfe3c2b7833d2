/**
 * `npm run bench:people:org [people] [samples]`: through the local runtime's HTTP API, import an HR
 * file of 5,000 people with managers (CEO → 8 VPs → 80 directors → 800 managers → the rest; the
 * client's steps as the web client drives them), then read the org chart around random people:
 * p50/p95 and the DynamoDB requests each read makes (counted at the table); also a directory page
 * and a type-ahead. Figures go to docs/performance.md.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startLocalRuntime } from '../../local/runtime';
import { seedDemoData } from '../../local/seed';
import { percentile } from '../search/corpus';
import { hrFile } from './hr-file';

const people = Number(process.argv[2] ?? 5_000);
const samples = Number(process.argv[3] ?? 200);

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-bench-'));
  process.env.LOG_LEVEL = 'WARN';
  const rt = await startLocalRuntime({ port: 0, dataDir, inMemory: true });
  try {
    await seedDemoData(rt.table);
    const tokens = { admin: await rt.token('admin'), alice: await rt.token('alice') };
    const call = (account: 'admin' | 'alice', method: string, pathname: string, body?: unknown) =>
      new Promise<any>((resolve, reject) => {
        const request = http.request(
          `${rt.url}/api${pathname}`,
          {
            method,
            headers: { authorization: `Bearer ${tokens[account]}`, 'content-type': 'application/json' },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              response.statusCode === 200
                ? resolve(JSON.parse(text))
                : reject(new Error(`${pathname}: ${response.statusCode} ${text}`)),
            );
          },
        );
        request.on('error', reject);
        request.end(body === undefined ? undefined : JSON.stringify(body));
      });
    await call('alice', 'GET', '/me');
    const csv = hrFile(people);
    const runImport = async () => {
      const t0 = performance.now();
      // The import's own requests: transactions and BatchGetItems (the stream's indexer only does GetItems).
      const before: Record<string, number> = rt.front.requestCounts();
      // CPU of the whole process (API, local front, dynalite, stream consumers): steadier than wall
      // time on a shared machine.
      const cpu0 = process.cpuUsage();
      const stepMs: number[] = [];
      let cursor: string | undefined;
      let created = 0;
      let unchanged = 0;
      let problems = 0;
      let retries = 0;
      do {
        const s0 = performance.now();
        // A step is idempotent: one that failed (a busy machine's timeout) is sent again, as the web client does.
        let step: any;
        for (let attempt = 1; ; attempt++) {
          try {
            step = await call('admin', 'POST', '/people/import', { csv, ...(cursor ? { cursor } : {}) });
            break;
          } catch (error) {
            // A loaded machine's local front can drop a request (socket hang up): pause, send it again.
            if (attempt >= 5) throw error;
            retries++;
            await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
          }
        }
        stepMs.push(performance.now() - s0);
        created += step.created;
        unchanged += step.unchanged;
        problems += step.problems.length;
        cursor = step.cursor;
        process.stdout.write(
          `\r  import: ${step.done}/${step.total} at ${((performance.now() - t0) / 1000).toFixed(0)} s (load ${os.loadavg()[0].toFixed(1)})   `,
        );
      } while (cursor);
      process.stdout.write('\n');
      const after: Record<string, number> = rt.front.requestCounts();
      const delta = (operation: string) => (after[operation] ?? 0) - (before[operation] ?? 0);
      const cpu = process.cpuUsage(cpu0);
      return {
        ms: performance.now() - t0,
        cpuS: (cpu.user + cpu.system) / 1e6,
        requests: `${delta('TransactWriteItems')} TransactWriteItems, ${delta('BatchGetItem')} BatchGetItems, ${delta('Query')} Queries`,
        steps: stepMs.length,
        slowestStepMs: Math.max(...stepMs),
        created,
        unchanged,
        problems,
        retries,
      };
    };
    console.log(
      `${people} people, ${samples} samples; load ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
    );
    const first = await runImport();
    console.log(
      `import of ${people} people with managers: ${(first.ms / 1000).toFixed(1)} s (CPU ${first.cpuS.toFixed(1)} s) in ${first.steps} steps (slowest step ${(first.slowestStepMs / 1000).toFixed(1)} s, ${first.retries} steps sent again); created ${first.created}, problems ${first.problems}; ${first.requests}`,
    );
    const second = await runImport();
    console.log(
      `the same file again: ${(second.ms / 1000).toFixed(1)} s (CPU ${second.cpuS.toFixed(1)} s; slowest step ${(second.slowestStepMs / 1000).toFixed(1)} s); unchanged ${second.unchanged}; ${second.requests}`,
    );
    await rt.drain();

    const ids = (await call('alice', 'GET', '/people?limit=100&department=Dept%203')).items.map(
      (p: any) => p.userId,
    );
    const measure = async (label: string, pathOf: (i: number) => string) => {
      const ms: number[] = [];
      const requests: number[] = [];
      for (let i = 0; i < samples; i++) {
        const before = rt.table.roundTrips;
        const t0 = performance.now();
        await call('alice', 'GET', pathOf(i));
        ms.push(performance.now() - t0);
        requests.push(rt.table.roundTrips - before);
      }
      console.log(
        `${label}: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, DynamoDB requests ${Math.min(...requests)}–${Math.max(...requests)}`,
      );
    };
    await measure('org chart around a person', (i) => `/people/${ids[i % ids.length]}/org-chart`);
    await measure(
      'directory page (50, by department)',
      (i) => `/people?limit=50&department=Dept%20${i % 25}`,
    );
    await measure('type-ahead', (i) => `/people/suggest?q=person%20number${i % 50}`);
    console.log(
      `load at the end ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await rt.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
