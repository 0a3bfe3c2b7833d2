/**
 * The runtime configuration served beside the build as /config.json, so the same build runs against
 * any API and identity provider. Two shapes are accepted: the local runtime's flat one
 * `{ apiBaseUrl, authority, clientId, redirectUri, liveRealtimeUrl }`, and the one the CDK stack writes
 * for Cognito `{ apiBaseUrl, auth: { authority, authorizationEndpoint, tokenEndpoint, logoutEndpoint,
 * clientId, redirectUri, postLogoutRedirectUri, scopes }, live: { realtimeUrl, httpHost } }`
 * (lib/constructs/web.ts).
 */
export interface RuntimeConfig {
  apiBaseUrl: string;
  authority: string;
  clientId: string;
  redirectUri: string;
  /** Where the identity provider sends the browser after sign-out; defaults to the app's root. */
  postLogoutRedirectUri?: string;
  scope: string;
  /** Known endpoints spare the client the discovery round trip (Cognito). */
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  /** Cognito's non-standard logout endpoint (client_id + logout_uri) instead of end_session. */
  logoutEndpoint?: string;
  /**
   * Live notifications over AppSync Events' WebSocket protocol: the realtime URL (absolute in AWS, a
   * path on the page's own host locally) and the host named in the auth header (the API's HTTP domain;
   * the page's host when absent). None: the bell polls.
   */
  live?: LiveEndpoint;
}

export interface LiveEndpoint {
  realtimeUrl: string;
  httpHost?: string;
}

type Raw = Partial<Omit<RuntimeConfig, 'scope'>> & {
  scope?: string;
  scopes?: string[];
  auth?: Raw;
  /** The local runtime's flat form of `live`. */
  liveRealtimeUrl?: string;
};

export function normalizeConfig(raw: Raw): RuntimeConfig {
  const auth = raw.auth ?? raw;
  const config = {
    apiBaseUrl: raw.apiBaseUrl,
    authority: auth.authority,
    clientId: auth.clientId,
    redirectUri: auth.redirectUri,
    postLogoutRedirectUri: auth.postLogoutRedirectUri,
    scope: auth.scope ?? auth.scopes?.join(' ') ?? 'openid email profile',
    authorizationEndpoint: auth.authorizationEndpoint,
    tokenEndpoint: auth.tokenEndpoint,
    logoutEndpoint: auth.logoutEndpoint,
    live: liveOf(raw),
  };
  for (const key of ['apiBaseUrl', 'authority', 'clientId', 'redirectUri'] as const) {
    if (typeof config[key] !== 'string' || !config[key]) throw new Error(`config.json has no ${key}`);
  }
  return config as RuntimeConfig;
}

function liveOf(raw: Raw): LiveEndpoint | undefined {
  const live = raw.live ?? (raw.liveRealtimeUrl ? { realtimeUrl: raw.liveRealtimeUrl } : undefined);
  if (!live || typeof live.realtimeUrl !== 'string' || !live.realtimeUrl) return undefined;
  return { realtimeUrl: live.realtimeUrl, ...(live.httpHost ? { httpHost: live.httpHost } : {}) };
}

export async function loadConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return normalizeConfig((await response.json()) as Raw);
}

/**
 * Where to send the browser first when the app was opened on another host name than the one sign-in
 * returns to (http://127.0.0.1:3000 when the redirect URI is http://localhost:3000/…): the sign-in
 * state lives in that origin's storage, so a sign-in started on the other would fail on return
 * ("No matching state found in storage"). Null when the app is already on the right origin.
 */
export function canonicalLocation(
  config: Pick<RuntimeConfig, 'redirectUri'>,
  location: Pick<Location, 'origin' | 'pathname' | 'search' | 'hash'>,
): string | null {
  let canonical: string;
  try {
    canonical = new URL(config.redirectUri).origin;
  } catch {
    return null; // a relative redirect URI works on any origin
  }
  if (canonical === location.origin) return null;
  return `${canonical}${location.pathname}${location.search}${location.hash}`;
}
