/**
 * Requests that did not come through CloudFront (no origin header, or a wrong one) are refused before
 * the app runs; without a configured secret (the local runtime) nothing is checked.
 */
import { describe, expect, it } from '@jest/globals';
import middy from '@middy/core';
import { cloudFrontOnly, ORIGIN_HEADER } from '../../../functions/api/middleware/cloudfront-only';

const handler = (secret: string | undefined) =>
  middy<{ headers?: Record<string, string> }, unknown>()
    .use(cloudFrontOnly(secret))
    .handler(async () => ({ statusCode: 200, body: 'ran' }));
const call = (secret: string | undefined, headers?: Record<string, string>) =>
  handler(secret)({ headers }, {} as never) as Promise<{
    statusCode: number;
    body: string;
    headers?: Record<string, string>;
  }>;

describe('cloudFrontOnly', () => {
  it('lets a request with the right header through', async () => {
    expect(await call('s3cret', { [ORIGIN_HEADER]: 's3cret' })).toEqual({ statusCode: 200, body: 'ran' });
  });

  it.each([
    ['no headers', undefined],
    ['no origin header', { host: 'abc.execute-api.eu-west-1.amazonaws.com' }],
    ['a wrong value', { [ORIGIN_HEADER]: 's3creT' }],
    ['a longer value', { [ORIGIN_HEADER]: 's3cret!' }],
    ['an empty value', { [ORIGIN_HEADER]: '' }],
  ])('refuses %s with a 403 problem, without running the handler', async (_what, headers) => {
    const response = await call('s3cret', headers);
    expect(response.statusCode).toBe(403);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({
      status: 403,
      detail: expect.stringMatching(/execute-api/),
    });
  });

  it('checks nothing where no secret is configured (the local runtime)', async () => {
    expect((await call(undefined)).statusCode).toBe(200);
  });
});
