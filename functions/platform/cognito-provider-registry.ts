/**
 * The AWS adapter of the identity-provider registry (domain/orgs/identity-provider-registry.ts):
 * Cognito's CreateIdentityProvider / UpdateIdentityProvider / DeleteIdentityProvider, and the web app
 * client's SupportedIdentityProviders, over Cognito's JSON API signed with the SDK's SigV4 signer (as
 * functions/mail/ses-mailer.ts does): `@aws-sdk/client-cognito-identity-provider` is not a dependency.
 *
 * UpdateUserPoolClient resets every setting it is not given, so the client is described first and
 * written back whole with only SupportedIdentityProviders changed. The role may call these on the one
 * user pool only (lib/constructs/api.ts).
 */
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { IdentityProvider, IdentityProviderRegistry } from '../domain/orgs/identity-provider-registry';
import { ENV } from './environment';
import { defaultProvider } from './lambda-credentials';

export interface CognitoRegistryOptions {
  region: string;
  userPoolId: string;
  /** The web app client whose SupportedIdentityProviders lists the partners' providers. */
  clientId: string;
  credentials: AwsCredentialIdentityProvider;
}

/** What a partner's IdP must send, mapped to the pool's attributes (e-mail verified, or it is refused). */
const OIDC_ATTRIBUTES = { email: 'email', email_verified: 'email_verified', name: 'name' };
const SAML_ATTRIBUTES = {
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
};

/** The client settings UpdateUserPoolClient takes; every one present is written back unchanged. */
const CLIENT_SETTINGS = [
  'ClientName',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'ReadAttributes',
  'WriteAttributes',
  'ExplicitAuthFlows',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
  'RefreshTokenRotation',
] as const;

export class CognitoProviderRegistry implements IdentityProviderRegistry {
  private readonly handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  private readonly signer: SignatureV4;

  constructor(private readonly options: CognitoRegistryOptions) {
    this.signer = new SignatureV4({
      service: 'cognito-idp',
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
    });
  }

  async register(provider: IdentityProvider): Promise<void> {
    await this.call('CreateIdentityProvider', {
      UserPoolId: this.options.userPoolId,
      ProviderName: provider.name,
      ProviderType: provider.kind === 'oidc' ? 'OIDC' : 'SAML',
      ProviderDetails: details(provider),
      AttributeMapping: provider.kind === 'oidc' ? OIDC_ATTRIBUTES : SAML_ATTRIBUTES,
    });
    await this.supportedProviders((names) => [...new Set([...names, provider.name])]);
  }

  async update(provider: IdentityProvider): Promise<void> {
    await this.call('UpdateIdentityProvider', {
      UserPoolId: this.options.userPoolId,
      ProviderName: provider.name,
      ProviderDetails: details(provider),
      AttributeMapping: provider.kind === 'oidc' ? OIDC_ATTRIBUTES : SAML_ATTRIBUTES,
    });
    // Saving a provider again also puts it back on the client (a deployment may have reset the list).
    await this.supportedProviders((names) => [...new Set([...names, provider.name])]);
  }

  async remove(name: string): Promise<void> {
    // First off the client (no new sign-ins), then the provider itself; a provider already gone is fine.
    await this.supportedProviders((names) => names.filter((n) => n !== name));
    try {
      await this.call('DeleteIdentityProvider', { UserPoolId: this.options.userPoolId, ProviderName: name });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ResourceNotFoundException') throw error;
    }
  }

  private async supportedProviders(change: (names: string[]) => string[]) {
    const { UserPoolClient: client } = (await this.call('DescribeUserPoolClient', {
      UserPoolId: this.options.userPoolId,
      ClientId: this.options.clientId,
    })) as { UserPoolClient: Record<string, unknown> };
    const current = (client.SupportedIdentityProviders as string[] | undefined) ?? [];
    const next = change(current);
    if (next.length === current.length && next.every((n) => current.includes(n))) return;
    const settings = Object.fromEntries(
      CLIENT_SETTINGS.filter((key) => client[key] !== undefined).map((key) => [key, client[key]]),
    );
    await this.call('UpdateUserPoolClient', {
      ...settings,
      UserPoolId: this.options.userPoolId,
      ClientId: this.options.clientId,
      SupportedIdentityProviders: next,
    });
  }

  private async call(action: string, body: Record<string, unknown>): Promise<unknown> {
    const hostname = `cognito-idp.${this.options.region}.amazonaws.com`;
    const request = new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: {
        host: hostname,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
    const signed = await this.signer.sign(request);
    const { response } = await this.handler.handle(signed as HttpRequest);
    const text = await readBody(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const fault = safeJson(text) as { __type?: string; message?: string };
      const code = (fault.__type ?? 'Unknown').split('#').pop()!;
      throw Object.assign(new Error(`Cognito ${action} failed: ${code} ${fault.message ?? ''}`.trim()), {
        name: 'CognitoCallFailed',
        code,
      });
    }
    return text ? safeJson(text) : {};
  }
}

function details(provider: IdentityProvider): Record<string, string> {
  if (provider.kind === 'saml') return { MetadataURL: provider.metadataUrl };
  return {
    client_id: provider.clientId,
    ...(provider.clientSecret ? { client_secret: provider.clientSecret } : {}),
    oidc_issuer: provider.issuer,
    authorize_scopes: 'openid email profile',
    attributes_request_method: 'GET',
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

async function readBody(stream: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** The registry of the spaces Lambda, from its environment; undefined when the stack gave no pool. */
export function cognitoProviderRegistryFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): CognitoProviderRegistry | undefined {
  const region = env.AWS_REGION;
  const userPoolId = env[ENV.userPoolId];
  const clientId = env[ENV.userPoolClientId];
  if (!region || !userPoolId || !clientId) return undefined;
  return new CognitoProviderRegistry({ region, userPoolId, clientId, credentials: defaultProvider() });
}
