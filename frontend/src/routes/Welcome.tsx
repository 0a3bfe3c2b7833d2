import { useEffect, useState } from 'react';
import { SIGNED_OUT } from '../auth/auth';

/** Shown to someone not signed in: what this is, and one button to sign in. */
export function Welcome({ onSignIn, reason }: { onSignIn: () => void; reason?: string }) {
  const [signedOut] = useState(() => sessionStorage.getItem(SIGNED_OUT) === '1');
  useEffect(() => sessionStorage.removeItem(SIGNED_OUT), []);
  return (
    <main id="main" className="welcome">
      <div className="welcome-card">
        <h1>Commonplace</h1>
        <p>Blogs, spaces and search for everything your organisation knows.</p>
        {signedOut && <p role="status">You have signed out.</p>}
        {reason && (
          <p role="alert" className="error-text">
            Sign-in did not work: {reason}
          </p>
        )}
        <button type="button" className="primary" onClick={onSignIn}>
          Sign in
        </button>
      </div>
    </main>
  );
}
