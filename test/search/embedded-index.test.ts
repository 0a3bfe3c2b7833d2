import { EmbeddedSearchIndex } from '../../functions/search/embedded/embedded-index';
import { searchIndexContract } from './search-index.contract';

searchIndexContract('embedded (MiniSearch)', async () => ({
  index: new EmbeddedSearchIndex(),
  close: async () => undefined,
}));
