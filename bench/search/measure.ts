/**
 * One measurement for any SearchIndex: bulk-load the corpus (then refresh), warm up once, then time
 * every benchmark query for every caller kind, `rounds` times. Same corpus, same queries for every engine.
 */
import type { SearchIndex } from '../../functions/domain/search/search-document';
import { benchmarkQueries, CALLERS, generateCorpus, percentile } from './corpus';

export async function measureEngine(
  engine: string,
  index: SearchIndex,
  count: number,
  options: { batch?: number; rounds?: number } = {},
) {
  const { batch = 1000, rounds = 5 } = options;
  const { documents, words } = generateCorpus(count);
  const started = performance.now();
  for (let i = 0; i < documents.length; i += batch) await index.upsert(documents.slice(i, i + batch));
  await index.refresh();
  const indexMs = performance.now() - started;
  const queries = benchmarkQueries(words);
  for (const text of queries) await index.search({ text, limit: 20, offset: 0 }, CALLERS.employee);
  const latencies: number[] = [];
  const totals: number[] = [];
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
    engine,
    documents: count,
    indexSeconds: indexMs / 1000,
    queries: latencies.length,
    p50ms: percentile(latencies, 50),
    p95ms: percentile(latencies, 95),
    maxMs: Math.max(...latencies),
    medianHits: percentile(totals, 50),
    heapMB: process.memoryUsage().heapUsed / 1e6,
  };
}
