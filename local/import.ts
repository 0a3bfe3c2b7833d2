/**
 * `npm run import -- <folder> [--aws]`: writes an export into an EMPTY deployment — the running local
 * runtime, or (`--aws`) TABLE_NAME in AWS — through the DynamoDB API. Refuses a table that holds data
 * and an export of a newer format. The stream consumers then index what was imported; locally the home
 * feed is rebuilt at the end, in AWS run `npm run reindex -- --aws` and see docs/operations.md.
 */
import { ImportRefused, importTable } from './portability/export-import';
import { tableTarget } from './portability/target';
import { progressBar } from './progress-bar';

const args = process.argv.slice(2);
const folder = args.find((arg) => !arg.startsWith('--'));
const aws = args.includes('--aws');
if (!folder) {
  console.error('usage: npm run import -- <folder> [--aws]');
  process.exit(2);
}
try {
  const { client, tableName, where } = await tableTarget(aws);
  const bar = progressBar('Importing items');
  const written = await importTable(client, tableName, folder, (done, total) => bar.update(done, total));
  bar.finish(`Imported ${written} items into ${where}.`);
  client.destroy();
  if (!aws) {
    const response = await fetch(`http://127.0.0.1:${process.env.PORT ?? 3000}/_local/feed/rebuild`, {
      method: 'POST',
    });
    const { sources } = (await response.json()) as { sources: number };
    console.log(
      `Home feed rebuilt from ${sources} posts, pages and comments; search indexes them from the stream.`,
    );
  } else console.log('Now rebuild the search index: npm run reindex -- --aws (docs/operations.md).');
} catch (error) {
  console.error(error instanceof ImportRefused ? `Refused: ${error.message}` : (error as Error).message);
  process.exit(1);
}
