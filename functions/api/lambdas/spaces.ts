/**
 * Lambda entry of the spaces module (routes in functions/api/modules/spaces.ts). Partner
 * administration's adapters (Cognito's identity-provider APIs, the safe fetcher for SAML metadata)
 * load on first use, behind `import()`: a cold start for any other route does not pay for them.
 */
import type {
  IdentityProviderRegistry,
  SamlMetadataCheck,
} from '../../domain/orgs/identity-provider-registry';
import { spacesModule } from '../modules/spaces';
import { moduleLambda } from './module-lambda';

let cognito: Promise<IdentityProviderRegistry> | undefined;
const registry = (): Promise<IdentityProviderRegistry> => {
  cognito ??= import('../../platform/cognito-provider-registry').then(
    ({ cognitoProviderRegistryFromEnvironment }) => {
      const adapter = cognitoProviderRegistryFromEnvironment();
      if (!adapter)
        throw new Error(
          'USER_POOL_ID / USER_POOL_CLIENT_ID are not set: partner providers cannot be registered',
        );
      return adapter;
    },
  );
  return cognito;
};

const identityProviders: IdentityProviderRegistry = {
  register: async (provider) => (await registry()).register(provider),
  update: async (provider) => (await registry()).update(provider),
  remove: async (name) => (await registry()).remove(name),
};

const samlMetadataCheck: SamlMetadataCheck = async (url) => {
  const [{ samlMetadataCheck: check }, { SafeFetcher, safeFetcherOptionsFromEnvironment }] =
    await Promise.all([
      import('../../safe-fetch/saml-metadata-check'),
      import('../../safe-fetch/safe-fetcher'),
    ]);
  return check(new SafeFetcher(safeFetcherOptionsFromEnvironment()))(url);
};

export const handler = moduleLambda(spacesModule, { identityProviders, samlMetadataCheck });
