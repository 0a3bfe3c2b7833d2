/**
 * `npm run bench:writes [-- <seconds per phase>]` (issue 14, item 5): does a write queue behind
 * unrelated writes? The real local server (child process, its own data folder) takes comments:
 * 1. one connection commenting (the baseline);
 * 2. 32 connections, each commenting on its own post (different items: must not wait for each other);
 * 3. 32 connections of mixed traffic: a quarter comment on their own post, the rest read posts,
 *    comments and the home feed;
 * 4. 32 connections all commenting on ONE post (the same counter item: these must serialise);
 * 5. 32 writers pausing between comments, together offering the rate phase 1 reached.
 * Reported: comment p50/p95/p99 per phase and the ratio of p50 to the baseline's (budget: phase 2 and
 * 3 ≤ 5×), with what explains them: comments per second, N / throughput (Little's law), the server's
 * CPU in cores busy (all threads, and its main thread's share) and this process's own CPU, which
 * shares the machine. Loopback only; bounded in time. Prints Markdown rows for docs/performance.md.
 */
import fs from 'node:fs';
import { type LoadRequest, percentile, runLoad } from './load';
import { startServer } from './server';

const seconds = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 15);
const server = await startServer('writes');
try {
  const accounts = ['alice', 'bob', 'admin'];
  const tokens = await Promise.all(accounts.map((account) => server.token(account)));
  const api = async (token: string, method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${server.url}/api${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${pathname} → ${response.status}`);
    return response.json() as Promise<any>;
  };
  for (const token of tokens) await api(token, 'GET', '/me');
  const space = 'engineering';
  const posts: string[] = [];
  for (let i = 0; i < 32; i++) {
    const post = await api(tokens[0], 'POST', `/spaces/${space}/posts`, {
      title: `Write bench ${i}`,
      body: `Post ${i} for the write-latency benchmark.`,
    });
    posts.push(post.id);
  }
  const comment = (connection: number, n: number, postId: string): LoadRequest => ({
    kind: 'comment',
    method: 'POST',
    path: `/spaces/${space}/posts/${postId}/comments`,
    token: tokens[(connection + n) % tokens.length],
    body: { body: `Comment ${n} from connection ${connection}: sounds good, see #bench` },
  });
  const read = (connection: number, n: number): LoadRequest => {
    const token = tokens[(connection + n) % tokens.length];
    const postId = posts[(connection + n) % posts.length];
    const paths = [`/spaces/${space}/posts/${postId}`, `/spaces/${space}/posts/${postId}/comments`, '/feed'];
    return { kind: 'read', method: 'GET', path: paths[n % paths.length], token };
  };
  type Phase = {
    name: string;
    connections: number;
    intervalMs?: () => number;
    next: (c: number, n: number) => LoadRequest;
  };
  let alone = 0; // comments per second of phase 1, for phase 5's offered rate
  const phases: Phase[] = [
    { name: '1 connection, comments', connections: 1, next: (c, n) => comment(c, n, posts[c]) },
    {
      name: '32 connections, comments on 32 posts',
      connections: 32,
      next: (c, n) => comment(c, n, posts[c]),
    },
    {
      name: '32 connections, mixed (¼ comments, ¾ reads)',
      connections: 32,
      next: (c, n) => (c % 4 === 0 ? comment(c, n, posts[c]) : read(c, n)),
    },
    {
      name: '32 connections, comments on one post',
      connections: 32,
      next: (c, n) => comment(c, n, posts[0]),
    },
    {
      // 32 writers pausing between comments so that together they offer the rate one connection
      // reached in phase 1: the same work per second as phase 1, from 32 concurrent writers — what
      // a write waits for because others write at the same time, not because the CPU is saturated.
      name: "32 connections, comments on 32 posts at phase 1's rate",
      connections: 32,
      intervalMs: () => (32 / alone) * 1000,
      next: (c, n) => comment(c, n, posts[c]),
    },
  ];
  const rows: string[] = [];
  let baseline = 0;
  for (const phase of phases) {
    // Each phase starts with the consumers caught up on the last one's records.
    await server.settle();
    const cpuBefore = server.cpu();
    const benchBefore = process.cpuUsage();
    const result = await runLoad({
      url: server.url,
      connections: phase.connections,
      seconds,
      intervalMs: phase.intervalMs?.(),
      next: phase.next,
    });
    const cpuAfter = server.cpu();
    const bench = process.cpuUsage(benchBefore);
    await server.settle();
    const cpuSettled = server.cpu();
    const comments = result.latencies.get('comment') ?? [];
    const reads = result.latencies.get('read') ?? [];
    const p50 = percentile(comments, 50);
    if (!baseline) baseline = p50;
    const perSecond = comments.length / seconds;
    if (!alone) alone = perSecond;
    // Little's law: in a closed loop of N connections sending only comments, the mean time a comment
    // takes is N / (comments per second): once the CPU is saturated, p50 follows throughput.
    const closedLoopOfComments = !phase.intervalMs && reads.length === 0;
    const little = closedLoopOfComments ? `${((phase.connections / perSecond) * 1000).toFixed(0)}` : '–';
    const cores = (cpuAfter.all - cpuBefore.all) / (seconds * 1000);
    const main = (cpuAfter.main - cpuBefore.main) / (seconds * 1000);
    const row =
      `| ${phase.name} | ${comments.length} (${perSecond.toFixed(0)}/s) | ${p50.toFixed(0)} | ` +
      `${percentile(comments, 95).toFixed(0)} | ${percentile(comments, 99).toFixed(0)} | ${(p50 / baseline).toFixed(2)}× | ` +
      `${reads.length ? `${percentile(reads, 50).toFixed(0)} / ${percentile(reads, 99).toFixed(0)}` : '–'} | ` +
      `${little} | ${cores.toFixed(2)} (main ${(main * 100).toFixed(0)} %) | ` +
      `${((cpuSettled.all - cpuBefore.all) / comments.length).toFixed(1)} | ` +
      `${((bench.user + bench.system) / 1000 / (seconds * 1000)).toFixed(2)} | ${result.errors} |`;
    rows.push(row);
    console.log(row);
  }
  console.log(
    `\n| phase (${seconds} s each) | comments | p50 ms | p95 ms | p99 ms | p50 vs 1 connection | reads p50 / p99 ms | ` +
      "N / throughput ms (Little) | server CPU, cores busy | server CPU per comment ms | this bench's CPU, cores | errors |",
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`load ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  await server.stop();
}
