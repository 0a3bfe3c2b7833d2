/** The fast embedded engine at N documents: index time and query latency per caller kind (as embedded.ts). */
import { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { benchmarkQueries, CALLERS, generateCorpus, percentile } from './corpus';

export async function benchFast(count: number, rounds = 5) {
  const { documents, words } = generateCorpus(count);
  const index = new FastSearchIndex();
  const started = performance.now();
  for (let i = 0; i < documents.length; i += 1000) await index.upsert(documents.slice(i, i + 1000));
  const indexMs = performance.now() - started;
  const queries = benchmarkQueries(words);
  const latencies: number[] = [];
  const totals: number[] = [];
  // Warm up once, then measure.
  for (const text of queries) await index.search({ text, limit: 20, offset: 0 }, CALLERS.employee);
  for (let round = 0; round < rounds; round++) {
    for (const caller of Object.values(CALLERS)) {
      for (const text of queries) {
        const t0 = performance.now();
        const result = await index.search({ text, limit: 20, offset: 0 }, caller);
        latencies.push(performance.now() - t0);
        totals.push(result.total);
      }
    }
  }
  return {
    engine: 'embedded (fast)',
    documents: count,
    indexSeconds: indexMs / 1000,
    queries: latencies.length,
    p50ms: percentile(latencies, 50),
    p95ms: percentile(latencies, 95),
    maxMs: Math.max(...latencies),
    medianHits: percentile(totals, 50),
    heapMB: process.memoryUsage().heapUsed / 1e6,
    postings: index.stats().postings,
    terms: index.stats().terms,
  };
}
