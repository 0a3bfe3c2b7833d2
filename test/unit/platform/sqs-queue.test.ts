// The SQS adapter against a stand-in endpoint: SendMessageBatch over the JSON protocol, signed with
// SigV4, at most 10 entries a request, entries SQS failed on its side sent again, a sender fault thrown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SqsQueue } from '../../../functions/platform/sqs-queue';

let server: http.Server;
let url: string;
const requests: { headers: http.IncomingHttpHeaders; body: any }[] = [];
let answer: (body: any, n: number) => unknown = () => ({ Successful: [] });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text);
      requests.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer(body, requests.length)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/000000000000/pages`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const queue = () =>
  new SqsQueue<{ n: number }>(url, {
    region: 'eu-west-1',
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
  });

describe('SqsQueue', () => {
  it('sends 23 messages as 3 signed SendMessageBatch requests', async () => {
    requests.length = 0;
    answer = () => ({ Successful: [] });
    await queue().send(Array.from({ length: 23 }, (_, n) => ({ n })));
    expect(requests.map((r) => r.body.Entries.length).sort()).toEqual([10, 10, 3]);
    for (const { headers, body } of requests) {
      expect(headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
      expect(headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sqs\/aws4_request/,
      );
      expect(body.QueueUrl).toBe(url);
    }
    const sent = requests.flatMap((r) => r.body.Entries.map((e: any) => JSON.parse(e.MessageBody).n));
    expect(sent.sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 23 }, (_, n) => n));
  });

  it('sends again the entries SQS failed on its side', async () => {
    requests.length = 0;
    answer = (body, n) =>
      n === 1 ? { Failed: [{ Id: body.Entries[1].Id, SenderFault: false, Code: 'InternalError' }] } : {};
    await queue().send([{ n: 1 }, { n: 2 }]);
    expect(requests).toHaveLength(2);
    expect(requests[1].body.Entries.map((e: any) => JSON.parse(e.MessageBody).n)).toEqual([2]);
  });

  it('throws on a sender fault', async () => {
    answer = (body) => ({
      Failed: [{ Id: body.Entries[0].Id, SenderFault: true, Code: 'InvalidMessageContents' }],
    });
    await expect(queue().send([{ n: 1 }])).rejects.toThrow(/InvalidMessageContents/);
  });
});
