/**
 * The SamlMetadataCheck adapter (domain/orgs/identity-provider-registry.ts): an admin's SAML metadata
 * URL is fetched through the safe fetcher, so a private, loopback, link-local (metadata service) or
 * otherwise forbidden address is refused after DNS resolution, on every redirect, and an unreachable
 * host or a page that is not SAML metadata is refused too. Cognito fetches the URL again itself.
 */
import { ProviderMetadataRefused, type SamlMetadataCheck } from '../domain/orgs/identity-provider-registry';
import { FetchFailed, FetchRefused, type SafeFetcher } from './safe-fetcher';

const MAX_METADATA_BYTES = 512 * 1024;

export function samlMetadataCheck(fetcher: SafeFetcher): SamlMetadataCheck {
  return async (url) => {
    let response: Awaited<ReturnType<SafeFetcher['fetch']>>;
    try {
      response = await fetcher.fetch(url, {
        maxBytes: MAX_METADATA_BYTES,
        accept: 'application/samlmetadata+xml, application/xml, text/xml',
      });
    } catch (error) {
      if (error instanceof FetchRefused)
        throw new ProviderMetadataRefused(`address not allowed (${error.reason})`);
      if (error instanceof FetchFailed) throw new ProviderMetadataRefused(`unreachable (${error.reason})`);
      throw error;
    }
    if (response.status !== 200) throw new ProviderMetadataRefused(`unreachable (HTTP ${response.status})`);
    if (!/<(?:[A-Za-z0-9_-]+:)?EntityDescriptor[\s>]/.test(response.body.toString('utf8')))
      throw new ProviderMetadataRefused('the answer is not SAML metadata (no EntityDescriptor)');
  };
}
