/**
 * The OpenSearch HTTP adapter on the AWS SDK's request machinery (functions/search/opensearch/
 * opensearch-http.ts), against a local HTTP server that records what arrives: SigV4 signatures that an
 * independent signer (lib/handlers/sign-request.ts) reproduces, retries of 503s and broken connections,
 * and errors shaped as the official client's. Its behaviour against a real node is covered by
 * opensearch-index.test.ts and the contract suite.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OpenSearchHttp, OpenSearchResponseError } from '../../functions/search/opensearch/opensearch-http';
import { signRequest } from '../../lib/handlers/sign-request';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let url: string;
let received: Received[];
let answers: ((res: http.ServerResponse) => void)[];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const answer = answers.shift() ?? ((r: http.ServerResponse) => r.writeHead(200).end('{"count":7}'));
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  received = [];
  answers = [];
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

describe('OpenSearchHttp', () => {
  it('signs with SigV4 for es, as an independent signer computes it', async () => {
    const client = new OpenSearchHttp(url, {
      sigv4: { region: 'eu-west-1', credentials: async () => credentials },
    });
    await client.updateByQuery({
      index: 'commonplace-v1',
      body: { query: { match_all: {} } },
      conflicts: 'proceed',
    });
    await client.close();
    const [request] = received;
    const [path, query] = request.url.split('?');
    expect(query).toBe('conflicts=proceed');
    const expected = signRequest(
      {
        method: 'POST',
        host: request.headers.host!,
        path,
        query: { conflicts: 'proceed' },
        headers: {
          'content-type': 'application/json',
          'content-length': request.headers['content-length']!,
          'x-amz-content-sha256': request.headers['x-amz-content-sha256'] as string,
        },
        body: request.body,
      },
      {
        region: 'eu-west-1',
        service: 'es',
        credentials,
        date: parseAmzDate(request.headers['x-amz-date'] as string),
      },
    );
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request/,
    );
    expect(request.headers['x-amz-security-token']).toBe('token');
    // The SDK signs x-amz-content-sha256 only when it is sent; compare the signed header lists first.
    const signedBy = (auth: string) => /SignedHeaders=([^,]+)/.exec(auth)![1];
    expect(signedBy(request.headers.authorization!)).toBe(signedBy(expected.authorization));
    expect(request.headers.authorization).toBe(expected.authorization);
  });

  it('sends nothing signed without sigv4, and bulk bodies as NDJSON', async () => {
    const client = new OpenSearchHttp(url);
    answers.push((res) => res.writeHead(200).end('{"errors":false,"items":[]}'));
    await client.bulk({ body: [{ index: { _id: 'a' } }, '{"title":"x"}'] });
    await client.close();
    expect(received[0].headers.authorization).toBeUndefined();
    expect(received[0].headers['content-type']).toBe('application/x-ndjson');
    expect(received[0].body).toBe('{"index":{"_id":"a"}}\n{"title":"x"}\n');
  });

  it('retries 503 and a dropped connection, then answers', async () => {
    const client = new OpenSearchHttp(url, { maxRetries: 3 });
    answers.push(
      (res) => res.writeHead(503).end('{"error":"busy"}'),
      (res) => res.socket?.destroy(),
      (res) => res.writeHead(200).end('{"count":3}'),
    );
    const response = await client.count({ index: 'x' });
    await client.close();
    expect(response).toEqual({ statusCode: 200, body: { count: 3 } });
    expect(received).toHaveLength(3);
  });

  it('reports an error status with the body, as the official client does, unless ignored', async () => {
    const client = new OpenSearchHttp(url, { maxRetries: 0 });
    answers.push((res) =>
      res.writeHead(400).end('{"error":{"type":"parsing_exception","reason":"bad query"}}'),
    );
    const failure = await client.search({ index: 'x', body: {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenSearchResponseError);
    expect((failure as OpenSearchResponseError).meta).toEqual({
      statusCode: 400,
      body: { error: { type: 'parsing_exception', reason: 'bad query' } },
    });
    answers.push((res) => res.writeHead(404).end('{"found":false}'));
    expect(await client.get({ index: 'x', id: 'missing' }, { ignore: [404] })).toEqual({
      statusCode: 404,
      body: { found: false },
    });
    await client.close();
  });
});

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value)!;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
