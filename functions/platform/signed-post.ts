/**
 * One SigV4-signed POST over the SDK's own Node HTTP handler and signer, which every Lambda bundle
 * carries already: how the SQS sender (sqs-queue.ts) and the AppSync Events publisher
 * (appsync-events.ts) talk to their services without a service client in the bundle.
 */
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface SignedPostOptions {
  /** The signing name: `sqs`, `appsync`. */
  service: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  connectionTimeout: number;
  requestTimeout: number;
}

export class SignedPoster {
  private readonly handler: NodeHttpHandler;
  private readonly signer: SignatureV4;

  /** `endpoint`: where every POST goes (protocol, host and port). */
  constructor(
    private readonly endpoint: URL,
    options: SignedPostOptions,
  ) {
    this.handler = new NodeHttpHandler({
      connectionTimeout: options.connectionTimeout,
      requestTimeout: options.requestTimeout,
    });
    this.signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
  }

  /** POSTs `body` to `path`, signed; the answer's status and text, whatever the status. */
  async post(
    path: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    const request = new HttpRequest({
      method: 'POST',
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      port: this.endpoint.port ? Number(this.endpoint.port) : undefined,
      path,
      headers: { ...headers, host: this.endpoint.host, 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    const signed = (await this.signer.sign(request)) as HttpRequest;
    const { response } = await this.handler.handle(signed);
    return { status: response.statusCode, text: await readText(response.body) };
  }
}

/** A response body stream as text. */
export async function readText(stream: unknown): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
