/** Lambda entry of the search module: the only API Lambda with the OpenSearch client. */
import { openSearchFromEnv } from '../../search/opensearch/opensearch-from-env';
import { searchModule } from '../modules/search';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(searchModule, { search: openSearchFromEnv() });
