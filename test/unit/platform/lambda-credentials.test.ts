/**
 * The Lambda bundles' credential chain (functions/platform/lambda-credentials.ts): environment
 * variables, else a container credentials endpoint — here a real HTTP server on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { defaultProvider, REFRESH_BEFORE_EXPIRY_MS } from '../../../functions/platform/lambda-credentials';

const VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

/** What the endpoint answers next: credentials valid for `validForMs`, or a failure. */
let next: { key: string; validForMs: number } | 'fail' = { key: 'AK1', validForMs: 60 * 60_000 };
let requests = 0;
const server = http.createServer((_req, res) => {
  requests++;
  if (next === 'fail') return void res.writeHead(500).end('{"Code":"Broken","Message":"down"}');
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      AccessKeyId: next.key,
      SecretAccessKey: 'secret',
      Token: 'token',
      Expiration: new Date(Date.now() + next.validForMs).toISOString(),
    }),
  );
});
let endpoint: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  for (const name of VARIABLES) delete process.env[name];
  requests = 0;
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
});

const init = { maxRetries: 0, timeout: 2000 };
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the Lambda credential chain', () => {
  it('takes the execution role credentials from the environment, first', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'session';
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint;
    const credentials = await defaultProvider(init)();
    expect(credentials).toMatchObject({
      accessKeyId: 'AKENV',
      secretAccessKey: 'secret',
      sessionToken: 'session',
    });
    expect(requests).toBe(0);
  });

  it('says what is missing when there is nothing to use', async () => {
    await expect(defaultProvider(init)()).rejects.toThrow(
      'neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor a container credentials endpoint is set',
    );
  });

  it('uses the container endpoint, once, while its credentials are fresh', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint;
    next = { key: 'AK1', validForMs: 60 * 60_000 };
    const provider = defaultProvider(init);
    expect((await provider()).accessKeyId).toBe('AK1');
    expect((await provider()).accessKeyId).toBe('AK1');
    expect(requests).toBe(1);
  });

  it('reports the endpoint’s own error when the endpoint fails', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint;
    next = 'fail';
    await expect(defaultProvider(init)()).rejects.toThrow(/status: 500/);
  });

  it('refreshes credentials close to expiry in the background, and keeps valid ones when that fails', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint;
    next = { key: 'AK1', validForMs: REFRESH_BEFORE_EXPIRY_MS - 60_000 };
    const provider = defaultProvider(init);
    expect((await provider()).accessKeyId).toBe('AK1');

    next = 'fail';
    expect((await provider()).accessKeyId).toBe('AK1'); // still valid: served while the refresh fails
    await settle();
    expect(requests).toBe(2);

    next = { key: 'AK2', validForMs: 60 * 60_000 };
    expect((await provider()).accessKeyId).toBe('AK1'); // the refresh starts now
    await settle();
    expect((await provider()).accessKeyId).toBe('AK2');
    expect(requests).toBe(3);
  });

  it('fetches again, and waits, once credentials have expired', async () => {
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint;
    next = { key: 'AK1', validForMs: -1000 };
    const provider = defaultProvider(init);
    expect((await provider()).accessKeyId).toBe('AK1');
    next = { key: 'AK2', validForMs: 60 * 60_000 };
    expect((await provider()).accessKeyId).toBe('AK2');
  });
});
