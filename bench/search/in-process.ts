/** The two embedded engines at N documents (MiniSearch, the reference; FastSearchIndex, what runs). */
import { EmbeddedSearchIndex } from '../../functions/search/embedded/embedded-index';
import { FastSearchIndex } from '../../functions/search/embedded/fast-index';
import { measureEngine } from './measure';

export const benchEmbedded = (count: number) =>
  measureEngine('embedded (MiniSearch)', new EmbeddedSearchIndex(), count);

export async function benchFast(count: number) {
  const index = new FastSearchIndex();
  const result = await measureEngine('embedded (fast)', index, count);
  const { postings, terms } = index.stats();
  return { ...result, postings, terms };
}
