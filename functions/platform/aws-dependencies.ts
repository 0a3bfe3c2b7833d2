/**
 * What every Lambda builds from its environment (set by the CDK constructs), once per container: the
 * table, the clock and ids. Only the search Lambda and the indexer add the OpenSearch index
 * (`openSearchFromEnv`), so no other bundle carries the OpenSearch client.
 */
import { createDocumentClient, Table } from '../data/table';
import { systemClock, ulidGenerator } from './clock';
import type { CoreDependencies } from './dependencies';
import { ENV, requiredEnv } from './environment';

export function awsCoreDependencies(): CoreDependencies {
  return {
    table: new Table(createDocumentClient(), requiredEnv(ENV.tableName)),
    clock: systemClock,
    ids: ulidGenerator,
  };
}
