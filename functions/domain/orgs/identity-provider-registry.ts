/**
 * The identity-provider registry port: where a partner organisation's IdP is made known to the sign-in
 * service. In AWS, Cognito (functions/platform/cognito-provider-registry.ts: Create/Update/
 * DeleteIdentityProvider and the app client's SupportedIdentityProviders); locally nothing beyond the
 * table, because the local broker reads the providers from the table on every authorize.
 */

/** A partner's IdP. `name` is the Cognito identity-provider name (`acme`), also the IDP# item's key. */
export type IdentityProvider =
  | { name: string; kind: 'oidc'; issuer: string; clientId: string; clientSecret?: string }
  | { name: string; kind: 'saml'; metadataUrl: string };

export interface IdentityProviderRegistry {
  register(provider: IdentityProvider): Promise<void>;
  update(provider: IdentityProvider): Promise<void>;
  remove(name: string): Promise<void>;
}

/** The local runtime's: the IDP# and ORG items the service writes are all the local broker needs. */
export const tableOnlyProviderRegistry: IdentityProviderRegistry = {
  register: async () => {},
  update: async () => {},
  remove: async () => {},
};

/**
 * Checks that a SAML metadata URL answers with SAML metadata, fetched only through the safe fetcher
 * (functions/safe-fetch/): a private, loopback or metadata address, or an unreachable host, is refused.
 * Throws ProviderMetadataRefused with a reason a person can act on.
 */
export type SamlMetadataCheck = (url: string) => Promise<void>;

export class ProviderMetadataRefused extends Error {
  override name = 'ProviderMetadataRefused';
}
