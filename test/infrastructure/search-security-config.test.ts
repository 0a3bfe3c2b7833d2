/**
 * The search security custom resource: SigV4 signing (against AWS's published test vector and a
 * vector produced by the AWS SDK's signer), the calls it makes to the domain, its retries while the
 * domain starts, and what it reports back to CloudFormation.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  handleEvent,
  type Io,
  type SecurityConfigProperties,
} from '../../lib/handlers/search-security-config';
import { signRequest } from '../../lib/handlers/sign-request';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const EXAMPLE_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const SIGNING_DATE = new Date('2015-08-30T12:36:00Z');

describe('signRequest', () => {
  it('matches the AWS Signature Version 4 test suite (get-vanilla)', () => {
    const headers = signRequest(
      { method: 'GET', host: 'example.amazonaws.com', path: '/' },
      { region: 'us-east-1', service: 'service', credentials: EXAMPLE_CREDENTIALS, date: SIGNING_DATE },
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs a PUT with a body and a session token as the AWS SDK signer does', () => {
    // Expected value computed with @smithy/signature-v4 for the same request.
    const body = JSON.stringify({ backend_roles: ['arn:aws:iam::123456789012:role/x'] });
    const headers = signRequest(
      {
        method: 'PUT',
        host: 'search-x.eu-west-1.es.amazonaws.com',
        path: '/_plugins/_security/api/rolesmapping/commonplace_reader',
        headers: {
          'content-type': 'application/json',
          'x-amz-content-sha256': sha256(body),
        },
        body,
      },
      {
        region: 'eu-west-1',
        service: 'es',
        credentials: { ...EXAMPLE_CREDENTIALS, sessionToken: 'TOKEN/with+chars=' },
        date: SIGNING_DATE,
      },
    );
    expect(headers['x-amz-security-token']).toBe('TOKEN/with+chars=');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/es/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=ae1d2987e82cafd1421dbfbb0796628866a5ac347348cb8392b35f1238f90d74',
    );
  });

  it('double-encodes path segments and sorts the query, as every service but S3 expects', () => {
    const headers = signRequest(
      {
        method: 'GET',
        host: 'example.amazonaws.com',
        path: '/a%20b/c',
        query: { z: '1', 'a b': 'x/y' },
        headers: { 'x-amz-content-sha256': sha256('') },
      },
      { region: 'us-east-1', service: 'service', credentials: EXAMPLE_CREDENTIALS, date: SIGNING_DATE },
    );
    expect(headers.authorization).toContain(
      'Signature=cec419ea92954b3436f3ec4b1e1fabaf5c7f11bbfca8b97de9b9c07c3294f045',
    );
  });
});

const PROPERTIES: SecurityConfigProperties = {
  Endpoint: 'search-commonplace.eu-west-1.es.amazonaws.com',
  Roles: [
    {
      name: 'commonplace_reader',
      clusterPermissions: ['cluster_composite_ops_ro'],
      indexPermissions: [{ index_patterns: ['commonplace*'], allowed_actions: ['read'] }],
      backendRoles: ['arn:aws:iam::123456789012:role/api'],
    },
  ],
};

function cfnEvent(requestType: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
    ResponseURL: 'https://cloudformation-custom-resource-response.s3.amazonaws.com/signed',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Commonplace/1',
    RequestId: 'request-1',
    LogicalResourceId: 'SearchSecurityConfigResource',
    ResourceType: 'Custom::OpenSearchSecurityConfig',
    ResourceProperties: { ServiceToken: 'x', ...PROPERTIES },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'physical-1', OldResourceProperties: {} }),
  } as CloudFormationCustomResourceEvent;
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fake network: answers domain calls from `statuses` in turn (200 once they run out). */
function fakeIo(statuses: number[] = []) {
  const calls: Call[] = [];
  let clock = 0;
  const io: Io = {
    fetch: (async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
      calls.push({ url, method: init.method, headers: init.headers, body: init.body });
      const status = url.includes('cloudformation') ? 200 : (statuses.shift() ?? 200);
      return new Response(status === 200 ? '{}' : 'not yet', { status });
    }) as unknown as typeof fetch,
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    log: () => {},
  };
  return { io, calls, domainCalls: () => calls.filter((c) => !c.url.includes('cloudformation')) };
}

const context = { logStreamName: 'log-stream', getRemainingTimeInMillis: () => 300_000 };
const responseOf = (calls: Call[]) =>
  JSON.parse(calls.find((c) => c.url.includes('cloudformation'))?.body ?? '{}');

describe('the security configuration custom resource', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('writes each role and its mapping with signed requests, then reports success', async () => {
    const { io, calls, domainCalls } = fakeIo();
    await handleEvent(cfnEvent('Create'), context, io);
    expect(domainCalls().map((c) => `${c.method} ${c.url}`)).toEqual([
      'PUT https://search-commonplace.eu-west-1.es.amazonaws.com/_plugins/_security/api/roles/commonplace_reader',
      'PUT https://search-commonplace.eu-west-1.es.amazonaws.com/_plugins/_security/api/rolesmapping/commonplace_reader',
      'PUT https://search-commonplace.eu-west-1.es.amazonaws.com/_plugins/_security/api/audit/config',
    ]);
    // Audit logging on, for what tells of an attack rather than every request.
    expect(JSON.parse(domainCalls()[2].body ?? '')).toMatchObject({
      enabled: true,
      audit: { enable_rest: true, disabled_rest_categories: ['AUTHENTICATED', 'GRANTED_PRIVILEGES'] },
    });
    expect(JSON.parse(domainCalls()[0].body ?? '')).toEqual({
      cluster_permissions: ['cluster_composite_ops_ro'],
      index_permissions: [{ index_patterns: ['commonplace*'], allowed_actions: ['read'] }],
    });
    expect(JSON.parse(domainCalls()[1].body ?? '')).toEqual({
      backend_roles: ['arn:aws:iam::123456789012:role/api'],
    });
    for (const call of domainCalls()) {
      expect(call.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/eu-west-1\/es\/aws4_request/,
      );
      expect(call.headers['x-amz-security-token']).toBe('token');
    }
    const response = responseOf(calls);
    expect(response).toMatchObject({
      Status: 'SUCCESS',
      RequestId: 'request-1',
      LogicalResourceId: 'SearchSecurityConfigResource',
      PhysicalResourceId: 'search-commonplace.eu-west-1.es.amazonaws.com/security-config',
    });
    expect(calls.at(-1)?.method).toBe('PUT');
  });

  it('waits for a domain that is still starting (503, 403) and keeps the physical id on update', async () => {
    const { io, calls, domainCalls } = fakeIo([503, 403]);
    await handleEvent(cfnEvent('Update'), context, io);
    expect(domainCalls()).toHaveLength(5);
    expect(responseOf(calls)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'physical-1' });
  });

  it('reports failure with the reason on a request the domain refuses', async () => {
    const { io, calls, domainCalls } = fakeIo([400]);
    await handleEvent(cfnEvent('Create'), context, io);
    expect(domainCalls()).toHaveLength(1);
    expect(responseOf(calls)).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringContaining('failed with 400'),
    });
  });

  it('gives up before its own timeout and still reports', async () => {
    const { io, calls } = fakeIo(Array(100).fill(503));
    await handleEvent(cfnEvent('Create'), { ...context, getRemainingTimeInMillis: () => 60_000 }, io);
    expect(responseOf(calls)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('503') });
  });

  it('leaves the domain alone on delete', async () => {
    const { io, calls, domainCalls } = fakeIo();
    await handleEvent(cfnEvent('Delete'), context, io);
    expect(domainCalls()).toEqual([]);
    expect(responseOf(calls)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'physical-1' });
  });
});
