/**
 * An HTTP GET that cannot be turned against the network it runs in (DESIGN principle 6). For each hop
 * (the URL, then each redirect, at most `maxRedirects`):
 *
 * 1. only `http:`/`https:`, no user:password in the URL, port 80/443 or an operator-allowed port;
 * 2. the host: an IP literal is taken as the WHATWG URL parser normalised it (so 2130706433, 0177.0.0.1,
 *    127.1 and 0x7f.1 all arrive as 127.0.0.1, [::fFFf:127.0.0.1] as [::ffff:7f00:1]); a name is
 *    resolved HERE, once, and every address it resolves to must pass (address-policy.ts);
 * 3. the socket connects to the address that was checked: `lookup` is pinned to it, so Node makes no
 *    second DNS query a rebinding server could answer differently (TLS still verifies the host name);
 * 4. no cookies, no Authorization, no credentials of any kind, a plain User-Agent, no connection reuse.
 *
 * The whole fetch, redirects included, has one deadline (5 s), and the body is cut at `maxBytes`
 * (decompressed size) or, for pages, at the end of the head. Nothing here knows about HTML beyond that.
 *
 * This one class is both the "AWS adapter" and the "local adapter": in AWS it runs in a Lambda outside
 * any VPC whose role reaches only the table; locally, in the runtime's process. They differ only in
 * configuration (`safeFetcherFromEnvironment`). Tests alone pass `testOnlyAllowAddress`, to let the
 * fetcher reach their servers on 127.0.0.1.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ENV } from '../platform/environment';
import { classifyAddress, type ParsedAddress } from './address-policy';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a host name to all its addresses (the system resolver by default; tests inject one). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export interface SafeFetcherOptions {
  resolver?: Resolver;
  /** Ports beyond 80 and 443 that may be fetched (operator allow-list). */
  allowedPorts?: readonly number[];
  /**
   * Host names (exact, or `.example.com` for any subdomain) that may resolve to PRIVATE addresses
   * (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): an intranet the operator chose to reach.
   * Loopback, link-local (the metadata address), 0/8, multicast and reserved stay refused.
   */
  allowedHosts?: readonly string[];
  /** The deadline of the whole fetch, redirects included. @default 5000 */
  timeoutMs?: number;
  /** @default 3 */
  maxRedirects?: number;
  userAgent?: string;
  /**
   * TEST SEAM ONLY, never set by any entry point: addresses this returns true for are allowed whatever
   * their class, so tests can fetch from their own servers on 127.0.0.1.
   */
  testOnlyAllowAddress?: (address: string) => boolean;
}

export interface FetchRequest {
  /** Bytes of (decompressed) body kept; the rest is not read. */
  maxBytes: number;
  accept: string;
  /** Stop reading as soon as this returns true for the body read so far (as latin1 text). */
  stopWhen?: (textSoFar: string) => boolean;
}

export interface FetchedResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType?: string;
  body: Buffer;
  /** True when the body was cut at `maxBytes`. */
  truncated: boolean;
  /** The address the body came from: the one that was checked. */
  address: string;
}

/** The fetcher's rules forbid this URL (or a redirect to it). `reason` is short and safe to store. */
export class FetchRefused extends Error {
  override name = 'FetchRefused';
  constructor(readonly reason: string) {
    super(`fetch refused: ${reason}`);
  }
}

/** The fetch was allowed but did not work: network error, timeout, bad status. */
export class FetchFailed extends Error {
  override name = 'FetchFailed';
  constructor(readonly reason: string) {
    super(`fetch failed: ${reason}`);
  }
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_REDIRECTS = 3;
export const DEFAULT_USER_AGENT = 'CommonplaceLinkPreview/1.0';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class SafeFetcher {
  private readonly resolver: Resolver;
  private readonly ports: ReadonlySet<number>;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;

  constructor(private readonly options: SafeFetcherOptions = {}) {
    this.resolver = options.resolver ?? systemResolver;
    this.ports = new Set([80, 443, ...(options.allowedPorts ?? [])]);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  }

  async fetch(url: string, request: FetchRequest): Promise<FetchedResponse> {
    const deadline = Date.now() + this.timeoutMs;
    let target = this.checkUrl(url);
    for (let redirects = 0; ; redirects++) {
      const address = await this.withDeadline(this.checkHost(target), deadline);
      const outcome = await this.hop(target, address, request, deadline);
      if ('response' in outcome) return outcome.response;
      if (redirects >= this.maxRedirects) throw new FetchRefused('too many redirects');
      let next: string;
      try {
        next = new URL(outcome.location, target).href;
      } catch {
        throw new FetchFailed('bad redirect');
      }
      target = this.checkUrl(next);
    }
  }

  /**
   * The address a fetch of `url` would connect to (its first hop), after every check; throws
   * FetchRefused as `fetch` would. Lets an operator (and a test) see a decision without connecting.
   */
  async addressFor(url: string): Promise<string> {
    return (await this.checkHost(this.checkUrl(url))).address;
  }

  /** Scheme, credentials and port: everything that can be judged without DNS. */
  private checkUrl(input: string): URL {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new FetchRefused('not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused('scheme');
    if (url.username || url.password) throw new FetchRefused('credentials in URL');
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    if (!this.ports.has(port)) throw new FetchRefused('port');
    return url;
  }

  /** The one address to connect to, after checking every address the host has. */
  private async checkHost(url: URL): Promise<ParsedAddress> {
    const literal = classifyAddress(url.hostname);
    if (literal) return this.judge(literal, false);
    const hostname = url.hostname;
    let resolved: ResolvedAddress[];
    try {
      resolved = await this.resolver(hostname);
    } catch {
      throw new FetchFailed('DNS');
    }
    if (resolved.length === 0) throw new FetchFailed('DNS');
    const mayBePrivate = this.hostAllowed(hostname);
    const checked = resolved.map(({ address }) => {
      const parsed = classifyAddress(address);
      if (!parsed) throw new FetchRefused('address');
      return this.judge(parsed, mayBePrivate);
    });
    return checked[0];
  }

  private judge(address: ParsedAddress, mayBePrivate: boolean): ParsedAddress {
    if (this.options.testOnlyAllowAddress?.(address.address)) return address;
    if (address.class === 'public' || (address.class === 'private' && mayBePrivate)) return address;
    throw new FetchRefused('address');
  }

  private hostAllowed(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return (this.options.allowedHosts ?? []).some((allowed) => {
      const rule = allowed.toLowerCase();
      return rule.startsWith('.') ? host.endsWith(rule) : host === rule;
    });
  }

  private async withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FetchFailed('timeout')), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private hop(
    url: URL,
    checked: ParsedAddress,
    request: FetchRequest,
    deadline: number,
  ): Promise<{ response: FetchedResponse } | { location: string }> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    // Pinned: whatever name the socket is opened for, it gets the address that was checked.
    const lookup: LookupFunction = (_name, options, callback) => {
      if (options.all) callback(null, [{ address: checked.address, family: checked.family }]);
      else callback(null, checked.address, checked.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, value?: Awaited<ReturnType<SafeFetcher['hop']>>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        if (error) reject(error);
        else resolve(value!);
      };
      const req = client.request({
        protocol: url.protocol,
        host: classifyAddress(url.hostname) ? checked.address : hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        lookup,
        agent: false,
        ...(url.protocol === 'https:' && !classifyAddress(url.hostname) ? { servername: hostname } : {}),
        headers: {
          host: url.host,
          'user-agent': this.options.userAgent ?? DEFAULT_USER_AGENT,
          accept: request.accept,
          'accept-encoding': 'gzip, deflate, br',
          connection: 'close',
        },
      });
      const timer = setTimeout(() => finish(new FetchFailed('timeout')), Math.max(0, deadline - Date.now()));
      req.on('error', (error) =>
        finish(error instanceof FetchFailed ? error : new FetchFailed(networkReason(error))),
      );
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (REDIRECTS.has(status)) {
          const location = res.headers.location;
          res.resume();
          if (!location) return finish(new FetchFailed(`HTTP ${status} without Location`));
          return finish(undefined, { location });
        }
        let body: Readable = res;
        const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        if (encoding === 'gzip' || encoding === 'x-gzip') body = res.pipe(zlib.createGunzip());
        else if (encoding === 'deflate') body = res.pipe(zlib.createInflate());
        else if (encoding === 'br') body = res.pipe(zlib.createBrotliDecompress());
        else if (encoding !== 'identity') return finish(new FetchFailed('content encoding'));

        const chunks: Buffer[] = [];
        let size = 0;
        let seen = '';
        const done = (truncated: boolean) =>
          finish(undefined, {
            response: {
              url: url.href,
              status,
              contentType: res.headers['content-type'],
              body: Buffer.concat(chunks, size),
              truncated,
              address: checked.address,
            },
          });
        body.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = request.maxBytes - size;
          const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
          chunks.push(kept);
          size += kept.length;
          if (chunk.length > room) return done(true);
          if (request.stopWhen) {
            // The text so far needs only a short overlap with what was already seen to find a marker.
            seen = seen.slice(-64) + kept.toString('latin1');
            if (request.stopWhen(seen)) return done(false);
          }
        });
        body.on('end', () => done(false));
        body.on('error', () => finish(new FetchFailed('bad body')));
        res.on('error', () => finish(new FetchFailed('connection reset')));
      });
      req.end();
    });
  }
}

function networkReason(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `network (${code})` : 'network';
}

/**
 * The operator's allow-list, from the environment (the Lambda's, or the local runtime's):
 * `SAFE_FETCH_ALLOWED_PORTS` (comma-separated ports beyond 80/443) and `SAFE_FETCH_ALLOWED_HOSTS`
 * (comma-separated host names, `.example.com` for subdomains, that may resolve to private addresses).
 */
export function safeFetcherOptionsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): Pick<SafeFetcherOptions, 'allowedPorts' | 'allowedHosts'> {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  const allowedPorts = list(env[ENV.safeFetchAllowedPorts]).map((entry) => {
    const port = Number(entry);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`SAFE_FETCH_ALLOWED_PORTS: ${entry} is not a port`);
    return port;
  });
  return { allowedPorts, allowedHosts: list(env[ENV.safeFetchAllowedHosts]) };
}
