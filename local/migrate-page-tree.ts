/**
 * `npm run migrate:page-tree`: builds the wiki's page tree nodes (and their child counts) from the
 * pages of a deployed table — once after upgrading to tree nodes, or again to repair counts. Uses the
 * operator's AWS credentials: `TABLE_NAME=… AWS_REGION=… npm run migrate:page-tree`
 * (DYNAMODB_ENDPOINT=http://… points it at another endpoint). Idempotent; see
 * functions/domain/wiki/page-tree-backfill.ts. The local runtime runs the same backfill by itself at
 * its first start after the upgrade.
 */
import { createDocumentClient, Table } from '../functions/data/table';
import { backfillPageTree } from '../functions/domain/wiki/page-tree-backfill';
import { progressBar } from './progress-bar';

const tableName = process.env.TABLE_NAME;
if (!tableName) {
  console.error('TABLE_NAME is not set. Usage: TABLE_NAME=… AWS_REGION=… npm run migrate:page-tree');
  process.exit(2);
}
const client = createDocumentClient(
  process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {},
);
const scan = progressBar('Scanning table ');
const outcome = await backfillPageTree(client, new Table(client, tableName), (done) => scan.update(done));
scan.finish(
  `Page tree: ${outcome.pages} pages, ${outcome.written} nodes written, ${outcome.removed} stale items removed.`,
);
client.destroy();
