/**
 * `npm run bench:fuzz [-- alice|pat ...]`: where the API fuzz test's time goes. Runs the same
 * Schemathesis command as test/fuzz/api-fuzz.test.ts (same runtime, demo data, phases, checks,
 * examples, seed, hooks) against the local runtime in this process, and reports:
 * - wall time, the server's CPU (this process: API, dynalite, stream consumers) and Schemathesis' CPU
 *   (its /proc/<pid>/stat), so the time splits into server work, fuzzer work and waiting;
 * - requests per route with the server's time for each (request in → response finished) and the
 *   DynamoDB requests received while it ran, first fifth vs last fifth of the run: a route whose
 *   cost grows as the fuzzer's data accumulates shows up there.
 * Loopback only; bounded by Schemathesis' own run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { HOOKS, SCHEMATHESIS, SEEDS, schemathesisArgs } from '../../test/fuzz/schemathesis-command';
import { percentile } from '../durability/load';

interface Sample {
  route: string;
  at: number;
  ms: number;
  dynamo: number;
  status: number;
}

const samples: Sample[] = [];
let front: { requestCounts(): { total: number } } | undefined;
let routeOf = (_method: string, url: string) => url;
// Every request the runtime's HTTP server receives, timed from 'request' to the response's 'finish'.
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    const began = performance.now();
    const dynamoBefore = front?.requestCounts().total ?? 0;
    res.on('finish', () =>
      samples.push({
        route: routeOf(req.method ?? 'GET', req.url ?? '/'),
        at: began,
        ms: performance.now() - began,
        dynamo: (front?.requestCounts().total ?? 0) - dynamoBefore,
        status: res.statusCode,
      }),
    );
  }
  return Reflect.apply(emit, this, [event, ...args]);
} as typeof emit;

const accounts = process.argv.slice(2).filter((arg) => /^[a-z]+$/.test(arg));
const clockTick = 100; // USER_HZ on Linux

const cpuOf = (pid: number): number => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime, stime, cutime, cstime are fields 14–17 (1-based); here 0-based after the comm field.
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / clockTick;
  } catch {
    return Number.NaN;
  }
};

// As in jest (test/setup-env.ts): the request log off, set before the runtime's logger loads.
process.env.LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { seedDemoData } = await import('../../local/seed');
const { startTestRuntime } = await import('../../test/helpers/runtime');
const rt = await startTestRuntime();
front = rt.front;
await seedDemoData(rt.table);
await rt.drain();
const document = (await (await fetch(`${rt.url}/api/openapi.json`)).json()) as {
  paths: Record<string, Record<string, unknown>>;
};
const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^(?:/api)?${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  literal: template.split('/').filter((part) => part && !part.startsWith('{')).length,
}));
// A literal path beats a parameter one (`/me/bookmarks/imports` over `/me/bookmarks/{id}`).
templates.sort((a, b) => b.literal - a.literal);
routeOf = (method, url) => {
  const pathname = url.split('?')[0];
  const found = templates.find((t) => t.pattern.test(pathname));
  return `${method} ${found ? found.template : pathname.startsWith('/api') ? '(other /api)' : pathname}`;
};
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-fuzz-bench-'));

try {
  for (const account of accounts.length ? accounts : ['alice', 'pat']) {
    samples.length = 0;
    const token = await rt.tokenFor(account);
    const args = [
      ...schemathesisArgs(rt.url, token, SEEDS[account] ?? 1),
      ...(process.env.FUZZ_EXTRA_ARGS ? process.env.FUZZ_EXTRA_ARGS.split(' ') : []),
    ];
    const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').trim();
    const serverBefore = process.cpuUsage();
    const began = performance.now();
    // FUZZ_PYPROFILE=<file>: Schemathesis under cProfile in every thread (slower; where its own CPU goes).
    const profile = process.env.FUZZ_PYPROFILE;
    const [command, commandArgs] = profile
      ? [
          path.resolve('test/fuzz/.venv/bin/python3'),
          [path.resolve('bench/fuzz/profile-threads.py'), SCHEMATHESIS, ...args],
        ]
      : [SCHEMATHESIS, args];
    const child = spawn(command, commandArgs, {
      cwd: reportDir,
      env: { ...process.env, SCHEMATHESIS_HOOKS: HOOKS, PYPROF_OUT: `${profile}.${account}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // When each phase ended (Schemathesis prints "✅  Coverage (in 36.0s)" as it does), to count its requests.
    const phaseEnds: [string, number][] = [];
    child.stdout.on('data', (chunk) => {
      output += chunk;
      for (const [, phase] of String(chunk).matchAll(/(Examples|Coverage|Fuzzing) \(in /g))
        phaseEnds.push([phase, performance.now()]);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    // The child's CPU is read just before it is reaped (after 'exit' /proc/<pid> is gone).
    let fuzzerCpu = 0;
    const poll = setInterval(() => {
      const cpu = cpuOf(child.pid!);
      if (!Number.isNaN(cpu)) fuzzerCpu = cpu;
    }, 200);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    const wall = (performance.now() - began) / 1000;
    const server = process.cpuUsage(serverBefore);
    const serverCpu = (server.user + server.system) / 1e6;
    const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').trim();
    const requestMs = samples.reduce((sum, s) => sum + s.ms, 0) / 1000;
    const summary = output
      .split('\n')
      .filter((line) =>
        /Selected:|generated|Filtered:|passed|failed|Phase|cases|Examples|Coverage|Fuzzing|seconds|\d+(\.\d+)?s\b/.test(
          line,
        ),
      );
    console.log(`\n## ${account}: exit ${code}, wall ${wall.toFixed(1)} s`);
    console.log(`load before ${loadBefore} | after ${loadAfter}`);
    console.log(
      `server CPU ${serverCpu.toFixed(1)} s · Schemathesis CPU ${fuzzerCpu.toFixed(1)} s (poll 200 ms) · requests ${samples.length}, server time in them ${requestMs.toFixed(1)} s`,
    );
    console.log(summary.slice(-25).join('\n'));
    let phaseStart = began;
    for (const [phase, end] of phaseEnds) {
      const inPhase = samples.filter((s) => s.at >= phaseStart && s.at < end);
      const routes = new Set(inPhase.map((s) => s.route)).size;
      console.log(
        `${phase}: ${((end - phaseStart) / 1000).toFixed(1)} s, ${inPhase.length} requests over ${routes} routes, server time ${(inPhase.reduce((sum, s) => sum + s.ms, 0) / 1000).toFixed(1)} s`,
      );
      phaseStart = end;
    }
    const first = samples[0]?.at ?? 0;
    const last = samples.at(-1)?.at ?? 0;
    const fifth = (last - first) / 5;
    const byRoute = new Map<string, Sample[]>();
    for (const s of samples) {
      const list = byRoute.get(s.route) ?? [];
      list.push(s);
      byRoute.set(s.route, list);
    }
    const rows = [...byRoute.entries()]
      .map(([route, list]) => {
        const early = list.filter((s) => s.at < first + fifth).map((s) => s.ms);
        const late = list.filter((s) => s.at >= last - fifth).map((s) => s.ms);
        const total = list.reduce((sum, s) => sum + s.ms, 0);
        // p50 of one measure over the route's first and second half of its requests.
        const half = Math.ceil(list.length / 2);
        const halves = (pick: (s: Sample) => number) =>
          [list.slice(0, half), list.slice(half)].map((part) => percentile(part.map(pick), 50));
        const [dynamoFirst, dynamoSecond] = halves((s) => s.dynamo);
        const [firstHalf, secondHalf] = halves((s) => s.ms);
        return {
          route,
          n: list.length,
          total,
          p50: percentile(
            list.map((s) => s.ms),
            50,
          ),
          max: Math.max(...list.map((s) => s.ms)),
          dynamoMax: Math.max(...list.map((s) => s.dynamo)),
          dynamoFirst,
          dynamoSecond,
          early: percentile(early, 50),
          late: percentile(late, 50),
          firstHalf,
          secondHalf,
        };
      })
      .sort((a, b) => b.total - a.total);
    console.log(
      '| route | requests | server s | p50 ms | max ms | p50 1st half | p50 2nd half | DynamoDB p50 1st / 2nd half, max |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows.slice(0, Number(process.env.FUZZ_ROWS ?? 25)))
      console.log(
        `| ${r.route} | ${r.n} | ${(r.total / 1000).toFixed(2)} | ${r.p50.toFixed(1)} | ${r.max.toFixed(0)} | ${r.firstHalf.toFixed(1)} | ${r.secondHalf.toFixed(1)} | ${r.dynamoFirst} / ${r.dynamoSecond}, ${r.dynamoMax} |`,
      );
    // Gaps: time between one request's end and the next one's start (the fuzzer's own work).
    samples.sort((a, b) => a.at - b.at);
    const gaps: number[] = [];
    for (let i = 1; i < samples.length; i++)
      gaps.push(samples[i].at - (samples[i - 1].at + samples[i - 1].ms));
    console.log(
      `gaps between requests: sum ${(gaps.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, p50 ${percentile(gaps, 50).toFixed(1)} ms, p99 ${percentile(gaps, 99).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms`,
    );
    if (process.env.FUZZ_SAMPLES)
      fs.writeFileSync(`${process.env.FUZZ_SAMPLES}.${account}.json`, JSON.stringify(samples));
    if (process.env.FUZZ_OUTPUT) fs.writeFileSync(`${process.env.FUZZ_OUTPUT}.${account}.txt`, output);
  }
} finally {
  await rt.close();
  fs.rmSync(reportDir, { recursive: true, force: true });
}
