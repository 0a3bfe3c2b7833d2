/** The redirect URI: redeems the authorization code (PKCE) and returns to where the user was going. */
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Auth } from '../auth/auth';

export function SignInCallback({ auth }: { auth: Auth }) {
  const navigate = useNavigate();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if (params.get('error')) {
      setError(params.get('error_description') ?? params.get('error') ?? 'unknown error');
      return;
    }
    auth.completeSignIn().then(
      ({ returnTo }) => navigate(returnTo, { replace: true }),
      (failure: Error) => setError(failure.message),
    );
  }, [auth, navigate]);

  return (
    <main id="main" className="welcome">
      <div className="welcome-card">
        {error ? (
          <>
            <h1>Sign-in did not complete</h1>
            <p role="alert">{error}</p>
            <p>
              <Link to="/">Start again</Link>
            </p>
          </>
        ) : (
          <p role="status">Signing you in…</p>
        )}
      </div>
    </main>
  );
}
