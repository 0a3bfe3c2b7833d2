/**
 * `npm run reindex`: rebuilds the search index from the table.
 * - `--feed`: rebuilds the home feed of the running local runtime instead (every feed item deleted and
 *   regenerated from posts, pages and comments; functions/streams/feed-rebuild.ts).
 * - Locally (default): asks the running local runtime to rebuild its embedded index and shows progress.
 * - `--aws`: the operator command for a deployment. Scans the table named by TABLE_NAME and builds a
 *   new OpenSearch index at SEARCH_ENDPOINT, then moves the alias to it (no downtime). Uses the
 *   operator's AWS credentials (SigV4).
 */
import { progressBar } from './progress-bar';

const args = process.argv.slice(2);

if (args.includes('--feed')) {
  const url = `http://localhost:${process.env.PORT ?? 3000}/_local/feed/rebuild`;
  const response = await fetch(url, { method: 'POST' }).catch(() => {
    console.error(`Cannot reach the local runtime at ${url}. Is \`npm start\` running?`);
    process.exit(1);
  });
  const { deleted, sources } = (await response.json()) as { deleted: number; sources: number };
  console.log(
    `Rebuilt the home feed: ${deleted} items deleted, ${sources} posts, pages and comments replayed.`,
  );
} else if (args.includes('--aws')) {
  const { reindexAws } = await import('./reindex-aws');
  await reindexAws();
} else {
  const url = `http://localhost:${process.env.PORT ?? 3000}/_local/search/reindex`;
  const response = await fetch(url, { method: 'POST' }).catch(() => {
    console.error(`Cannot reach the local runtime at ${url}. Is \`npm start\` running?`);
    process.exit(1);
  });
  const scan = progressBar('Scanning table ');
  const index = progressBar('Indexing       ');
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const progress = JSON.parse(line);
      if (progress.phase === 'scan') scan.update(progress.done);
      else if (progress.phase === 'index') index.update(progress.done, progress.total);
      else index.finish(`Reindexed ${progress.done} documents.`);
    }
  }
}
