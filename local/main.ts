/**
 * `npm start`: runs Commonplace locally (API, identity provider, stream, web client) and, with
 * `--seed`, loads the demo data set first. Prints where to go and which accounts exist.
 */
import { DEMO_ACCOUNTS } from './identity/demo-accounts';
import { startLocalRuntime } from './runtime';
import { seedDemoData } from './seed';

const started = performance.now();
const args = new Set(process.argv.slice(2));
const runtime = await startLocalRuntime();

if (args.has('--seed')) {
  const summary = await seedDemoData(runtime.table);
  console.log(`Demo data: ${summary}`);
}

if (args.has('--seed-only')) {
  await runtime.drain();
  await runtime.close();
  process.exit(0);
}

const seconds = ((performance.now() - started) / 1000).toFixed(2);
console.log(`
Commonplace is ready in ${seconds} s at ${runtime.url}
  API        ${runtime.url}/api   (OpenAPI: ${runtime.url}/api/openapi.json, health: ${runtime.url}/api/health)
  Sign-in    ${runtime.issuer}
  Accounts   ${DEMO_ACCOUNTS.map((a) => a.id).join(', ')}   (npm run token -- <account> prints a bearer token)
  Data       ${process.env.DATA_DIR ?? '.data'}   (npm run reset wipes it)
`);

const shutdown = async () => {
  await runtime.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
