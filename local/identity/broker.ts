// The local stand-in for the Cognito user pool and its hosted UI: an OpenID Connect provider
// (oidc-provider) at `/oidc` of the local server that speaks the authorization-code + PKCE flow the web
// client uses against Cognito and issues Cognito-shaped tokens (`token_use`, `client_id`, `username`,
// `cognito:groups`; the ID token also `cognito:username` and `identities`).
//
// Employees (alice, bob, admin) sign in here, as native user-pool users. Partners are federated, as in
// AWS: "Sign in with Acme" (or a work e-mail whose domain's ORGDOMAIN item names the organisation)
// sends the browser to that organisation's own identity provider, whose answer comes back to
// `/oidc/oauth2/idpresponse`; the broker redeems the code, verifies the ID token, links the federated
// subject to a user id (an identity-link item), and runs the same pre-token-generation handler the
// stack deploys on a Cognito-shaped V2_0 event. A refusal ends the sign-in with `access_denied` and the
// trigger's message, which the web client shows. The providers are read from the table on every
// authorize, so one an admin adds in the app works at once.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Configuration } from 'oidc-provider';
import { createPreTokenGenerationHandler } from '../../functions/auth/pre-token-generation';
import { TableSignInDirectory } from '../../functions/auth/sign-in-directory';
import { keys } from '../../functions/data/keys';
import type { Table } from '../../functions/data/table';
import { escapeHtml } from '../../functions/domain/content/escape-html';
import { ulidGenerator } from '../../functions/platform/clock';
import { DEMO_ACCOUNTS, type DemoAccount } from './demo-accounts';
import { putIfAbsent } from './demo-organisations';
import { identityLinkKey } from './identity-link';
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

export const LOCAL_CLIENT_ID = 'commonplace-web';
/** What Cognito calls the pool; federated users are in the group `<pool id>_<provider>`, as there. */
export const LOCAL_USER_POOL_ID = 'local_commonplace';

/**
 * The resource indicator every access token is issued for. oidc-provider only issues JWT access tokens
 * for a resource server, and a resource indicator must be an absolute URI, so the API gets a URN; the
 * tokens' `aud` is set separately to the client id (see `getResourceServerInfo`).
 */
const API_RESOURCE = 'urn:commonplace:api';
const SCOPES = 'openid email profile';
const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
/** A federated round trip must come back within this, as an interaction does. */
const PENDING_TTL_MS = 10 * 60_000;

export interface Broker {
  issuer: string;
  jwksUrl: string;
  /** The `aud` of the access tokens (and of the ID tokens): the client id. */
  audience: string;
  /** Node request handler for every request whose path starts with the issuer's path. */
  callback: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface BrokerOptions {
  issuer: string;
  dataDir: string;
  redirectUris: string[];
  /** Where identity providers, organisations, domains and identity links live. */
  table: Table;
  /**
   * The origin the local partner IdPs are served at (this server): an issuer stored as a loopback
   * `http://localhost:<any port>/idp/<name>` is reached here, so the demo items survive a port change.
   */
  localOrigin?: string;
}

/** A user of the broker's "pool": what Cognito keeps, and what the trigger made of them at sign-in. */
interface PoolUser {
  sub: string;
  username: string;
  attributes: Record<string, string>;
  groups: string[];
  identities?: Record<string, string | null>[];
  accessClaims: Record<string, unknown>;
  idClaims: Record<string, unknown>;
}

/** An OIDC provider configuration as the ORG item holds it (`provider`). */
interface ProviderConfig {
  name: string;
  kind: 'oidc' | 'saml';
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
}

interface PendingFederation {
  uid: string;
  provider: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  tokenEndpoint: string;
  jwksUri: string;
  verifier: string;
  nonce: string;
  expires: number;
  /** Set once the IdP answered: how the interaction ends. */
  outcome?: { accountId: string } | { error: string; description: string };
}

export class SignInStopped extends Error {}

export async function createBroker(opts: BrokerOptions): Promise<Broker> {
  const issuer = opts.issuer.replace(/\/+$/, '');
  const mountPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const idpResponseUri = `${issuer}/oauth2/idpresponse`;
  const signingKey = loadOrCreateSigningKey(path.join(opts.dataDir, 'identity'));
  const trigger = createPreTokenGenerationHandler({ directory: new TableSignInDirectory(opts.table) });
  const users = new Map<string, PoolUser>();
  const pending = new Map<string, PendingFederation>();

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
    // Cognito's: `identity_provider` skips the hosted UI, `idp_identifier` routes by e-mail domain.
    extraParams: ['identity_provider', 'idp_identifier'],
    claims: {
      // What the trigger decided and Cognito's own claims ride along with `openid`, as in Cognito ID tokens.
      openid: ['sub', 'groups', 'org', 'token_use', 'cognito:username', 'cognito:groups', 'identities'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put the scope-requested claims into the ID token itself, as Cognito does.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: () => ({
          sub: user.sub,
          email: user.attributes.email,
          email_verified: user.attributes.email_verified === 'true',
          name: user.attributes.name,
          'cognito:username': user.username,
          ...(user.groups.length ? { 'cognito:groups': user.groups } : {}),
          ...(user.identities ? { identities: user.identities } : {}),
          token_use: 'id',
          ...user.idClaims,
        }),
      };
    },
    // The access token as Cognito's, with what the trigger added: the API reads only this token.
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token ? users.get(token.accountId) : undefined;
      if (!user) return undefined;
      return {
        ...user.accessClaims,
        token_use: 'access',
        username: user.username,
        ...(user.groups.length ? { 'cognito:groups': user.groups } : {}),
      };
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
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    // Sessions live in memory and die with the process, so throwaway cookie keys are enough.
    cookies: { keys: [randomBytes(32).toString('base64url')], names: cookieNames('broker') },
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
      ctx.body = errorPage(String(out.error_description ?? out.error));
    },
  };

  // The in-memory adapter is what we want: sessions and codes need not outlive the process, while
  // access and ID tokens are self-contained JWTs that stay verifiable across restarts.
  const provider = await withoutKnownNotices(() => new Provider(issuer, configuration));
  const handleOidc = provider.callback();

  /** Runs the deployed trigger on a Cognito-shaped V2_0 event and keeps the user with its claims. */
  async function issueFor(user: Omit<PoolUser, 'accessClaims' | 'idClaims'>): Promise<PoolUser> {
    const event = {
      version: '2',
      triggerSource: 'TokenGeneration_HostedAuth',
      region: 'local',
      userPoolId: LOCAL_USER_POOL_ID,
      userName: user.username,
      callerContext: { awsSdkVersion: 'local-broker', clientId: LOCAL_CLIENT_ID },
      request: {
        userAttributes: { ...user.attributes },
        groupConfiguration: {
          groupsToOverride: [...user.groups],
          iamRolesToOverride: [],
          preferredRole: undefined,
        },
        scopes: SCOPES.split(' '),
      },
      response: { claimsAndScopeOverrideDetails: {} },
    } as unknown as PreTokenGenerationV2TriggerEvent;
    const result = await trigger(event);
    const details = result.response.claimsAndScopeOverrideDetails;
    const signedIn: PoolUser = {
      ...user,
      accessClaims: { ...(details?.accessTokenGeneration?.claimsToAddOrOverride ?? {}) },
      idClaims: { ...(details?.idTokenGeneration?.claimsToAddOrOverride ?? {}) },
    };
    users.set(user.sub, signedIn);
    return signedIn;
  }

  /** The providers the login page offers: every organisation with one (one Query of the ORGS list). */
  async function listProviders(): Promise<{ name: string; label: string; kind: string }[]> {
    const orgs = await opts.table.query({ index: 'GSI1', partition: keys.organisationsIndex, limit: 100 });
    return orgs.items
      .filter((org) => org.provider && typeof (org.provider as ProviderConfig).name === 'string')
      .map((org) => ({
        name: (org.provider as ProviderConfig).name,
        label: String(org.name ?? org.id),
        kind: (org.provider as ProviderConfig).kind,
      }));
  }

  /** IDP item → ORG item → its provider; a SignInStopped names what is missing. */
  async function providerConfig(name: string): Promise<ProviderConfig> {
    const mapping = await opts.table.get(keys.organisationProvider(name));
    const org =
      typeof mapping?.orgId === 'string' ? await opts.table.get(keys.organisation(mapping.orgId)) : undefined;
    const config = org?.provider as ProviderConfig | undefined;
    if (!config || config.name !== name) throw new SignInStopped(`Unknown identity provider "${name}".`);
    if (config.kind !== 'oidc' || !config.issuer || !config.clientId)
      throw new SignInStopped(
        `${String(org?.name ?? name)} signs in with SAML, which the local broker cannot play; in AWS Cognito does.`,
      );
    return config;
  }

  /** The provider of the organisation that claims the address's domain (its ORGDOMAIN item). */
  async function providerForEmail(email: string): Promise<string> {
    const domain = email
      .slice(email.lastIndexOf('@') + 1)
      .trim()
      .toLowerCase();
    if (!email.includes('@') || !domain) throw new SignInStopped('Enter your work e-mail address.');
    const claim = await opts.table.get(keys.organisationDomain(domain));
    const org =
      typeof claim?.orgId === 'string' ? await opts.table.get(keys.organisation(claim.orgId)) : undefined;
    const name = (org?.provider as ProviderConfig | undefined)?.name;
    if (!name)
      throw new SignInStopped(
        `No partner organisation signs in with ${domain} addresses. Employees: choose your account above.`,
      );
    return name;
  }

  /** Where this process reaches an issuer: a loopback `/idp/<name>` is always one of its own. */
  function reachable(issuerUrl: string): string {
    const url = new URL(issuerUrl);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (opts.localOrigin && loopback && url.pathname.startsWith('/idp/'))
      return `${opts.localOrigin}${url.pathname.replace(/\/+$/, '')}`;
    return issuerUrl.replace(/\/+$/, '');
  }

  /** Sends the browser to the provider's authorization endpoint, remembering how to come back. */
  async function startFederation(
    res: ServerResponse,
    uid: string,
    providerName: string,
    loginHint?: string,
  ): Promise<void> {
    const config = await providerConfig(providerName);
    const idpIssuer = reachable(config.issuer as string);
    let discovery: { authorization_endpoint: string; token_endpoint: string; jwks_uri: string };
    try {
      const response = await fetch(`${idpIssuer}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      discovery = (await response.json()) as typeof discovery;
    } catch (error) {
      throw new SignInStopped(
        `The identity provider of ${providerName} cannot be reached (${(error as Error).message}).`,
      );
    }
    const state = randomBytes(24).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    sweep(pending);
    pending.set(state, {
      uid,
      provider: providerName,
      issuer: idpIssuer,
      clientId: config.clientId as string,
      clientSecret: config.clientSecret,
      tokenEndpoint: discovery.token_endpoint,
      jwksUri: discovery.jwks_uri,
      verifier,
      nonce,
      expires: Date.now() + PENDING_TTL_MS,
    });
    const authorize = new URL(discovery.authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: config.clientId as string,
      redirect_uri: idpResponseUri,
      response_type: 'code',
      scope: SCOPES,
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...(loginHint ? { login_hint: loginHint } : {}),
    }).toString();
    res.writeHead(303, { Location: authorize.href, 'Cache-Control': 'no-store' }).end();
  }

  /**
   * `/oauth2/idpresponse`: the provider's answer. Redeems the code, verifies the ID token, links the
   * subject, runs the trigger, then returns the browser to its interaction (whose cookie is scoped
   * there) to finish the sign-in either way.
   */
  async function idpResponse(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URL(req.url ?? '/', 'http://broker').searchParams;
    const state = params.get('state') ?? '';
    const flight = pending.get(state);
    if (!flight || flight.outcome || flight.expires < Date.now())
      return sendHtml(
        res,
        400,
        errorPage('This sign-in attempt is unknown or has expired. Start again from the app.'),
      );
    try {
      const error = params.get('error');
      if (error)
        throw new SignInStopped(
          params.get('error_description') ?? `The identity provider answered ${error}.`,
        );
      const code = params.get('code');
      if (!code) throw new SignInStopped('The identity provider sent no authorization code.');
      const idToken = await redeem(flight, code);
      const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(flight.jwksUri)), {
        issuer: flight.issuer,
        audience: flight.clientId,
        algorithms: ['RS256'],
      }).catch((cause: Error) => {
        throw new SignInStopped(`The identity provider's ID token was refused (${cause.message}).`);
      });
      if (payload.nonce !== flight.nonce)
        throw new SignInStopped("The identity provider's ID token is not for this sign-in.");
      const subject = typeof payload.sub === 'string' ? payload.sub : '';
      if (!subject) throw new SignInStopped('The identity provider named no subject.');
      const userId = await linkedUser(flight.provider, subject);
      const attributes: Record<string, string> = {
        sub: userId,
        'cognito:user_status': 'EXTERNAL_PROVIDER',
        identities: '',
      };
      // Cognito maps these (the stack maps email, email_verified and name); absent stays absent.
      if (typeof payload.email === 'string') attributes.email = payload.email;
      if (payload.email_verified !== undefined)
        attributes.email_verified = String(
          payload.email_verified === true || payload.email_verified === 'true',
        );
      if (typeof payload.name === 'string') attributes.name = payload.name;
      const identities = [
        {
          userId: subject,
          providerName: flight.provider,
          providerType: 'OIDC',
          issuer: null,
          primary: 'true',
          dateCreated: String(Date.now()),
        },
      ];
      attributes.identities = JSON.stringify(identities);
      await issueFor({
        sub: userId,
        username: `${flight.provider}_${subject}`,
        attributes,
        // Cognito puts every federated user into the group `<pool id>_<provider>`.
        groups: [`${LOCAL_USER_POOL_ID}_${flight.provider}`],
        identities,
      });
      flight.outcome = { accountId: userId };
    } catch (error) {
      const description =
        error instanceof SignInStopped || (error instanceof Error && error.name === 'SignInRefused')
          ? error.message
          : 'Sign-in failed.';
      if (!(error instanceof SignInStopped) && !(error instanceof Error && error.name === 'SignInRefused'))
        console.error('local broker: federated sign-in failed', error);
      flight.outcome = { error: 'access_denied', description };
    }
    res
      .writeHead(303, {
        Location: `${mountPath}/interaction/${flight.uid}/federated?state=${encodeURIComponent(state)}`,
        'Cache-Control': 'no-store',
      })
      .end();
  }

  async function redeem(flight: PendingFederation, code: string): Promise<string> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (flight.clientSecret)
      headers.Authorization = `Basic ${Buffer.from(
        `${encodeURIComponent(flight.clientId)}:${encodeURIComponent(flight.clientSecret)}`,
      ).toString('base64')}`;
    const response = await fetch(flight.tokenEndpoint, {
      method: 'POST',
      headers,
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: idpResponseUri,
        code_verifier: flight.verifier,
        ...(flight.clientSecret ? {} : { client_id: flight.clientId }),
      }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.id_token !== 'string')
      throw new SignInStopped(
        `The identity provider refused the code (${String(body.error_description ?? body.error ?? response.status)}).`,
      );
    return body.id_token;
  }

  /** The user id a federated subject signs in as: its identity link, made on first sign-in. */
  async function linkedUser(providerName: string, subject: string): Promise<string> {
    const key = identityLinkKey(providerName, subject);
    const link = await opts.table.get(key);
    if (typeof link?.userId === 'string') return link.userId;
    const userId = ulidGenerator.next();
    const made = await putIfAbsent(opts.table, {
      ...key,
      type: 'identity-link',
      providerName,
      subject,
      userId,
      createdAt: new Date().toISOString(),
    });
    if (made) return userId;
    // Two first sign-ins at once: the one that wrote the link wins.
    const winner = await opts.table.get(key);
    return String(winner?.userId);
  }

  /** The broker's sign-in page and what its form posts. */
  async function interaction(
    uid: string,
    federatedReturn: boolean,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const details = await provider.interactionDetails(req, res);
    const action = `${mountPath}/interaction/${uid}`;
    if (details.prompt.name !== 'login') return sendHtml(res, 400, errorPage('Unexpected prompt.'));

    if (federatedReturn) {
      const state = new URL(req.url ?? '/', 'http://broker').searchParams.get('state') ?? '';
      const flight = pending.get(state);
      pending.delete(state);
      if (!flight?.outcome || flight.uid !== uid)
        return sendHtml(
          res,
          400,
          errorPage('This sign-in attempt is unknown or has expired. Start again from the app.'),
        );
      if ('error' in flight.outcome)
        return void (await provider.interactionFinished(req, res, {
          error: flight.outcome.error,
          error_description: flight.outcome.description,
        }));
      return void (await provider.interactionFinished(
        req,
        res,
        { login: { accountId: flight.outcome.accountId } },
        { mergeWithLastSubmission: false },
      ));
    }

    const show = async (status: number, error?: string) =>
      sendHtml(res, status, loginPage(action, await listProviders(), error));
    if (req.method === 'GET') {
      // Cognito's shortcuts: straight to a named provider, or to the one of an e-mail's domain.
      const named = details.params.identity_provider;
      const identifier = details.params.idp_identifier;
      try {
        if (typeof named === 'string' && named) return await startFederation(res, uid, named);
        if (typeof identifier === 'string' && identifier)
          return await startFederation(res, uid, await providerForEmail(`x@${identifier}`));
      } catch (error) {
        if (error instanceof SignInStopped) return show(400, error.message);
        throw error;
      }
      return show(200);
    }
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'GET, POST' }).end();
    const form = new URLSearchParams(await readBody(req));
    if (form.get('cancel') !== null)
      return void (await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'End-User aborted the sign-in',
      }));
    try {
      const providerName = form.get('provider');
      if (providerName) return await startFederation(res, uid, providerName);
      const email = form.get('email');
      if (email !== null) return await startFederation(res, uid, await providerForEmail(email), email.trim());
      const accountId = form.get('account') ?? '';
      const account = employeeAccount(accountId);
      // A deactivated person (SCIM, an HR import) is refused by the trigger, as Cognito's disabled user is.
      const user = await issueFor({
        sub: account.id,
        username: account.id,
        attributes: {
          sub: account.id,
          'cognito:user_status': 'CONFIRMED',
          email: account.email,
          email_verified: 'true',
          name: account.name,
        },
        groups: account.groups.includes('admin') ? ['admin'] : [],
      });
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      if (error instanceof SignInStopped || (error instanceof Error && error.name === 'SignInRefused'))
        return show(400, error.message);
      throw error;
    }
  }

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience: LOCAL_CLIENT_ID,
    callback(req, res) {
      unmount(req, mountPath);
      const url = req.url ?? '/';
      const done = (error: unknown) => {
        const expired = error instanceof Error && error.name === 'SessionNotFound';
        if (!expired) console.error('local broker: sign-in page failed', error);
        if (!res.headersSent)
          sendHtml(
            res,
            expired ? 400 : 500,
            errorPage(
              expired ? 'This sign-in attempt has expired. Start again from the app.' : 'Sign-in failed.',
            ),
          );
      };
      if (/^\/oauth2\/idpresponse\/?(?:\?.*)?$/.test(url)) return void idpResponse(req, res).catch(done);
      const match = /^\/interaction\/([\w-]+)(\/federated)?\/?(?:\?.*)?$/.exec(url);
      if (!match) return void handleOidc(req, res);
      interaction(match[1], match[2] !== undefined, req, res).catch(done);
    },
  };
}

/** Only employees sign in at the broker itself; a partner's account lives at their own IdP. */
function employeeAccount(id: string): DemoAccount {
  const account = DEMO_ACCOUNTS.find((a) => a.id === id);
  if (!account) throw new SignInStopped(`Unknown account "${id}". Choose one of the demo accounts.`);
  if (account.org)
    throw new SignInStopped(
      `${account.name} signs in through their organisation: use "Sign in with …" below.`,
    );
  return account;
}

function sweep(pending: Map<string, PendingFederation>): void {
  const now = Date.now();
  for (const [state, flight] of pending) if (flight.expires < now) pending.delete(state);
}

function loginPage(
  action: string,
  providers: { name: string; label: string; kind: string }[],
  error?: string,
) {
  const employees = DEMO_ACCOUNTS.filter((a) => !a.org)
    .map(
      (a) =>
        `<li><button type="submit" name="account" value="${escapeHtml(a.id)}">` +
        `<strong>${escapeHtml(a.name)}</strong> <span>${escapeHtml(a.title)} · ${escapeHtml(a.groups.join(', '))}</span></button></li>`,
    )
    .join('');
  const partners = providers
    .map(
      (p) =>
        `<li><button type="submit" name="provider" value="${escapeHtml(p.name)}">Sign in with ${escapeHtml(p.label)}</button></li>`,
    )
    .join('');
  return page(
    'Sign in to Commonplace',
    `<h1>Sign in to Commonplace</h1>
<p>This is the local sign-in broker, standing in for Cognito. Employees choose a demo account; partners sign in through their own organisation.</p>
${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<fieldset><legend>Employees (demo accounts)</legend><ul>${employees}</ul></fieldset>
${partners ? `<fieldset><legend>Partners</legend><ul>${partners}</ul></fieldset>` : ''}
<button type="submit" name="cancel" value="1" class="cancel">Cancel</button>
</form>
<form method="post" action="${escapeHtml(action)}">
<label for="work-email">Work e-mail</label>
<input id="work-email" type="email" name="email" autocomplete="email" required>
<div class="row"><button type="submit" class="continue">Continue with my organisation</button></div>
</form>`,
  );
}
