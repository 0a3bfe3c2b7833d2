// SigV4 for S3 written over node:crypto (functions/blobs/sigv4.ts): the presigned GET matches AWS's
// published example and the SDK's own signer; the POST policy pins key, type and exact size.

import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { presignGet, presignPost, signingKey } from '../../../functions/blobs/sigv4';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

describe('presigned GET', () => {
  it('matches the example of the S3 API reference (Query String Authentication)', () => {
    const url = presignGet({
      host: 'examplebucket.s3.amazonaws.com',
      key: 'test.txt',
      region: 'us-east-1',
      credentials,
      expiresIn: 86400,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(new URL(url).searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it("matches the SDK's SignatureV4.presign with response headers and a session token", async () => {
    const now = new Date('2026-11-30T08:15:00Z');
    const session = { ...credentials, sessionToken: 'token/with+chars=' };
    const responseHeaders = {
      'response-content-type': 'application/pdf',
      'response-content-disposition': `inline; filename="a b.pdf"; filename*=UTF-8''a%20b.pdf`,
    };
    const ours = new URL(
      presignGet({
        host: 'b.s3.eu-west-1.amazonaws.com',
        key: 'files/eng/01abc',
        region: 'eu-west-1',
        credentials: session,
        expiresIn: 300,
        now,
        responseHeaders,
      }),
    );
    const signer = new SignatureV4({
      service: 's3',
      region: 'eu-west-1',
      credentials: session,
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const theirs = await signer.presign(
      new HttpRequest({
        method: 'GET',
        protocol: 'https:',
        hostname: 'b.s3.eu-west-1.amazonaws.com',
        path: '/files/eng/01abc',
        query: responseHeaders,
        headers: { host: 'b.s3.eu-west-1.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      }),
      {
        expiresIn: 300,
        signingDate: now,
        unsignableHeaders: new Set(['x-amz-content-sha256']),
        unhoistableHeaders: new Set(['x-amz-content-sha256']),
      },
    );
    expect(ours.searchParams.get('X-Amz-Signature')).toBe(theirs.query?.['X-Amz-Signature']);
  });
});

describe('presigned POST', () => {
  it('signs a policy that pins the bucket, the key, the content type and the exact size, and expires', () => {
    const now = new Date('2026-11-30T08:15:00Z');
    const fields = presignPost({
      bucket: 'b',
      key: 'uploads/eng/01abc',
      contentType: 'image/png',
      minBytes: 1234,
      maxBytes: 1234,
      region: 'eu-west-1',
      credentials,
      expiresAt: new Date('2026-11-30T08:25:00Z'),
      now,
    });
    const policy = JSON.parse(Buffer.from(fields.Policy, 'base64').toString());
    expect(policy).toEqual({
      expiration: '2026-11-30T08:25:00.000Z',
      conditions: [
        { bucket: 'b' },
        ['eq', '$key', 'uploads/eng/01abc'],
        ['eq', '$Content-Type', 'image/png'],
        ['content-length-range', 1234, 1234],
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': 'AKIAIOSFODNN7EXAMPLE/20261130/eu-west-1/s3/aws4_request' },
        { 'x-amz-date': '20261130T081500Z' },
      ],
    });
    const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, '20261130', 'eu-west-1'))
      .update(fields.Policy)
      .digest('hex');
    expect(fields['X-Amz-Signature']).toBe(expected);
    expect(fields.key).toBe('uploads/eng/01abc');
    expect(fields['Content-Type']).toBe('image/png');
  });
});
