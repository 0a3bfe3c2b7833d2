/**
 * `npm run bench:memory [-- <seconds per run>]` (issue 14, item 4): does `npm start` stay bounded under
 * sustained load? The real local server (child process, its own data folder) takes three runs of
 * 32 connections of mixed reads and writes (default 60 s each: a quarter write — posts, comments,
 * likes — the rest read posts, comments, the home feed and search), with 10 s of quiet after each.
 * Reported after each run: resident memory (RSS) of the server, the data folder's size and its growth
 * against the bytes of the write requests' bodies and against the bytes of the table's items (all of
 * them, derived ones included, as DynamoDB JSON in a backup taken from the running server). Budget: RSS after the third run ≤ 1.25× after
 * the first. Loopback only; bounded in time. Prints Markdown rows for docs/performance.md.
 */
import zlib from 'node:zlib';
import { type LoadRequest, percentile, runLoad } from './load';
import { folderBytes, startServer } from './server';

const seconds = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 60);
const server = await startServer('memory');
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
/** The bytes of every item in the table: a backup of the running server, gunzipped, header line left out. */
const itemBytes = async (): Promise<number> => {
  const response = await fetch(`${server.url}/_local/backup`, { method: 'POST' });
  if (!response.ok) throw new Error(`backup failed: ${response.status} ${await response.text()}`);
  const text = zlib.gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8');
  return Buffer.byteLength(text) - Buffer.byteLength(text.slice(0, text.indexOf('\n') + 1));
};
try {
  const accounts = ['alice', 'bob', 'admin'];
  const tokens = await Promise.all(accounts.map((account) => server.token(account)));
  const post = async (token: string, title: string) => {
    const response = await fetch(`${server.url}/api/spaces/engineering/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, body: 'A post for the memory benchmark.' }),
    });
    return ((await response.json()) as { id: string }).id;
  };
  for (const token of tokens)
    await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const posts: string[] = [];
  for (let i = 0; i < 16; i++) posts.push(await post(tokens[i % 3], `Memory bench ${i}`));
  const next = (connection: number, n: number): LoadRequest => {
    const token = tokens[(connection + n) % tokens.length];
    const postId = posts[(connection * 7 + n) % posts.length];
    const base = `/spaces/engineering/posts/${postId}`;
    if (n % 4 === 0) {
      const kind = (connection + n / 4) % 5;
      if (kind === 0)
        return {
          kind: 'write',
          method: 'POST',
          path: '/spaces/engineering/posts',
          token,
          body: { title: `Load ${connection}-${n}`, body: `Post ${n} of connection ${connection} #load` },
        };
      if (kind === 1)
        return { kind: 'write', method: 'PUT', path: `${base}/like`, token, body: { liked: n % 8 === 0 } };
      return {
        kind: 'write',
        method: 'POST',
        path: `${base}/comments`,
        token,
        body: { body: `Comment ${n} from ${connection}: agreed, and see @bob` },
      };
    }
    const reads = [base, `${base}/comments`, '/feed', '/search?q=load', '/me/notifications'];
    return { kind: 'read', method: 'GET', path: reads[n % reads.length], token };
  };
  const folderBefore = folderBytes(server.dataDir);
  const itemsBefore = await itemBytes();
  console.log(
    `server ready: RSS ${mb(server.rss())} MB, data folder ${mb(folderBefore)} MB, items ${mb(itemsBefore)} MB`,
  );
  const rows: string[] = [];
  let firstRss = 0;
  let written = 0;
  for (let run = 1; run <= 3; run++) {
    const result = await runLoad({ url: server.url, connections: 32, seconds, next });
    written += result.bytesWritten;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rss = server.rss();
    if (run === 1) firstRss = rss;
    const folder = folderBytes(server.dataDir);
    const items = await itemBytes();
    const writes = result.latencies.get('write') ?? [];
    const reads = result.latencies.get('read') ?? [];
    const row =
      `| ${run} | ${result.requests} (${writes.length} writes) | ${result.errors} | ` +
      `${percentile(writes, 50).toFixed(0)} / ${percentile(reads, 50).toFixed(0)} | ${mb(rss)} | ` +
      `${(rss / firstRss).toFixed(2)}× | ${mb(folder)} | ${mb(written)} | ${((folder - folderBefore) / written).toFixed(1)}× | ${mb(items)} | ${((folder - folderBefore) / (items - itemsBefore)).toFixed(1)}× |`;
    rows.push(row);
    console.log(row);
  }
  console.log(
    `\n| run (${seconds} s, 32 connections) | requests | errors | p50 write / read ms | RSS after MB | vs run 1 | data folder MB | request bodies written so far MB | folder growth ÷ bodies | items MB | folder growth ÷ item growth |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  const files = folderBytes(`${server.dataDir}/stream`);
  const tables = folderBytes(`${server.dataDir}/dynamodb`);
  console.log(`\ndata folder at the end: dynamodb/ ${mb(tables)} MB, stream/ ${mb(files)} MB`);
} finally {
  await server.stop();
}
