// One partner organisation's own identity provider, locally: an OpenID Connect issuer (oidc-provider)
// at `/idp/<provider>` of the local server with that organisation's people, to which the broker is a
// confidential client (client id + secret, PKCE too) — the part a supplier's Entra ID or Okta plays in
// AWS. It issues ID tokens with `email`, `email_verified` and `name`; the broker asks for nothing else.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Configuration, default as OidcProvider } from 'oidc-provider';
import { escapeHtml } from '../../functions/domain/content/escape-html';
import type { IdpUser } from './demo-accounts';
import {
  cookieNames,
  errorPage,
  loadOrCreateSigningKey,
  page,
  readBody,
  sendHtml,
  unmount,
  withoutKnownNotices,
} from './oidc-common';

const SCOPES = 'openid email profile';

export interface PartnerIdentityProvider {
  provider: string;
  issuer: string;
  callback: (req: IncomingMessage, res: ServerResponse) => void;
}

export async function createPartnerIdentityProvider(opts: {
  provider: string;
  /** The organisation's display name, shown on its login page. */
  name: string;
  issuer: string;
  dataDir: string;
  users: readonly IdpUser[];
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
}): Promise<PartnerIdentityProvider> {
  const issuer = opts.issuer.replace(/\/+$/, '');
  const mountPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const signingKey = loadOrCreateSigningKey(
    path.join(opts.dataDir, 'identity'),
    `idp-${opts.provider}-key.json`,
  );
  const findUser = (id: string) => opts.users.find((user) => user.id === id);
  const { default: Provider } = await withoutKnownNotices(() => import('oidc-provider'));

  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.client.clientId,
        client_secret: opts.client.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: opts.client.redirectUris,
      },
    ],
    jwks: { keys: [signingKey] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: SCOPES.split(' '),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Every requested claim in the ID token itself: the broker reads no userinfo endpoint.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = findUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: () => ({
          sub: user.id,
          email: user.email,
          email_verified: user.emailVerified,
          name: user.name,
        }),
      };
    },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: false } },
    // The broker is the organisation's trusted client: consent is implied.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')], names: cookieNames(`idp_${opts.provider}`) },
    ttl: {
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error_description ?? out.error));
    },
  };
  const provider = await withoutKnownNotices(() => new Provider(issuer, configuration));
  const handleOidc = provider.callback();

  return {
    provider: opts.provider,
    issuer,
    callback(req, res) {
      unmount(req, mountPath);
      const match = /^\/interaction\/([\w-]+)\/?(?:\?.*)?$/.exec(req.url ?? '');
      if (!match) return void handleOidc(req, res);
      login(
        provider,
        `${mountPath}/interaction/${match[1]}`,
        opts.name,
        findUser,
        opts.users,
        req,
        res,
      ).catch((error: unknown) => {
        const expired = error instanceof Error && error.name === 'SessionNotFound';
        if (!expired) console.error(`local identity provider ${opts.provider}: sign-in page failed`, error);
        if (!res.headersSent)
          sendHtml(
            res,
            expired ? 400 : 500,
            errorPage(
              expired ? 'This sign-in attempt has expired. Start again from the app.' : 'Sign-in failed.',
            ),
          );
      });
    },
  };
}

/** The organisation's login page: one button per person. Any other account id is refused. */
async function login(
  provider: OidcProvider,
  action: string,
  orgName: string,
  findUser: (id: string) => IdpUser | undefined,
  users: readonly IdpUser[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') return sendHtml(res, 400, errorPage('Unexpected prompt.'));
  const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
  if (req.method === 'GET') return sendHtml(res, 200, loginPage(action, orgName, users, hint));
  if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'GET, POST' }).end();
  const form = new URLSearchParams(await readBody(req));
  if (form.get('cancel') !== null) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted the sign-in',
    });
    return;
  }
  const accountId = form.get('account') ?? '';
  const user = findUser(accountId);
  if (!user)
    return sendHtml(
      res,
      400,
      loginPage(action, orgName, users, hint, `Unknown account "${accountId}" at ${orgName}.`),
    );
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.id } },
    { mergeWithLastSubmission: false },
  );
}

function loginPage(
  action: string,
  orgName: string,
  users: readonly IdpUser[],
  hint?: string,
  error?: string,
) {
  const buttons = users
    .map(
      (u) =>
        `<li><button type="submit" name="account" value="${escapeHtml(u.id)}"${u.email === hint ? ' autofocus' : ''}>` +
        `<strong>${escapeHtml(u.name)}</strong> <span>${escapeHtml(u.email)} · ${escapeHtml(u.title)}</span></button></li>`,
    )
    .join('');
  return page(
    `${orgName} sign-in`,
    `<h1>${escapeHtml(orgName)} sign-in</h1>
<p>This is ${escapeHtml(orgName)}'s own identity provider (local demo). Choose who you are.</p>
${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<fieldset><legend>${escapeHtml(orgName)} accounts</legend><ul>${buttons}</ul></fieldset>
<button type="submit" name="cancel" value="1" class="cancel">Cancel</button>
</form>`,
  );
}
