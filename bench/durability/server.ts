/**
 * The real local server (`tsx local/main.ts --seed`) as a child process on a free loopback port with its
 * own data folder, for the durability benchmarks: they measure the process a user runs, its resident
 * memory and its data folder, not an in-process copy.
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
): Promise<ServerUnderTest> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `commonplace-bench-${label}-`));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'local/main.ts', '--seed'],
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
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
