/** `npm run token -- <account>`: prints a bearer token for a demo account from the running local runtime. */
import { DEMO_ACCOUNTS } from './identity/demo-accounts';
import { fetchToken } from './identity/token-client';

const account = process.argv[2];
if (!account) {
  console.error(`usage: npm run token -- <account>   (one of: ${DEMO_ACCOUNTS.map((a) => a.id).join(', ')})`);
  process.exit(2);
}
const issuer = `http://localhost:${process.env.PORT ?? 3000}/oidc`;
try {
  const { accessToken } = await fetchToken(issuer, account);
  console.log(accessToken);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
