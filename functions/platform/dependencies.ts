/**
 * What the API needs from the outside world. The Lambda entry builds it from environment variables
 * (aws-dependencies.ts); the local runtime builds it over dynalite and the local identity provider.
 */
import type { TokenVerifier } from '../api/auth';
import type { Table } from '../data/table';
import type { SearchIndex } from '../search/search-document';
import type { Clock, IdGenerator } from './clock';

export interface Dependencies {
  table: Table;
  clock: Clock;
  ids: IdGenerator;
  verifyToken: TokenVerifier;
  search: SearchIndex;
  /** Extra health facts (the local runtime reports its stream here). */
  health?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}
