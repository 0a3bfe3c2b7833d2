/**
 * `npm run migrate:directory`: writes the people directory's entries for the profiles of a deployed
 * table — once after upgrading to the directory. `TABLE_NAME=… AWS_REGION=… npm run migrate:directory`
 * (DYNAMODB_ENDPOINT=http://… for another endpoint). Idempotent; the local runtime runs the same
 * backfill by itself at its first start after the upgrade.
 */
import { createDocumentClient, Table } from '../functions/data/table';
import { backfillDirectory } from '../functions/domain/people/directory-backfill';

const tableName = process.env.TABLE_NAME;
if (!tableName) {
  console.error('TABLE_NAME is not set. Usage: TABLE_NAME=… AWS_REGION=… npm run migrate:directory');
  process.exit(2);
}
const client = createDocumentClient(
  process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {},
);
const profiles = await backfillDirectory(client, new Table(client, tableName));
console.log(`People directory: entries written for ${profiles} profiles.`);
client.destroy();
