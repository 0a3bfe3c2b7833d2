/**
 * What every Lambda and the local runtime give the domain: the table, the clock and ids. The Lambda
 * entries build it from their environment (aws-dependencies.ts); the local runtime over dynalite.
 */
import type { Table } from '../data/table';
import type { Clock, IdGenerator } from './clock';

export interface CoreDependencies {
  table: Table;
  clock: Clock;
  ids: IdGenerator;
}
