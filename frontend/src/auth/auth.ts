/**
 * Sign-in with the authorization-code flow and PKCE through oidc-client-ts: against the local
 * identity provider under `npm start`, against Cognito's hosted UI in AWS. The user (tokens and ID
 * token claims) is kept in localStorage so that every tab of the app shares one sign-in.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { RuntimeConfig } from '../config';

export interface SignedInUser {
  id: string;
  name: string;
  email?: string;
  /** Partner organisation: set for external users. */
  org?: string;
  groups: string[];
  accessToken: string;
  expiresAt?: number;
}

export interface Auth {
  manager: UserManager;
  current(): Promise<SignedInUser | null>;
  signIn(returnTo: string): Promise<void>;
  /** Completes a sign-in on the callback route; returns where the user was going. */
  completeSignIn(): Promise<{ user: SignedInUser; returnTo: string }>;
  signOut(): Promise<void>;
}

export function toSignedInUser(user: User): SignedInUser {
  const claims = user.profile as Record<string, unknown>;
  const groups = Array.isArray(claims.groups)
    ? (claims.groups as string[])
    : Array.isArray(claims['cognito:groups'])
      ? (claims['cognito:groups'] as string[])
      : [];
  return {
    id: user.profile.sub,
    name: (claims.name as string) ?? (claims.email as string) ?? user.profile.sub,
    email: claims.email as string | undefined,
    org: (claims.org as string | undefined) ?? (claims['custom:org'] as string | undefined),
    groups,
    accessToken: user.access_token,
    expiresAt: user.expires_at,
  };
}

/** Only same-origin paths may be returned to after sign-in. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

/** Set while signing out, so the welcome screen can say so when the provider sends the browser back. */
export const SIGNED_OUT = 'commonplace:signed-out';

let pendingCallback: Promise<{ user: SignedInUser; returnTo: string }> | undefined;

export function createAuth(config: RuntimeConfig): Auth {
  const origin = window.location.origin;
  const postLogoutRedirectUri = config.postLogoutRedirectUri ?? `${origin}/`;
  const manager = new UserManager({
    authority: config.authority,
    ...(config.authorizationEndpoint && config.tokenEndpoint
      ? {
          metadata: {
            issuer: config.authority,
            authorization_endpoint: config.authorizationEndpoint,
            token_endpoint: config.tokenEndpoint,
            ...(config.logoutEndpoint ? { end_session_endpoint: config.logoutEndpoint } : {}),
          },
        }
      : {}),
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    post_logout_redirect_uri: postLogoutRedirectUri,
    response_type: 'code',
    scope: config.scope,
    userStore: new WebStorageStateStore({ store: window.localStorage }),
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
  });

  return {
    manager,
    async current() {
      const user = await manager.getUser();
      if (!user || user.expired) return null;
      return toSignedInUser(user);
    },
    async signIn(returnTo) {
      await manager.signinRedirect({ state: { returnTo: safeReturnTo(returnTo) } });
    },
    completeSignIn() {
      // React may mount the callback twice; the code can be redeemed only once.
      pendingCallback ??= manager.signinRedirectCallback().then((user) => ({
        user: toSignedInUser(user),
        returnTo: safeReturnTo((user.state as { returnTo?: string } | undefined)?.returnTo),
      }));
      return pendingCallback;
    },
    async signOut() {
      const user = await manager.getUser();
      await manager.removeUser();
      sessionStorage.setItem(SIGNED_OUT, '1');
      await manager.signoutRedirect({
        id_token_hint: user?.id_token,
        // Cognito's /logout takes client_id (sent anyway) and logout_uri rather than the standard names.
        ...(config.logoutEndpoint ? { extraQueryParams: { logout_uri: postLogoutRedirectUri } } : {}),
      });
    },
  };
}
