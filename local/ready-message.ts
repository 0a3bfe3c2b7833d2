/**
 * What `npm start` prints once it is ready, on every start — the first, which loads the demo data,
 * and every later one, which keeps what you wrote: where to go, and the accounts to sign in with.
 */
import { DEMO_ACCOUNTS } from './identity/demo-accounts';

export function readyMessage(opts: {
  url: string;
  issuer: string;
  dataDir: string;
  seconds: string;
}): string {
  const width = Math.max(...DEMO_ACCOUNTS.map((account) => account.id.length));
  const accounts = DEMO_ACCOUNTS.map((account) => {
    const kind = [
      account.org ? `partner (${account.org})` : 'employee',
      ...(account.groups.includes('admin') ? ['admin'] : []),
    ].join(', ');
    return `    ${account.id.padEnd(width)}  ${account.name}, ${kind}`;
  }).join('\n');
  return `
Commonplace is ready in ${opts.seconds} s at ${opts.url}
  API        ${opts.url}/api   (OpenAPI: ${opts.url}/api/openapi.json, health: ${opts.url}/api/health)
  Sign-in    ${opts.issuer}   (the broker: employees pick an account; partners go on to their
             organisation's own provider at ${opts.url}/idp/<name>; no passwords)
${accounts}
             npm run token -- <account> prints a bearer token
  Mail       ${opts.url}/dev/outbox   (e-mails that would have been sent; files in ${opts.dataDir}/outbox)
  Data       ${opts.dataDir}   (npm run reset wipes it)
`;
}
