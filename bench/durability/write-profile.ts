/**
 * `npm run bench:writes:profile [-- <seconds> <connections>]` (issue 14, item 5): where the local
 * server's CPU goes per comment. Starts the real local server (as bench:writes does) under
 * `node --cpu-prof`, lets `connections` connections comment on their own posts for `seconds`, waits
 * for the stream consumers to catch up, stops the server and reads its profile: the process's CPU
 * (utime + stime from /proc, all threads: LevelDB's included) per comment, and the main thread's
 * samples per comment by part — by the frame nearest the top of the stack that belongs to a known
 * part (so the SDK's HTTP calls count as the SDK, dynalite's LevelDB calls as LevelDB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LoadRequest, runLoad } from './load';
import { cpuMs, startServer } from './server';

const [seconds = 10, connections = 1] = process.argv
  .slice(2)
  .filter((arg) => /^\d+$/.test(arg))
  .map(Number);

/** Parts, matched against a frame's script URL (first match wins), nearest the leaf first. */
const PARTS: [string, RegExp][] = [
  [
    'LevelDB (level, memory-level)',
    /node_modules\/(classic-level|memory-level|abstract-level|level|levelup|leveldown|level-[a-z-]+|functional-red-black-tree|module-error)\//,
  ],
  [
    'dynalite (validation, expressions, items)',
    /node_modules\/(dynalite|big\.js|lazy|async|lock|once|buffer-crc32)\//,
  ],
  [
    'AWS SDK (marshalling, middleware, HTTP handler)',
    /node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser)\//,
  ],
  [
    'local DynamoDB front',
    /local\/dynamodb\/(dynamodb-front|transactions|transaction-journal|wire|write-lock)\.ts/,
  ],
  [
    'change stream + consumers plumbing',
    /local\/dynamodb\/(change-stream|event-source-mapping|failure-destination)\.ts/,
  ],
  ['search indexer', /(functions\/search|local\/search)/],
  ['API framework (hono, middy, zod, jose)', /node_modules\/(hono|@hono|@middy|zod|jose|@asteasolutions)\//],
  ['application code (functions/)', /\/functions\//],
  ['local runtime (local/)', /\/local\//],
  ['tsx loader', /node_modules\/(tsx|esbuild|get-tsconfig)\//],
  ['other node_modules', /node_modules\//],
  ['node: http / net / streams', /^node:(_http|http|net|stream|internal\/streams|internal\/http|_stream)/],
  ['node: other', /^node:/],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

function partOf(stack: ProfileNode[]): string {
  for (const node of stack) {
    const { url, functionName } = node.callFrame;
    if (!url) {
      if (functionName === '(garbage collector)') return 'garbage collection';
      if (functionName === '(idle)') return '(idle)';
      if (functionName === '(program)') return 'V8/native (program)';
      continue;
    }
    const clean = url.replace(/^file:\/\//, '');
    for (const [name, pattern] of PARTS) if (pattern.test(clean)) return name;
  }
  return 'V8/native (program)';
}

/** Milliseconds of main-thread samples per part. */
function analyse(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number },
  window: [number, number],
): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const partById = new Map<number, string>();
  const totals = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window[0] || at > window[1]) return;
    let part = partById.get(id);
    if (!part) {
      const stack: ProfileNode[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
      part = partOf(stack);
      partById.set(id, part);
    }
    totals.set(part, (totals.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-write-profile-'));
// NO_PROFILE=1: the same run without the profiler (its sampling costs CPU too).
const profiling = !process.env.NO_PROFILE;
const server = await startServer(
  'write-profile',
  {},
  profiling ? ['--cpu-prof', '--cpu-prof-interval=2000', `--cpu-prof-dir=${profileDir}`] : [],
  // From the sources, so the profile's frames name the parts below (a bundle's are all one file).
  'sources',
);
/** CPU ms per thread of the server (main thread first). */
const threadCpu = () =>
  new Map(
    fs
      .readdirSync(`/proc/${server.pid}/task`)
      .map((tid) => [tid, cpuMs(`/proc/${server.pid}/task/${tid}/stat`)] as const),
  );
let comments = 0;
let cpu = 0;
let wall = 0;
/** The measured window on the monotonic clock V8 stamps profile samples with (µs). */
const window: [number, number] = [0, 0];
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
try {
  const token = await server.token('alice');
  const api = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${server.url}/api${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${pathname} → ${response.status}`);
    return response.json() as Promise<any>;
  };
  await api('GET', '/me');
  const posts: string[] = [];
  for (let i = 0; i < connections; i++)
    posts.push(
      (await api('POST', '/spaces/engineering/posts', { title: `Profile ${i}`, body: 'Profile post.' })).id,
    );
  // Let the posts' own stream work settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const cpuBefore = cpuMs(`/proc/${server.pid}/stat`);
  const threadsBefore = threadCpu();
  const started = performance.now();
  window[0] = monotonicMicros();
  const result = await runLoad({
    url: server.url,
    connections,
    seconds,
    next: (c, n): LoadRequest => ({
      kind: 'comment',
      method: 'POST',
      path: `/spaces/engineering/posts/${posts[c]}/comments`,
      token,
      body: { body: `Comment ${n} from connection ${c}: sounds good, see #bench` },
    }),
  });
  comments = result.latencies.get('comment')?.length ?? 0;
  // The consumers' share: wait until every stream consumer has handled every record (GET /api/health
  // reports how far behind each is). Waiting for the CPU to go flat instead never ended under the
  // profiler (its own sampling kept the process above any small threshold), and counted minutes of
  // idle time into the comments' CPU.
  await server.settle();
  cpu = cpuMs(`/proc/${server.pid}/stat`) - cpuBefore;
  window[1] = monotonicMicros();
  const threads = [...threadCpu()].map(([tid, ms]) => [tid, ms - (threadsBefore.get(tid) ?? 0)] as const);
  const mainMs = threads.find(([tid]) => Number(tid) === server.pid)?.[1] ?? 0;
  console.log(
    `main thread ${mainMs.toFixed(0)} ms, other threads ${(cpu - mainMs).toFixed(0)} ms ` +
      `(busiest: ${threads
        .filter(([tid]) => Number(tid) !== server.pid)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([tid, ms]) => `${tid} ${ms.toFixed(0)}`)
        .join(', ')})`,
  );
  wall = performance.now() - started;
  console.log(
    `${comments} comments over ${connections} connection(s) in ${seconds} s (${result.errors} errors); ` +
      `server CPU ${cpu.toFixed(0)} ms until idle (${(wall / 1000).toFixed(1)} s) → ${(cpu / comments).toFixed(1)} ms per comment; load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
} finally {
  await server.stop();
}
const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
if (!file) {
  console.log('no profile written');
} else {
  const totals = analyse(JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')), window);
  // Main-thread samples inside the measured window, as shares of its busy (non-idle) time and as ms
  // per comment at the process's measured CPU (which also counts LevelDB's threads).
  const busy = [...totals].filter(([part]) => part !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
  console.log('\n| part (main thread, measured window) | share of busy | ≈ ms per comment |');
  console.log('| --- | --- | --- |');
  for (const [part, ms] of [...totals].filter(([p]) => p !== '(idle)').sort((a, b) => b[1] - a[1]))
    console.log(
      `| ${part} | ${((100 * ms) / busy).toFixed(1)} % | ${((ms / busy) * (cpu / comments)).toFixed(1)} |`,
    );
  fs.writeFileSync(path.join(profileDir, 'window.json'), JSON.stringify(window));
  console.log(`\nprofile: ${path.join(profileDir, file)} (window.json beside it)`);
}
