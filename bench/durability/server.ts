/**
 * The real local server as a child process on a free loopback port with its own data folder, for the
 * durability benchmarks: they measure the process a user runs — `npm start`'s bundle
 * (`node local/start.mjs --seed`), its resident memory, CPU and data folder — not an in-process copy.
 * `entry: 'sources'` runs `tsx local/main.ts` instead, for a CPU profile whose frames name the source
 * files (the bundle's are all one file).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fetchToken } from '../../local/identity/token-client';

export interface ServerUnderTest {
  url: string;
  pid: number;
  dataDir: string;
  token(account: string): Promise<string>;
  /** Resident memory of the server process, in bytes (from /proc). */
  rss(): number;
  /** CPU time of the server process so far, all threads and the main thread alone, in ms (from /proc). */
  cpu(): { all: number; main: number };
  /**
   * Resolves when every stream consumer has handled every record (GET /api/health reports how far
   * behind each is), or after five minutes.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startServer(
  label: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  entry: 'bundle' | 'sources' = 'bundle',
): Promise<ServerUnderTest> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `commonplace-bench-${label}-`));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    entry === 'bundle'
      ? [...nodeArgs, 'local/start.mjs', '--seed', '--no-web']
      : [...nodeArgs, '--import', 'tsx', 'local/main.ts', '--seed'],
    {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'ERROR', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Commonplace is ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before ready:\n${output}`)));
  });
  await ready;
  const url = `http://localhost:${port}`;
  const tokens = new Map<string, Promise<string>>();
  return {
    url,
    pid: child.pid!,
    dataDir,
    token(account) {
      if (!tokens.has(account))
        tokens.set(
          account,
          fetchToken(`${url}/oidc`, account).then((set) => set.accessToken),
        );
      return tokens.get(account)!;
    },
    rss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    cpu() {
      return {
        all: cpuMs(`/proc/${child.pid}/stat`),
        main: cpuMs(`/proc/${child.pid}/task/${child.pid}/stat`),
      };
    },
    async settle() {
      const settleBy = Date.now() + 300_000;
      for (;;) {
        const health = (await (await fetch(`${url}/api/health`)).json()) as {
          stream?: { consumers?: { behind: number }[] };
        };
        const behind = (health.stream?.consumers ?? []).reduce((sum, consumer) => sum + consumer.behind, 0);
        if (behind === 0 || Date.now() > settleBy) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process or thread, in ms (USER_HZ is 100 on Linux). */
export function cpuMs(statFile: string): number {
  const fields = fs.readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Bytes under a folder (files only, as `du --apparent-size` counts them). */
export function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}
