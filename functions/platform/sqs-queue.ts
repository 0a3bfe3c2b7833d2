/**
 * Sends JSON messages to an SQS queue with the SDK's own HTTP machinery (the SDK's Node HTTP handler
 * and SigV4 signer, as functions/search/opensearch/opensearch-http.ts does): `@aws-sdk/client-sqs` is
 * not a dependency, and SendMessageBatch over SQS's JSON protocol (`AmazonSQS.SendMessageBatch`,
 * `application/x-amz-json-1.0`) is one POST. At most 10 messages per request; entries SQS reports as
 * failed on its side are sent again, a sender fault (too large, malformed) throws.
 */
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

const BATCH = 10;
const ATTEMPTS = 4;

interface BatchResult {
  Successful?: { Id: string }[];
  Failed?: { Id: string; SenderFault: boolean; Code: string; Message?: string }[];
}

export class SqsQueue<Message> {
  private readonly endpoint: URL;
  private readonly handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  private readonly signer: SignatureV4;

  constructor(
    private readonly queueUrl: string,
    options: { region: string; credentials: AwsCredentialIdentityProvider },
  ) {
    this.endpoint = new URL(queueUrl);
    this.signer = new SignatureV4({
      service: 'sqs',
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
  }

  async send(messages: Message[]): Promise<void> {
    const chunks: Message[][] = [];
    for (let i = 0; i < messages.length; i += BATCH) chunks.push(messages.slice(i, i + BATCH));
    await Promise.all(chunks.map((chunk) => this.sendBatch(chunk)));
  }

  private async sendBatch(messages: Message[]) {
    let pending = messages.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) }));
    for (let attempt = 1; pending.length; attempt++) {
      const result = await this.call<BatchResult>('SendMessageBatch', {
        QueueUrl: this.queueUrl,
        Entries: pending,
      });
      const failed = result.Failed ?? [];
      const senderFault = failed.find((f) => f.SenderFault);
      if (senderFault)
        throw new Error(`SQS refused a message: ${senderFault.Code} ${senderFault.Message ?? ''}`);
      if (failed.length && attempt >= ATTEMPTS)
        throw new Error(`SQS failed ${failed.length} messages: ${failed[0].Code}`);
      const again = new Set(failed.map((f) => f.Id));
      pending = pending.filter((entry) => again.has(entry.Id));
      if (pending.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }

  private async call<T>(action: string, input: unknown): Promise<T> {
    const body = JSON.stringify(input);
    const request = new HttpRequest({
      method: 'POST',
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : undefined,
      path: '/',
      headers: {
        host: this.endpoint.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    const signed = (await this.signer.sign(request)) as HttpRequest;
    const { response } = await this.handler.handle(signed);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer | string>)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    if (response.statusCode >= 400) throw new Error(`SQS ${action} answered ${response.statusCode}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}
