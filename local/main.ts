/**
 * `npm start`: runs Commonplace locally (API, identity provider, stream, web client) and, with
 * `--seed`, loads the demo data set first. Prints where to go and which accounts exist.
 */
import { readyMessage } from './ready-message';
import { startLocalRuntime } from './runtime';
import { seedDemoData } from './seed';

const started = performance.now();
const args = new Set(process.argv.slice(2));
const runtime = await startLocalRuntime();
const search = runtime.searchStart;
console.log(
  search.mode === 'snapshot'
    ? `Search index: loaded from its snapshot (${search.documents} documents, ${search.catchUp} changes to catch up) in ${(search.ms / 1000).toFixed(2)} s`
    : `Search index: rebuilt from the table (${search.reason}; ${search.documents} documents) in ${(search.ms / 1000).toFixed(2)} s`,
);

if (args.has('--seed')) {
  const summary = await seedDemoData(runtime.table);
  console.log(
    summary === 'already loaded'
      ? 'Demo data: loaded on an earlier start; what you wrote is kept'
      : `Demo data: ${summary}`,
  );
}

if (args.has('--seed-only')) {
  await runtime.drain();
  await runtime.close();
  process.exit(0);
}

const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(
  readyMessage({
    url: runtime.url,
    issuer: runtime.issuer,
    dataDir: process.env.DATA_DIR ?? '.data',
    seconds,
  }),
);

const shutdown = async () => {
  await runtime.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
