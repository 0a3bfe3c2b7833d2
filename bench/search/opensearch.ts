/**
 * OpenSearch at N documents, on the real 2.19 test node (test/opensearch-node, built by
 * `bash .ci/opensearch-node.sh`): bulk index time and latency of the same queries as the embedded run.
 * Latency is measured at the client, over loopback HTTP, so it includes the round trip.
 */
import { OpenSearchIndex } from '../../functions/search/opensearch/opensearch-index';
import { openSearchNodeAvailable, startOpenSearchNode } from '../../test/helpers/opensearch-node';
import { benchmarkQueries, CALLERS, generateCorpus, percentile } from './corpus';

export async function benchOpenSearch(count: number, rounds = 5) {
  if (!openSearchNodeAvailable())
    throw new Error('the OpenSearch test node is not built (bash .ci/opensearch-node.sh)');
  const node = await startOpenSearchNode();
  try {
    const index = OpenSearchIndex.create({ node: node.url, alias: 'bench', sigv4: false });
    await index.ensureIndex();
    const { documents, words } = generateCorpus(count);
    const started = performance.now();
    for (let i = 0; i < documents.length; i += 2000) await index.upsert(documents.slice(i, i + 2000));
    await index.refresh();
    const indexMs = performance.now() - started;
    const queries = benchmarkQueries(words);
    for (const text of queries) await index.search({ text, limit: 20, offset: 0 }, CALLERS.employee);
    const latencies: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const caller of Object.values(CALLERS)) {
        for (const text of queries) {
          const t0 = performance.now();
          await index.search({ text, limit: 20, offset: 0 }, caller);
          latencies.push(performance.now() - t0);
        }
      }
    }
    await index.close();
    return {
      engine: 'OpenSearch 2.19.6 (1 node, 512 MB heap)',
      documents: count,
      indexSeconds: indexMs / 1000,
      queries: latencies.length,
      p50ms: percentile(latencies, 50),
      p95ms: percentile(latencies, 95),
    };
  } finally {
    await node.stop();
  }
}
