/**
 * Sends JSON messages to an SQS queue with the SDK's own HTTP machinery (the SDK's Node HTTP handler
 * and SigV4 signer, as functions/search/opensearch/opensearch-http.ts does): `@aws-sdk/client-sqs` is
 * not a dependency, and SendMessageBatch over SQS's JSON protocol (`AmazonSQS.SendMessageBatch`,
 * `application/x-amz-json-1.0`) is one POST. At most 10 messages per request; entries SQS reports as
 * failed on its side are sent again, a sender fault (too large, malformed) throws.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { SignedPoster } from './signed-post';

const BATCH = 10;
const ATTEMPTS = 4;

interface BatchResult {
  Successful?: { Id: string }[];
  Failed?: { Id: string; SenderFault: boolean; Code: string; Message?: string }[];
}

export class SqsQueue<Message> {
  private readonly poster: SignedPoster;

  constructor(
    private readonly queueUrl: string,
    options: { region: string; credentials: AwsCredentialIdentityProvider },
  ) {
    this.poster = new SignedPoster(new URL(queueUrl), {
      service: 'sqs',
      ...options,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
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
    const { status, text } = await this.poster.post('/', JSON.stringify(input), {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
    });
    if (status >= 400) throw new Error(`SQS ${action} answered ${status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
}
