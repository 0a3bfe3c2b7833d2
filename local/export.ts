/**
 * `npm run export -- <folder> [--aws]`: everything, as JSON Lines per module (people, organisations,
 * spaces, posts, comments, likes, pages with every version, bookmarks, subscriptions), from the
 * running local runtime or (`--aws`) from TABLE_NAME in AWS. Derived items are left out (see
 * local/portability/modules.ts); `npm run import` rebuilds them.
 */
import { exportTable } from './portability/export-import';
import { tableTarget } from './portability/target';
import { progressBar } from './progress-bar';

const args = process.argv.slice(2);
const folder = args.find((arg) => !arg.startsWith('--'));
if (!folder) {
  console.error('usage: npm run export -- <folder> [--aws]');
  process.exit(2);
}
try {
  const { client, tableName, where } = await tableTarget(args.includes('--aws'));
  const bar = progressBar('Exporting items');
  const manifest = await exportTable(client, tableName, folder, (done) => bar.update(done));
  const counts = Object.entries(manifest.items)
    .map(([module, n]) => `${module} ${n}`)
    .join(', ');
  bar.finish(`Exported ${where} to ${folder}: ${counts} (${manifest.derivedLeftOut} derived items left out)`);
  client.destroy();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
