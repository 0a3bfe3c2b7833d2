/**
 * `npm run bench:load`: module load time of each Lambda bundle against the AWS SDK's floor (DESIGN
 * budget: ≤ 1.5×), a handler doing one GetItem through lib-dynamodb (sdk-floor.ts), and an empty one.
 * Bundles exactly as the stack does (lib/constructs/lambda-bundle.ts), then starts `node` on each many
 * times, interleaved (each round in a new order), and compares medians. Only the import is timed
 * (inside the child process), not node's own start-up. ROUNDS (default 15) sets the number of samples per bundle. The bundles are
 * every entry of lib/lambda-entries.ts: the API modules, the stream and queue consumers, the digest
 * job, the Cognito trigger, SCIM and the search security custom resource.
 *
 * The same child then answers a first request, so that a cost moved from the load to the first request
 * shows: each API module a typical read of its own (FIRST_REQUESTS), signed in as alice, the floor its
 * one GetItem. Both talk to the local runtime's table (dynalite, started in this process with the demo
 * data) with credentials from the environment, as in Lambda; the search module to a stub OpenSearch
 * that answers every search with no hits. The floor's GetItem asks for a key that is not there: a full
 * round trip that finds nothing. So "load + first request" is what a cold invocation costs before its
 * answer, minus the network to DynamoDB (the local table answers in ~1–2 ms); a module makes more
 * DynamoDB calls than the floor's one, which is part of its cost.
 *
 * BEFORE=<folder of another checkout> also bundles that checkout's API modules and its SDK floor, each
 * with that checkout's own bundler (lib/constructs/lambda-bundle.ts), and measures them in the same
 * interleaved rounds (`spaces (before)`, `sdk floor (before)`), for a before/after comparison in one run.
 * The ratios of the "before" rows are to this checkout's floor, as every row's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { bundleLambda, filesLoadedAtStart } from '../../lib/constructs/lambda-bundle';
import { lambdaEntries } from '../../lib/lambda-entries';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BUDGET = 1.5;
const root = process.cwd();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-load-'));
const emptyEntry = path.join(dir, 'empty.ts');
fs.writeFileSync(emptyEntry, 'export const handler = async () => ({});\n');

// ONLY=posts,search measures those (with the empty bundle and the floor) instead of every Lambda.
const only = process.env.ONLY?.split(',');
const entries: Record<string, string> = Object.fromEntries(
  Object.entries({
    empty: emptyEntry,
    'sdk floor': path.resolve('bench/lambda/sdk-floor.ts'),
    ...lambdaEntries(root),
  }).filter(([name]) => !only || name === 'empty' || name === 'sdk floor' || only.includes(name)),
);

const API_MODULES = [
  'spaces',
  'posts',
  'wiki',
  'bookmarks',
  'profiles',
  'search',
  'notifications',
  'attachments',
];
const bundles: Record<string, string> = {};
for (const [name, entry] of Object.entries(entries)) {
  const outdir = path.join(dir, name.replace(/\W+/g, '-'));
  bundleLambda(entry, root, outdir);
  bundles[name] = path.join(outdir, 'index.mjs');
}
const before = process.env.BEFORE ? path.resolve(process.env.BEFORE) : undefined;
if (before) {
  const bundler = (await import(path.join(before, 'lib/constructs/lambda-bundle.ts'))) as {
    bundleLambda: typeof bundleLambda;
  };
  const beforeEntries: Record<string, string> = {
    'sdk floor': path.join(before, 'bench/lambda/sdk-floor.ts'),
    ...Object.fromEntries(
      API_MODULES.filter((name) => !only || only.includes(name)).map((name) => [
        name,
        path.join(before, `functions/api/lambdas/${name}.ts`),
      ]),
    ),
  };
  for (const [name, entry] of Object.entries(beforeEntries)) {
    const outdir = path.join(dir, `${name.replace(/\W+/g, '-')}-before`);
    bundler.bundleLambda(entry, before, outdir);
    bundles[`${name} (before)`] = path.join(outdir, 'index.mjs');
  }
}

// The table the first requests read: the local runtime with the demo data; alice signed in once.
process.env.LOG_LEVEL ??= 'WARN'; // before the runtime's logger is loaded
const { startLocalRuntime } = await import('../../local/runtime');
const { seedDemoData } = await import('../../local/seed');
const runtime = await startLocalRuntime({
  port: 0,
  // No network: the demo bookmarks' metadata is not fetched.
  metadataFetcher: {
    fetchPageMetadata: async () => {
      throw Object.assign(new Error('offline'), { name: 'FetchRefused', reason: 'offline (bench)' });
    },
  },
  dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-load-data-')),
  inMemory: true,
  digestIntervalMs: 0,
});
await seedDemoData(runtime.table);
const token = await runtime.token('alice');
const local = async (pathname: string, body?: unknown) =>
  (
    await fetch(`${runtime.url}/api${pathname}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    })
  ).json();
await local('/me');
// A page for the wiki's and the attachments' reads (the demo data has posts, no pages).
const page = (await local('/spaces/engineering/pages', { title: 'Architecture', body: 'How we build.' })) as {
  id: string;
};
const pageId = page.id;
// The claims as API Gateway's JWT authorizer hands them over: lists as `[a b]`, numbers as strings.
const claims = Object.fromEntries(
  Object.entries(decodeJwt(token)).map(([name, value]) => [
    name,
    Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'number' ? String(value) : value,
  ]),
);
// A stub OpenSearch for the search module: every search finds nothing (with its empty facets).
const noBuckets = { buckets: [] };
const NO_HITS = JSON.stringify({
  took: 1,
  timed_out: false,
  hits: { total: { value: 0, relation: 'eq' }, hits: [] },
  aggregations: { type: noBuckets, space: noBuckets, tag: noBuckets, authors: { byAuthor: noBuckets } },
});
const openSearch = http.createServer((_request, response) => {
  _request.resume();
  _request.on('end', () => {
    response.setHeader('content-type', 'application/json');
    response.end(NO_HITS);
  });
});
await new Promise<void>((resolve) => openSearch.listen(0, '127.0.0.1', resolve));

/** Each API module's typical first read, signed in as alice. */
const FIRST_REQUESTS: Record<string, string> = {
  spaces: '/api/spaces',
  posts: '/api/spaces/engineering/posts',
  wiki: '/api/spaces/engineering/pages',
  bookmarks: '/api/me/bookmarks',
  profiles: '/api/me',
  search: '/api/search?q=architecture',
  notifications: '/api/me/notifications',
  attachments: `/api/spaces/engineering/pages/${pageId}/attachments`,
};
const httpApiEvent = (rawPath: string) => {
  const [pathname, query = ''] = rawPath.split('?');
  return {
    version: '2.0',
    routeKey: `ANY ${pathname}`,
    rawPath: pathname,
    rawQueryString: query,
    headers: { host: 'api.example.com' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: { jwt: { claims, scopes: null } },
      domainName: 'api.example.com',
      http: {
        method: 'GET',
        path: pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: `ANY ${pathname}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
};
const firstEvent = (name: string): unknown => {
  if (name.startsWith('sdk floor')) return { id: 'bench-floor-no-such-item' };
  const module = name.replace(/ \(before\)$/, '');
  return FIRST_REQUESTS[module] ? httpApiEvent(FIRST_REQUESTS[module]) : undefined;
};

// What the Lambda environment provides; module load must not need the network.
const env = {
  ...process.env,
  TABLE_NAME: 'commonplace',
  EMPLOYEE_IDENTITY_PROVIDERS: '',
  // The fan-out needs its page queue (functions/streams/fanout.ts).
  FANOUT_PAGES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fanout-pages',
  // The attachments module and the attachment clean-up sign S3 requests for the files bucket.
  FILES_BUCKET: 'commonplace-files',
  FILES_DOWNLOAD_DOMAIN: 'files.example.cloudfront.net',
  // The bookmarks module and its import worker send import jobs to their queue.
  BOOKMARK_IMPORT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/bookmark-imports',
  AWS_REGION: 'eu-west-1',
  LOG_LEVEL: 'WARN',
  // The first requests' table and search index (module load does not touch them).
  AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamodbEndpoint,
  AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: 'local',
  SEARCH_ENDPOINT: `http://127.0.0.1:${(openSearch.address() as AddressInfo).port}`,
};
interface Sample {
  /** Wall and CPU time (user + system, all threads) of the import, in ms. */
  wall: number;
  cpu: number;
  /** The same from the start of the import to the first request's answer; its status. */
  firstWall?: number;
  firstCpu?: number;
  status?: string;
}
/** One cold start in a new node: the import, then (when there is one) the first request. */
const probe = async (file: string, event: unknown): Promise<Sample> => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const c=process.cpuUsage(); const t=performance.now(); const { handler } = await import(${JSON.stringify(file)});` +
        ' const w=performance.now()-t; const u=process.cpuUsage(c); const sample={ wall: w, cpu: (u.user+u.system)/1000 };' +
        ' const event=JSON.parse(process.env.FIRST_EVENT ?? "null");' +
        ' if (event) { const r=await handler(event, {}); const u2=process.cpuUsage(c);' +
        ' Object.assign(sample, { firstWall: performance.now()-t, firstCpu: (u2.user+u2.system)/1000,' +
        ' status: r && typeof r === "object" && "statusCode" in r ? String(r.statusCode) : r === undefined ? "no item" : "item" }); }' +
        ' console.log(JSON.stringify(sample))',
    ],
    { env: { ...env, FIRST_EVENT: JSON.stringify(event ?? null) } },
  );
  const lines = stdout.trim().split('\n');
  const sample = JSON.parse(lines.at(-1)!) as Sample;
  // A failed first request is not a measurement: say why (its log) below the table.
  if (sample.status?.startsWith('5')) failures.set(file, [...lines.slice(0, -1), stderr].join('\n'));
  return sample;
};

const failures = new Map<string, string>();
const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(bundles).map((name) => [name, []]));
const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
// Each round takes the bundles in a new order (a fixed seed, so runs are alike): a bundle measured always
// right after the same other one, or always first, would carry that position's bias into its median.
let seed = 9;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
for (let round = 0; round < ROUNDS; round++) {
  const order = Object.keys(bundles);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const name of order) samples[name].push(await probe(bundles[name], firstEvent(name)));
}
const wall = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, s.map((x) => x.wall)]));
const cpu = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, s.map((x) => x.cpu)]));
await runtime.close();
openSearch.close();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floorWall = median(wall['sdk floor']);
const floorCpu = median(cpu['sdk floor']);
const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
console.log(
  `Module load, medians of ${ROUNDS} interleaved cold imports (load ${loadBefore} → ${loadAfter}). Wall time is` +
    ' the budget; CPU time (user + system) is less disturbed by other work on the machine.\n',
);
console.log(
  '| bundle | loaded at start | files at start | wall | × SDK floor | CPU | × SDK floor | budget ≤ 1.5× (wall) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
let over = 0;
for (const name of Object.keys(bundles)) {
  const [w, c] = [median(wall[name]), median(cpu[name])];
  const ratio = w / floorWall;
  const isLambda = name !== 'empty' && !name.startsWith('sdk floor');
  if (isLambda && ratio > BUDGET && !name.endsWith('(before)')) over++;
  const verdict = isLambda ? (ratio <= BUDGET ? '✓' : '✗') : '';
  const startup = loadedAtStart(bundles[name]);
  console.log(
    `| ${name} | ${(startup.bytes / 1024).toFixed(0)} KiB | ${startup.files} | ${w.toFixed(1)} ms | ${ratio.toFixed(2)}× | ${c.toFixed(1)} ms | ${(c / floorCpu).toFixed(2)}× | ${verdict} |`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });

/** index.mjs and the chunks it imports statically (what a cold start reads and compiles): bytes, files. */
function loadedAtStart(indexFile: string): { bytes: number; files: number } {
  const meta = JSON.parse(fs.readFileSync(path.join(path.dirname(indexFile), 'index.meta.json'), 'utf8'));
  const files = filesLoadedAtStart(meta);
  return { bytes: files.reduce((sum, file) => sum + meta.outputs[file].bytes, 0), files: files.length };
}
if (over) console.log(`\n${over} bundle(s) over the budget`);

// Load + first request: the module's typical read, the floor's GetItem (medians of the same rounds).
const floorFirst = median(samples['sdk floor'].map((s) => s.firstWall!));
const floorFirstCpu = median(samples['sdk floor'].map((s) => s.firstCpu!));
console.log(
  `\nLoad + first request (the module's typical read; the floor: load + its one GetItem, ${floorFirst.toFixed(1)} ms` +
    ` wall, ${floorFirstCpu.toFixed(1)} ms CPU). "first request" is the request alone (load + request − load).\n`,
);
console.log(
  '| bundle | first request | load + first request | × floor + GetItem | CPU | × floor + GetItem | first request alone | answer |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const name of Object.keys(bundles)) {
  const withFirst = samples[name].filter((s) => s.firstWall !== undefined);
  if (!withFirst.length) continue;
  const w = median(withFirst.map((s) => s.firstWall!));
  const c = median(withFirst.map((s) => s.firstCpu!));
  const alone = median(withFirst.map((s) => s.firstWall! - s.wall));
  const statuses = [...new Set(withFirst.map((s) => s.status))].join(', ');
  const request = name.startsWith('sdk floor')
    ? 'GetItem'
    : `GET ${FIRST_REQUESTS[name.replace(/ \(before\)$/, '')]}`;
  console.log(
    `| ${name} | ${request} | ${w.toFixed(1)} ms | ${(w / floorFirst).toFixed(2)}× | ${c.toFixed(1)} ms | ${(c / floorFirstCpu).toFixed(2)}× | ${alone.toFixed(1)} ms | ${statuses} |`,
  );
}
for (const [file, log] of failures) console.log(`\nThe first request of ${file} failed:\n${log}`);
