/**
 * The SearchIndex contract against a REAL OpenSearch node (2.19, started from Maven Central artifacts by
 * test/helpers/opensearch-node.ts). Skipped with a message when the node is not built, except under
 * CI=true, where a node that cannot start fails the run.
 */
import { describe, it } from '@jest/globals';
import { OpenSearchIndex } from '../../functions/search/opensearch/opensearch-index';
import { openSearchSuiteRuns, startOpenSearchNode } from '../helpers/opensearch-node';
import { searchIndexContract } from './search-index.contract';

if (openSearchSuiteRuns('opensearch-contract.test.ts')) {
  searchIndexContract('OpenSearch 2.19 (real node)', async () => {
    const node = await startOpenSearchNode();
    const index = OpenSearchIndex.create({ node: node.url, alias: `contract${Date.now()}`, sigv4: false });
    await index.ensureIndex();
    return {
      index,
      async close() {
        await index.close();
        await node.stop();
      },
    };
  });
} else {
  describe('SearchIndex contract: OpenSearch', () => {
    it.skip('needs the OpenSearch test node: run `bash .ci/opensearch-node.sh` (Java 17 + Maven)', () =>
      undefined);
  });
}
