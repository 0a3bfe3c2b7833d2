/**
 * OpenSearch at N documents, on the real 2.19 test node (test/opensearch-node, built by
 * `bash .ci/opensearch-node.sh`): bulk index time and latency of the same queries as the embedded run.
 * Latency is measured at the client, over loopback HTTP, so it includes the round trip.
 */
import { OpenSearchIndex } from '../../functions/search/opensearch/opensearch-index';
import { openSearchNodeAvailable, startOpenSearchNode } from '../../test/helpers/opensearch-node';
import { measureEngine } from './measure';

export async function benchOpenSearch(count: number) {
  if (!openSearchNodeAvailable())
    throw new Error('the OpenSearch test node is not built (bash .ci/opensearch-node.sh)');
  const node = await startOpenSearchNode();
  const index = OpenSearchIndex.create({ node: node.url, alias: 'bench', sigv4: false });
  try {
    await index.ensureIndex();
    return await measureEngine('OpenSearch 2.19.6 (1 node, 512 MB heap)', index, count, { batch: 2000 });
  } finally {
    await index.close();
    await node.stop();
  }
}
