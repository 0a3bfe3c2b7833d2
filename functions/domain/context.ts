/** What every domain service needs: the table and the time/id ports. */
import type { Table } from '../data/table';
import type { Clock, IdGenerator } from '../platform/clock';

export interface DomainContext {
  table: Table;
  clock: Clock;
  ids: IdGenerator;
}
