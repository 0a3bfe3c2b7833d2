/**
 * The AWS adapter of SignInAccounts: a deactivated person is disabled in the Cognito user pool
 * (`AdminDisableUser`; `AdminEnableUser` when reactivated), so they can no longer sign in and their
 * refresh tokens stop working. The pool signs people in by e-mail (an alias), which is what the
 * Username parameter takes. A signed JSON request over HTTP, like the Secrets Manager read
 * (functions/mail/unsubscribe-keys.ts), so no Cognito client is bundled. A person the pool does not
 * know (never signed in, or federated under another name) is not an error: there is nothing to stop.
 */
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { SignInAccounts } from '../domain/people/sign-in-accounts';

/** Sends one signed request; answers the status and body (a seam for tests). */
export type SignedSend = (request: HttpRequest) => Promise<{ statusCode: number; body: string }>;

export class CognitoSignInAccounts implements SignInAccounts {
  private readonly send: SignedSend;

  constructor(
    private readonly userPoolId: string,
    region: string,
    credentials: AwsCredentialIdentityProvider,
    send?: SignedSend,
  ) {
    this.region = region;
    const signer = new SignatureV4({ service: 'cognito-idp', region, credentials, sha256: Sha256 });
    const handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
    this.send =
      send ??
      (async (request) => {
        const { response } = await handler.handle((await signer.sign(request)) as HttpRequest);
        const chunks: Buffer[] = [];
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
        return { statusCode: response.statusCode, body: Buffer.concat(chunks).toString('utf8') };
      });
  }

  private readonly region: string;

  async setEnabled(person: { userId: string; email: string }, enabled: boolean): Promise<void> {
    const hostname = `cognito-idp.${this.region}.amazonaws.com`;
    const operation = enabled ? 'AdminEnableUser' : 'AdminDisableUser';
    const request = new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: {
        host: hostname,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify({ UserPoolId: this.userPoolId, Username: person.email }),
    });
    const { statusCode, body } = await this.send(request);
    if (statusCode === 200) return;
    const type = safeType(body);
    if (type === 'UserNotFoundException') return;
    throw new Error(`Cognito ${operation} answered ${statusCode} ${type ?? ''}`.trim());
  }
}

function safeType(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { __type?: string };
    return parsed.__type?.split('#').pop();
  } catch {
    return undefined;
  }
}
