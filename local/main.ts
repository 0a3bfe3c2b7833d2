/**
 * `npm start`: runs Commonplace locally (API, identity provider, stream, web client) and, with
 * `--seed`, loads the demo data set first — only into a data folder that never held data. Prints where
 * to go and which accounts exist. A data folder it will not use is refused in one paragraph (what is
 * wrong, how to restore), never a stack.
 */
import { readyMessage } from './ready-message';
import { type LocalRuntime, startLocalRuntime } from './runtime';
import { seedDemoData } from './seed';
import { DataFolderError } from './state-file';

// performance.now() counts from the process's start: this is how long loading the modules took.
const started = performance.now();
const args = new Set(process.argv.slice(2));
let runtime: LocalRuntime;
try {
  runtime = await startLocalRuntime();
} catch (error) {
  if (!(error instanceof DataFolderError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const search = runtime.searchStart;
console.log(
  search.mode === 'snapshot'
    ? `Search index: loaded from its snapshot (${search.documents} documents, ${search.catchUp} changes to catch up) in ${(search.ms / 1000).toFixed(2)} s`
    : `Search index: rebuilt from the table (${search.reason}; ${search.documents} documents) in ${(search.ms / 1000).toFixed(2)} s`,
);

if (args.has('--seed')) {
  const folder = runtime.dataFolder;
  if (!folder || folder.fresh || folder.seeded) {
    const summary = await seedDemoData(runtime.table);
    folder?.markSeeded();
    console.log(
      summary === 'already loaded'
        ? 'Demo data: loaded on an earlier start; what you wrote is kept'
        : `Demo data: ${summary}`,
    );
  } else {
    console.log(
      'Demo data: not loaded — this data folder already held data without it (demo data goes only into a new folder: start with another DATA_DIR)',
    );
  }
}

if (args.has('--seed-only')) {
  await runtime.drain();
  await runtime.close();
  process.exit(0);
}

const seconds = ((performance.now() - started) / 1000).toFixed(2);
if (process.env.STARTUP_TIMINGS)
  console.log(
    `Start-up: modules loaded ${(started / 1000).toFixed(2)} s after the process began; then ${runtime.startupPhases
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`)
      .join(', ')}`,
  );
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
