/**
 * The SES adapter: SES v2 `SendEmail` over its HTTP API, signed with the SDK's SigV4 signer and sent
 * with its Node HTTP handler (as functions/search/opensearch/opensearch-http.ts does): the
 * `@aws-sdk/client-sesv2` package is not a dependency of this project, and the one call needs no
 * more. The message goes as raw MIME (outbox-mailer.ts `toEml`), so the RFC 8058 unsubscribe headers
 * are sent as they are. The sender must be a verified identity (cdk.json `commonplace:mail`).
 */
import { randomBytes } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Mailer, MailMessage } from '../domain/mail/mail-port';
import { toEml } from './outbox-mailer';

export interface SesMailerOptions {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** `Commonplace <notifications@example.com>`; its address or domain is the verified identity. */
  from: string;
  /** Optional configuration set (bounces, complaints). */
  configurationSet?: string;
}

export class SesMailer implements Mailer {
  private readonly handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 15_000 });
  private readonly signer: SignatureV4;

  constructor(private readonly options: SesMailerOptions) {
    this.signer = new SignatureV4({
      service: 'ses',
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const id = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const raw = toEml({ ...message, id, from: this.options.from, sentAt: new Date().toISOString() });
    const body = JSON.stringify({
      Content: { Raw: { Data: Buffer.from(raw).toString('base64') } },
      Destination: { ToAddresses: [message.to] },
      ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
    });
    const hostname = `email.${this.options.region}.amazonaws.com`;
    const request = new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/v2/email/outbound-emails',
      headers: { host: hostname, 'content-type': 'application/json' },
      body,
    });
    const signed = await this.signer.sign(request);
    const { response } = await this.handler.handle(signed as HttpRequest);
    const text = await readBody(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw Object.assign(new Error(`SES answered ${response.statusCode}: ${text.slice(0, 300)}`), {
        name: 'MailSendFailed',
      });
    }
    return { messageId: (JSON.parse(text) as { MessageId: string }).MessageId };
  }
}

async function readBody(stream: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
