/** The OpenSearch index a Lambda uses, from the environment the CDK search construct sets. */
import { ENV, requiredEnv } from '../../platform/environment';
import { OpenSearchIndex } from './opensearch-index';

export function openSearchFromEnv(): OpenSearchIndex {
  return OpenSearchIndex.create({
    node: requiredEnv(ENV.searchEndpoint),
    alias: process.env[ENV.searchAlias] ?? 'commonplace',
    sigv4: true,
  });
}
