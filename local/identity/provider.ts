// The local stand-in for the Cognito hosted UI: an OpenID Connect provider (oidc-provider) with the demo
// accounts, speaking the same authorization-code + PKCE flow the web client uses against Cognito.
//
// It is mounted under the issuer's path (e.g. `/oidc` of `http://localhost:3000/oidc`) on the local
// server: `callback` accepts requests whose URL still carries that prefix, strips it and remembers the
// original URL in `req.originalUrl`, which is how oidc-provider learns its mount path when it builds
// endpoint URLs (the same convention as connect/express mounting).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Configuration, JWK, default as OidcProvider } from 'oidc-provider';
import { escapeHtml } from '../../functions/domain/content/escape-html';
import { DEMO_ACCOUNTS, type DemoAccount, findDemoAccount } from './demo-accounts';

export const LOCAL_CLIENT_ID = 'commonplace-web';

/**
 * The resource indicator every access token is issued for. oidc-provider only issues JWT access tokens
 * for a resource server, and a resource indicator must be an absolute URI, so the API gets a URN; the
 * tokens' `aud` is set separately to the client id (see `getResourceServerInfo`).
 */
const API_RESOURCE = 'urn:commonplace:api';
const SCOPES = 'openid email profile';
const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;

export interface IdentityProvider {
  issuer: string;
  jwksUrl: string;
  /** The `aud` of the access tokens (and of the ID tokens): the client id. */
  audience: string;
  /** Node request handler for every request whose path starts with the issuer's path. */
  callback: (req: IncomingMessage, res: ServerResponse) => void;
}

export async function createIdentityProvider(opts: {
  issuer: string;
  dataDir: string;
  redirectUris: string[];
  /** Whether an account may sign in: a person deactivated (SCIM, an HR import) may not. Default: all may. */
  maySignIn?: (accountId: string) => Promise<boolean>;
}): Promise<IdentityProvider> {
  const maySignIn = opts.maySignIn ?? (async () => true);
  const issuer = opts.issuer.replace(/\/+$/, '');
  const mountPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const signingKey = loadOrCreateSigningKey(path.join(opts.dataDir, 'identity'));

  const { default: Provider, errors } = await withoutKnownNotices(() => import('oidc-provider'));

  const configuration: Configuration = {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        // A browser app and a CLI cannot keep a secret: a public client, protected by PKCE instead.
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: opts.redirectUris,
        // Sign-out returns to the app's own pages (the origins of the redirect URIs).
        post_logout_redirect_uris: [...new Set(opts.redirectUris.map((uri) => `${new URL(uri).origin}/`))],
      },
    ],
    jwks: { keys: [signingKey] },
    // Only the authorization code flow; PKCE (S256 is the only method oidc-provider 9 accepts) always.
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: SCOPES.split(' '),
    claims: {
      // groups and org ride along with `openid` so that any ID token carries what authorization needs.
      openid: ['sub', 'groups', 'org'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put the scope-requested claims into the ID token itself, as Cognito does, instead of leaving
    // them to the userinfo endpoint.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const account = findDemoAccount(sub);
      // A deactivated person gets no tokens, not even from a session that is still open.
      if (!account || !(await maySignIn(account.id))) return undefined;
      return {
        accountId: account.id,
        claims: () => ({ sub: account.id, email_verified: true, ...profileClaims(account) }),
      };
    },
    // The API reads who the caller is from the access token alone, as it does with Cognito tokens.
    extraTokenClaims: (_ctx, token) => {
      const account = 'accountId' in token ? findDemoAccount(token.accountId) : undefined;
      // token_use as Cognito sets it: the API accepts access tokens only.
      return account ? { ...profileClaims(account), token_use: 'access' } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      // Sign-out without an extra confirmation page, as Cognito's /logout does: the provider's form
      // submits itself (a button remains for browsers without JavaScript).
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head><body><main><h1>Signing out…</h1>${form.replace('</form>', '<button type="submit" name="logout" value="yes">Sign out</button></form>')}<script>document.forms[0].requestSubmit ? (function(f){var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();})(document.forms[0]) : document.forms[0].submit();</script></main></body></html>`;
        },
      },
      // No userinfo endpoint: the ID token already carries every claim, and with it enabled
      // oidc-provider would answer `openid` requests with an opaque access token meant only for it.
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Every authorization request is for the API, whether or not it names a `resource`.
        defaultResource: () => API_RESOURCE,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: SCOPES,
            // oidc-provider would use the resource indicator as `aud`; the API checks for the client id.
            audience: LOCAL_CLIENT_ID,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // The client is first party: consent is implied, so there is never a consent screen.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(SCOPES);
      grant.addResourceScope(API_RESOURCE, SCOPES);
      await grant.save();
      return grant;
    },
    interactions: {
      url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}`,
    },
    // Sessions live in memory and die with the process, so throwaway cookie keys are enough.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      Interaction: 10 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<h1>Sign-in error</h1><p role="alert">${escapeHtml(String(out.error_description ?? out.error))}</p>`,
      );
    },
  };

  // The in-memory adapter is what we want: sessions and codes need not outlive the process, while
  // access and ID tokens are self-contained JWTs that stay verifiable across restarts.
  const provider = await withoutKnownNotices(() => new Provider(issuer, configuration));
  const handleOidc = provider.callback();

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience: LOCAL_CLIENT_ID,
    callback(req, res) {
      const originalUrl = req.url ?? '/';
      if (mountPath && originalUrl.startsWith(mountPath)) {
        Object.assign(req, { originalUrl });
        req.url = originalUrl.slice(mountPath.length) || '/';
        if (!req.url.startsWith('/')) req.url = `/${req.url}`;
      }
      const match = /^\/interaction\/([\w-]+)\/?(?:\?.*)?$/.exec(req.url ?? '');
      if (!match) {
        handleOidc(req, res);
        return;
      }
      handleInteraction(provider, `${mountPath}/interaction/${match[1]}`, req, res, maySignIn).catch(
        (error: unknown) => {
          const name = error instanceof Error ? error.name : '';
          // A missing or expired interaction cookie is the user's situation, not a server fault.
          const status = name === 'SessionNotFound' ? 400 : 500;
          if (status === 500) console.error('local identity provider: sign-in page failed', error);
          const message =
            status === 400
              ? 'This sign-in attempt has expired. Start again from the app.'
              : 'Sign-in failed.';
          if (!res.headersSent)
            sendHtml(
              res,
              status,
              page('Sign-in error', `<h1>Sign-in error</h1><p role="alert">${message}</p>`),
            );
        },
      );
    },
  };
}

function profileClaims(account: DemoAccount) {
  return {
    email: account.email,
    name: account.name,
    groups: [...account.groups],
    ...(account.org ? { org: account.org } : {}),
  };
}

/** The login page: one button per demo account. Posting any other account id is refused. */
async function handleInteraction(
  provider: OidcProvider,
  action: string,
  req: IncomingMessage,
  res: ServerResponse,
  maySignIn: (accountId: string) => Promise<boolean>,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    // Consent is granted by loadExistingGrant, so login is the only prompt this provider asks.
    sendHtml(res, 400, page('Sign-in error', `<h1>Sign-in error</h1><p role="alert">Unexpected prompt.</p>`));
    return;
  }
  if (req.method === 'GET') {
    sendHtml(res, 200, loginPage(action));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'GET, POST' }).end();
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  if (form.get('cancel') !== null) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted the sign-in',
    });
    return;
  }
  const accountId = form.get('account') ?? '';
  const account = findDemoAccount(accountId);
  if (!account) {
    sendHtml(res, 400, loginPage(action, `Unknown account "${accountId}". Choose one of the demo accounts.`));
    return;
  }
  if (!(await maySignIn(account.id))) {
    sendHtml(
      res,
      403,
      loginPage(action, `The account "${account.id}" has been deactivated and cannot sign in.`),
    );
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.id } },
    { mergeWithLastSubmission: false },
  );
}

function loginPage(action: string, error?: string): string {
  const buttons = DEMO_ACCOUNTS.map(
    (a) =>
      `<li><button type="submit" name="account" value="${escapeHtml(a.id)}">` +
      `<strong>${escapeHtml(a.name)}</strong> <span>${escapeHtml(a.title)} · ${escapeHtml(a.groups.join(', '))}` +
      `${a.org ? ` · ${escapeHtml(a.org)}` : ''}</span></button></li>`,
  ).join('');
  return page(
    'Sign in to Commonplace',
    `<h1>Sign in to Commonplace</h1>
<p>This is the local identity provider. Choose a demo account to sign in as.</p>
${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<fieldset><legend>Demo accounts</legend><ul>${buttons}</ul></fieldset>
<button type="submit" name="cancel" value="1" class="cancel">Cancel</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
fieldset{border:0;padding:0}legend{font-weight:600;margin-bottom:.5rem}ul{list-style:none;padding:0}
li button{display:block;width:100%;text-align:left;padding:.75rem 1rem;margin:.25rem 0;font:inherit;cursor:pointer;
border:1px solid #888;border-radius:.375rem;background:#fff}li button span{display:block;color:#444;font-size:.9em}
button:focus-visible{outline:3px solid #1a56db;outline-offset:2px}.error{color:#a40000;font-weight:600}
.cancel{margin-top:1rem;font:inherit;padding:.5rem 1rem}
</style></head><body><main>${body}</main></body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: the sign-in form redirects on to the client's redirect URI, which may be elsewhere.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Error('request body too large');
  }
  return body;
}

/**
 * The RS256 signing key is made on first start and kept under `.data/identity/`, so tokens issued
 * before a restart still verify after it (and `npm run token` output stays usable).
 */
function loadOrCreateSigningKey(dir: string): JWK {
  const file = path.join(dir, 'signing-key.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' } as JWK;
  mkdirSync(dir, { recursive: true });
  // Write then rename, so a crash never leaves a half-written key behind.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(jwk), { mode: 0o600 });
  renameSync(partial, file);
  return jwk;
}

/**
 * oidc-provider prints notices that say nothing actionable here: it asks for Node 22 (it runs fine
 * on the Node 20 we develop on) and warns that its in-memory adapter loses state on restart, which
 * is intended locally. Everything else it prints is let through.
 */
async function withoutKnownNotices<T>(fn: () => T | Promise<T>): Promise<T> {
  const known = ['Unsupported runtime', 'in-memory adapter'];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && known.some((notice) => (args[0] as string).includes(notice))) return;
    warn.apply(console, args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}
