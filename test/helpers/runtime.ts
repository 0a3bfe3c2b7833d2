/**
 * Starts the real local runtime for an integration test: in-memory dynalite behind the local front,
 * the local stream, the local identity provider and the API on a free port. Tokens come from the
 * provider through the real authorization-code + PKCE flow, cached per account.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MetadataFetcher } from '../../functions/domain/bookmarks/metadata-fetcher';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime';

/**
 * Tests never reach the internet: unless a test passes its own `metadataFetcher`, bookmark metadata
 * fetches are refused at once (the URL item gets `meta: {}` and `metaError`).
 */
export const offlineMetadataFetcher: MetadataFetcher = {
  fetchPageMetadata: async () => {
    throw Object.assign(new Error('no network in tests'), {
      name: 'FetchRefused',
      reason: 'offline (tests)',
    });
  },
};

export interface TestRuntime extends LocalRuntime {
  dataDir: string;
  /** fetch against the API with an account's token ('anonymous' sends none). */
  api(
    account: string,
    method: string,
    pathname: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
  /** `api`, failing the test on any status of 300 or more; the body of the answer. */
  ok(account: string, method: string, pathname: string, body?: unknown): Promise<any>;
  tokenFor(account: string): Promise<string>;
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export async function startTestRuntime(options: LocalRuntimeOptions = {}): Promise<TestRuntime> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-test-'));
  const runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    inMemory: true,
    metadataFetcher: offlineMetadataFetcher,
    ...options,
  });
  // Object.assign below replaces runtime.close, so keep the runtime's own close to call from ours.
  const closeRuntime = runtime.close.bind(runtime);
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (account: string) => {
    let token = tokens.get(account);
    if (!token) {
      token = runtime.token(account);
      tokens.set(account, token);
    }
    return token;
  };
  const testRuntime: TestRuntime = Object.assign(runtime, {
    dataDir,
    tokenFor,
    async api(
      account: string,
      method: string,
      pathname: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      // A string with dots is a raw JWT (forged or expired tokens in tests); otherwise an account id.
      const auth: Record<string, string> =
        account === 'anonymous'
          ? {}
          : { authorization: `Bearer ${account.includes('.') ? account : await tokenFor(account)}` };
      const requestHeaders: Record<string, string> = {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...auth,
        ...headers,
      };
      const response = await fetch(`${runtime.url}/api${pathname}`, {
        method,
        headers: requestHeaders,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async ok(account: string, method: string, pathname: string, body?: unknown) {
      const response = await testRuntime.api(account, method, pathname, body);
      if (response.status >= 300)
        throw new Error(
          `${account} ${method} ${pathname} → ${response.status} ${JSON.stringify(response.body)}`,
        );
      return response.body;
    },
    async close() {
      await closeRuntime();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return testRuntime;
}
