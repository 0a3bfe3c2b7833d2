/** The frame of every signed-in screen: skip link, header (navigation, search, notifications, account), main. */
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, NavLink, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { NotificationBell } from './NotificationBell';
import { ProfileMenu } from './ProfileMenu';
import { TypeAhead } from './TypeAhead';

export function Layout({ children }: { children: ReactNode }) {
  const { sessionExpired, signIn, isAdmin } = useAuth();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);

  // After client-side navigation, start keyboard and screen-reader users at the new content.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <svg aria-hidden="true" viewBox="0 0 32 32" width="24" height="24">
              <rect width="32" height="32" rx="7" fill="currentColor" />
              <path
                d="M9 10h14M9 16h14M9 22h9"
                stroke="var(--brand-ink)"
                strokeWidth="3"
                strokeLinecap="round"
              />
            </svg>
            <span>Commonplace</span>
          </Link>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>
              Home
            </NavLink>
            <NavLink to="/spaces">Spaces</NavLink>
            <NavLink to="/drafts">Drafts</NavLink>
            <NavLink to="/bookmarks">Bookmarks</NavLink>
            <NavLink to="/people">People</NavLink>
            {isAdmin && <NavLink to="/admin/partners">Admin</NavLink>}
          </nav>
          <TypeAhead />
          <NotificationBell />
          <ProfileMenu />
        </div>
      </header>
      {sessionExpired && (
        <div className="banner" role="alert">
          <span>Your session has expired. Anything you were writing is kept on this device.</span>
          <button type="button" onClick={() => signIn()}>
            Sign in again
          </button>
        </div>
      )}
      <main id="main" ref={main} tabIndex={-1} className="main">
        {children}
      </main>
    </>
  );
}
