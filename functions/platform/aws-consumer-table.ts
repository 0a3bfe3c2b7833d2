/**
 * The table of a stream or queue consumer in AWS: a consumer handles a batch's records concurrently,
 * so the reads and batch writes its records make in one turn of the event loop go out as one request
 * (coalescing-table.ts) — as the local runtime's consumers do. Its own module, so the API Lambdas,
 * which gain nothing by it, do not carry it.
 */
import { CoalescingTable } from '../data/coalescing-table';
import { createDocumentClient } from '../data/table';
import { ENV, requiredEnv } from './environment';

export function awsConsumerTable(): CoalescingTable {
  return new CoalescingTable(createDocumentClient(), requiredEnv(ENV.tableName));
}
