/**
 * Signed calls to the AWS JSON APIs the operator scripts need beyond DynamoDB (SQS, DynamoDB Streams,
 * Lambda Invoke) without adding their SDK clients as dependencies: SigV4 from @smithy/signature-v4
 * (already installed with the DynamoDB client, as functions/platform/sqs-queue.ts uses it) over fetch, with the operator's usual credential chain.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export class AwsCallError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = type;
  }
}

export interface SignedCall {
  service: 'sqs' | 'dynamodb' | 'lambda';
  /** AWS JSON protocol target (e.g. `AmazonSQS.ReceiveMessage`), or a REST path for Lambda. */
  target?: string;
  path?: string;
  body: unknown;
  /** The host's service prefix when it differs from the signing name (`streams.dynamodb`). */
  hostPrefix?: string;
}

export function createSignedJsonClient(region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION) {
  if (!region) throw new Error('AWS_REGION is not set');
  const credentials = defaultProvider();
  return async function call<T = any>(request: SignedCall): Promise<{ body: T; headers: Headers }> {
    const host = `${request.hostPrefix ?? request.service}.${region}.amazonaws.com`;
    const body = JSON.stringify(request.body);
    const headers: Record<string, string> = {
      host,
      'content-type': request.target ? 'application/x-amz-json-1.0' : 'application/json',
      ...(request.target ? { 'x-amz-target': request.target } : {}),
    };
    const signer = new SignatureV4({ service: request.service, region, credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'https:',
      hostname: host,
      path: request.path ?? '/',
      headers,
      body,
    });
    const response = await fetch(`https://${host}${request.path ?? '/'}`, {
      method: 'POST',
      headers: signed.headers as Record<string, string>,
      body,
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const type = String(parsed.__type ?? parsed.code ?? response.headers.get('x-amzn-errortype') ?? 'Error')
        .split('#')
        .pop()!;
      throw new AwsCallError(type, parsed.message ?? parsed.Message ?? type, response.status);
    }
    return { body: parsed as T, headers: response.headers };
  };
}
