/**
 * A small load generator (autocannon is not a dependency): `connections` keep-alive connections to
 * 127.0.0.1 for `seconds`. Closed loop by default: each connection sends its next request as soon as
 * the last one is answered. With `intervalMs`, each connection sends one request every `intervalMs`
 * (spread evenly across connections), or at once when its last answer came later — a fixed offered
 * rate, like users who pause between actions. Each request comes from `next(connection, n)`; latencies
 * are kept per request kind.
 */
import http from 'node:http';

export interface LoadRequest {
  kind: string;
  method: string;
  path: string;
  token: string;
  body?: unknown;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Bytes of request bodies sent (what the run asked the server to store, roughly). */
  bytesWritten: number;
  latencies: Map<string, number[]>;
  statuses: Map<number, number>;
}

export async function runLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  intervalMs?: number;
  next(connection: number, n: number): LoadRequest;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const result: LoadResult = {
    requests: 0,
    errors: 0,
    bytesWritten: 0,
    latencies: new Map(),
    statuses: new Map(),
  };
  const start = performance.now();
  const until = start + options.seconds * 1000;
  const worker = async (connection: number) => {
    for (let n = 0; performance.now() < until; n++) {
      if (options.intervalMs) {
        const due = start + (connection / options.connections + n) * options.intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (performance.now() >= until) break;
      }
      const request = options.next(connection, n);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const started = performance.now();
      const status = await send(agent, target, request, body).catch(() => 0);
      const elapsed = performance.now() - started;
      result.requests++;
      result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
      if (status === 0 || status >= 400) result.errors++;
      else if (body) result.bytesWritten += Buffer.byteLength(body);
      const list = result.latencies.get(request.kind) ?? [];
      list.push(elapsed);
      result.latencies.set(request.kind, list);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  agent.destroy();
  return result;
}

function send(agent: http.Agent, target: URL, request: LoadRequest, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port: target.port,
        method: request.method,
        path: `/api${request.path}`,
        headers: {
          authorization: `Bearer ${request.token}`,
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
        timeout: 60_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
