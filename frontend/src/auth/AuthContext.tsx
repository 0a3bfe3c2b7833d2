/**
 * Who is signed in, for every screen. Until a user is known the app shows the welcome screen (or, for
 * a deep link, goes straight to the identity provider); a token the API rejects marks the session
 * expired, and a banner offers to sign in again without leaving the page (unsaved text is kept).
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import { configureApi } from '../api/client';
import type { RuntimeConfig } from '../config';
import type { Auth, SignedInUser } from './auth';

interface AuthValue {
  user: SignedInUser;
  isAdmin: boolean;
  isPartner: boolean;
  sessionExpired: boolean;
  signIn(returnTo?: string): void;
  signOut(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside a signed-in tree');
  return value;
}

type State =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: string }
  | { status: 'signed-in'; user: SignedInUser };

const REDIRECT_GUARD = 'commonplace:sign-in-attempt';

export function AuthGate({
  auth,
  config,
  children,
  welcome,
}: {
  auth: Auth;
  config: RuntimeConfig;
  children: ReactNode;
  welcome: (signIn: () => void, reason?: string) => ReactNode;
}) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [sessionExpired, setSessionExpired] = useState(false);
  const location = useLocation();
  const here = location.pathname + location.search + location.hash;

  const signIn = useCallback(
    (returnTo?: string) => {
      sessionStorage.setItem(REDIRECT_GUARD, String(Date.now()));
      void auth.signIn(returnTo ?? window.location.pathname + window.location.search + window.location.hash);
    },
    [auth],
  );

  useEffect(() => {
    let cancelled = false;
    auth.current().then(
      (user) => {
        if (cancelled) return;
        if (user) return setState({ status: 'signed-in', user });
        const lastAttempt = Number(sessionStorage.getItem(REDIRECT_GUARD) ?? 0);
        // A deep link goes straight to sign-in, unless we just came back from a failed attempt.
        if (window.location.pathname !== '/' && Date.now() - lastAttempt > 15_000) return signIn();
        setState({ status: 'signed-out' });
      },
      (error: Error) => !cancelled && setState({ status: 'signed-out', reason: error.message }),
    );
    // Another tab signing in or out changes what this one may do.
    const onStorage = (event: StorageEvent) => {
      if (event.key?.startsWith('oidc.user:'))
        auth
          .current()
          .then((user) => setState(user ? { status: 'signed-in', user } : { status: 'signed-out' }));
    };
    window.addEventListener('storage', onStorage);
    return () => {
      cancelled = true;
      window.removeEventListener('storage', onStorage);
    };
  }, [auth, signIn]);

  const user = state.status === 'signed-in' ? state.user : undefined;
  // Configured during render (idempotent), so the first queries of a signed-in tree carry the token.
  configureApi({
    baseUrl: config.apiBaseUrl.replace(/\/+$/, ''),
    token: () => user?.accessToken,
    onUnauthorized: () => setSessionExpired(true),
    live: config.live,
  });

  const value = useMemo<AuthValue | null>(
    () =>
      user
        ? {
            user,
            isAdmin: user.groups.includes('admin'),
            isPartner: !!user.org || user.groups.includes('partner'),
            sessionExpired,
            signIn,
            signOut: () => void auth.signOut(),
          }
        : null,
    [user, sessionExpired, signIn, auth],
  );

  if (state.status === 'loading')
    return (
      <p className="boot" role="status">
        Signing you in…
      </p>
    );
  if (!value)
    return <>{welcome(() => signIn(here), state.status === 'signed-out' ? state.reason : undefined)}</>;
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
