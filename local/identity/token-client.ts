// Gets tokens from the local broker the way a browser would: the real authorization-code + PKCE flow
// over HTTP, following redirects by hand and keeping the cookies. An employee is picked on the broker's
// page; a partner goes on by their work e-mail to their organisation's own identity provider, is picked
// there, and comes back through the broker (which runs the pre-token trigger). Nothing listens on the
// redirect URI: the code is read from the redirect itself. Used by `npm run token -- <account>` and by
// the integration tests.
import { createHash, randomBytes } from 'node:crypto';
import { DEMO_ACCOUNTS, PARTNER_IDPS } from './demo-accounts';

export interface TokenSet {
  accessToken: string;
  idToken: string;
}

/** What the authorization step yields: everything needed to redeem the code at the token endpoint. */
export interface AuthorizationCode {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  clientId: string;
  tokenEndpoint: string;
}

export interface FetchTokenOptions {
  /** Defaults to `/auth/callback` on the issuer's origin: the web client's callback. */
  redirectUri?: string;
  clientId?: string;
  /**
   * How a federated account reaches its IdP: the work e-mail typed at the broker (default: the demo
   * account's or the demo IdP user's address), or a provider button to press instead.
   */
  email?: string;
  provider?: string;
}

/** An OAuth error answered by the provider, e.g. `invalid_grant`; `code` is the OAuth error code. */
export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly code: string,
    description?: string,
  ) {
    super(description ? `${code}: ${description}` : code);
  }
}

export async function fetchToken(
  issuer: string,
  accountId: string,
  opts: FetchTokenOptions = {},
): Promise<TokenSet> {
  return exchangeCode(await authorize(issuer, accountId, opts));
}

/** Signs in as `accountId` and returns the authorization code with the PKCE verifier that redeems it. */
export async function authorize(
  issuer: string,
  accountId: string,
  opts: FetchTokenOptions = {},
): Promise<AuthorizationCode> {
  const clientId = opts.clientId ?? 'commonplace-web';
  const redirectUri = opts.redirectUri ?? new URL('/auth/callback', issuer).href;
  const discovery = await discover(issuer);
  const codeVerifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const browser = new CookieBrowser(redirectUri);

  const authorizationUrl = new URL(discovery.authorization_endpoint);
  authorizationUrl.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  let step = await browser.navigate(authorizationUrl);
  // The broker's page, then (for a partner) their IdP's page: at most a few forms before the redirect.
  for (let form = 0; form < 4 && 'page' in step; form++) {
    const html = await step.page.text();
    const actions = [...html.matchAll(/<form[^>]*\saction="([^"]+)"/g)].map((m) => m[1]);
    if (step.page.status !== 200 || actions.length === 0) {
      throw new Error(
        `The local identity provider refused to sign in "${accountId}" (HTTP ${step.page.status}): ${alertText(html)}` +
          ` Known accounts: ${knownAccounts().join(', ')}.`,
      );
    }
    const action = new URL(decodeHtml(actions[0]), step.url);
    const hasAccount = html.includes(`name="account" value="${accountId}"`);
    let body: URLSearchParams;
    if (hasAccount || form > 0) body = new URLSearchParams({ account: accountId });
    else if (opts.provider) body = new URLSearchParams({ provider: opts.provider });
    else {
      const email = opts.email ?? emailOf(accountId);
      // An unknown id is posted as is: the page's refusal names the problem.
      body = email ? new URLSearchParams({ email }) : new URLSearchParams({ account: accountId });
      if (email) {
        const emailForm = actions.length > 1 ? actions[actions.length - 1] : actions[0];
        step = await browser.navigate(new URL(decodeHtml(emailForm), step.url), { method: 'POST', body });
        continue;
      }
    }
    step = await browser.navigate(action, { method: 'POST', body });
  }
  if ('page' in step) {
    const refusal = await step.page.text();
    throw new Error(
      `The local identity provider refused to sign in "${accountId}" (HTTP ${step.page.status}): ${alertText(refusal)}` +
        ` Known accounts: ${knownAccounts().join(', ')}.`,
    );
  }

  const params = step.callback.searchParams;
  const error = params.get('error');
  if (error) throw new OAuthError(error, params.get('error_description') ?? undefined);
  if (params.get('state') !== state) throw new Error('The authorization response carries the wrong state');
  const code = params.get('code');
  if (!code) throw new Error(`The authorization response has no code: ${step.callback.href}`);
  return { code, codeVerifier, redirectUri, clientId, tokenEndpoint: discovery.token_endpoint };
}

/** Redeems an authorization code at the token endpoint; `codeVerifier` overrides the one from `authorize`. */
export async function exchangeCode(
  authorization: AuthorizationCode,
  codeVerifier = authorization.codeVerifier,
): Promise<TokenSet> {
  const response = await fetch(authorization.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: authorization.code,
      redirect_uri: authorization.redirectUri,
      client_id: authorization.clientId,
      code_verifier: codeVerifier,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new OAuthError(
      String(body.error ?? `http_${response.status}`),
      body.error_description as string | undefined,
    );
  }
  if (typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
    throw new Error('The token response lacks an access_token or id_token');
  }
  return { accessToken: body.access_token, idToken: body.id_token };
}

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new Error(`Cannot reach the identity provider at ${url}. Is \`npm start\` running?`, { cause });
  }
  if (!response.ok) throw new Error(`Discovery at ${url} answered HTTP ${response.status}`);
  return (await response.json()) as { authorization_endpoint: string; token_endpoint: string };
}

type Step = { callback: URL } | { page: Response; url: URL };

/** Just enough of a browser: follows redirects, keeps cookies, and stops at the redirect URI. */
class CookieBrowser {
  private readonly cookies = new Map<string, string>();
  private readonly callback: URL;

  constructor(redirectUri: string) {
    this.callback = new URL(redirectUri);
  }

  async navigate(start: URL, init: { method?: string; body?: URLSearchParams } = {}): Promise<Step> {
    let url = start;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(url, {
        method: request.method ?? 'GET',
        body: request.body,
        redirect: 'manual',
        headers: { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      this.remember(response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { page: response, url };
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.origin === this.callback.origin && url.pathname === this.callback.pathname)
        return { callback: url };
      request = {}; // every redirect the flow uses (302, 303) turns into a GET
    }
    throw new Error(`Too many redirects, last at ${url}`);
  }

  private remember(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The work e-mail of a demo account or of a person at a demo partner IdP. */
function emailOf(accountId: string): string | undefined {
  const account = DEMO_ACCOUNTS.find((a) => a.id === accountId);
  if (account) return account.org ? account.email : undefined;
  return PARTNER_IDPS.flatMap((idp) => idp.users).find((user) => user.id === accountId)?.email;
}

function knownAccounts(): string[] {
  return DEMO_ACCOUNTS.map((a) => a.id);
}

function alertText(html: string): string {
  const text = /role="alert"[^>]*>([\s\S]*?)<\//.exec(html)?.[1];
  return text ? decodeHtml(text).trim() : html.slice(0, 200);
}

function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
