/**
 * The credential chain of the Lambda bundles, put in place of `@aws-sdk/credential-provider-node` by
 * an esbuild alias (`lambdaEsbuildAlias` in lib/constructs/lambda-bundle.ts).
 *
 * The SDK's default chain also tries SSO, ini/profile files, credential processes, web identity and
 * instance metadata, and brings the STS/SSO clients along: ~130 KiB of every bundle. Inside Lambda
 * none of them can apply: the runtime hands the execution role's credentials over in environment
 * variables, or (where it uses one) a container credentials endpoint, so only those two are kept.
 * Code run outside Lambda (tests, `npm start`, `npm run reindex -- --aws`) is not bundled and keeps
 * the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { CredentialsProviderError } from '@smithy/core/config';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

type ChainInit = Parameters<typeof fromEnv>[0] & Parameters<typeof fromHttp>[0];

/** Like the SDK's chain: credentials this close to expiry are refreshed, in the background. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

const containerEndpointSet = () =>
  Boolean(
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI || process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );

export const defaultProvider = (init: ChainInit = {}): AwsCredentialIdentityProvider => {
  const load = async (): Promise<AwsCredentialIdentity> => {
    try {
      return await fromEnv(init)();
    } catch (notInEnvironment) {
      // With an endpoint configured, its own error (status, timeout, refused URL) is the one to report.
      if (containerEndpointSet()) return fromHttp(init)();
      throw new CredentialsProviderError(
        'Could not load credentials: neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor a container credentials endpoint is set',
        { tryNextLink: false, logger: init.logger },
      );
    }
  };

  let current: AwsCredentialIdentity | undefined;
  let loading: Promise<AwsCredentialIdentity> | undefined;
  const reload = () => {
    loading ??= load()
      .then((credentials) => (current = credentials))
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  return async (options) => {
    const left = current?.expiration ? current.expiration.getTime() - Date.now() : Number.POSITIVE_INFINITY;
    if (!current || left <= 0 || options?.forceRefresh) return reload();
    // Still valid: keep using them while fresh ones are fetched; a failed refresh is tried again next call.
    if (left < REFRESH_BEFORE_EXPIRY_MS) reload().catch(() => {});
    return current;
  };
};
