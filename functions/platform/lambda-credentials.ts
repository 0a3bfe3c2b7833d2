/**
 * The credential chain of the Lambda bundles, put in place of `@aws-sdk/credential-provider-node` by
 * an esbuild alias (`lambdaEsbuildAlias` in lib/constructs/service-function.ts).
 *
 * The SDK's default chain also tries SSO, ini/profile files, credential processes, web identity and
 * instance metadata, and brings the STS/SSO clients along: ~130 KiB of every bundle. Inside Lambda
 * none of them can apply: the runtime hands the execution role's credentials over in environment
 * variables (or a container credentials endpoint, where it uses one), so only those two are kept,
 * memoised and refreshed before expiry the way the default chain does it. Code run outside Lambda
 * (tests, `npm start`, `npm run reindex -- --aws`) is not bundled and keeps the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { CredentialsProviderError, chain, memoize } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

type ChainInit = Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0];

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
const expires = (credentials: AwsCredentialIdentity) => credentials.expiration !== undefined;
const nearlyExpired = (credentials: AwsCredentialIdentity) =>
  expires(credentials) && credentials.expiration!.getTime() - Date.now() < REFRESH_BEFORE_EXPIRY_MS;

export const defaultProvider = (init: ChainInit = {}): AwsCredentialIdentityProvider =>
  memoize(
    chain(
      fromEnv(init),
      // fromHttp throws as soon as it is built when no endpoint is configured, so build it on demand.
      () => fromHttp(init)(),
      async () => {
        throw new CredentialsProviderError(
          'Could not load credentials: neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor a container credentials endpoint is set',
          { tryNextLink: false, logger: init.logger },
        );
      },
    ),
    nearlyExpired,
    expires,
  );
