/**
 * The signed-in person's menu (menu button pattern): profile, drafts, sign-out. Opens with Enter,
 * Space or ArrowDown; arrows move; Escape closes and returns focus to the button.
 */
import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { Avatar } from './Avatar';
import { ExternalBadge } from './People';

export function ProfileMenu() {
  const { user, isAdmin, isPartner, signOut } = useAuth();
  const [open, setOpen] = useState(false);
  // Which item to focus once the menu has rendered open.
  const [focusOnOpen, setFocusOnOpen] = useState<number | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const id = useId();

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const focusItem = (index: number) => {
    const all = items();
    all[(index + all.length) % all.length]?.focus();
  };

  useLayoutEffect(() => {
    if (open && focusOnOpen !== null) {
      focusItem(focusOnOpen);
      setFocusOnOpen(null);
    }
  });

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const all = items();
    const current = all.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown') focusItem(current + 1);
    else if (event.key === 'ArrowUp') focusItem(current - 1);
    else if (event.key === 'Home') focusItem(0);
    else if (event.key === 'End') focusItem(-1);
    else if (event.key === 'Escape') close(true);
    else if (event.key === 'Tab') return setOpen(false);
    else return;
    event.preventDefault();
  };

  return (
    <div className="profile-menu" ref={container}>
      <button
        ref={button}
        type="button"
        className="profile-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => {
          setOpen(!open);
          if (!open) setFocusOnOpen(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
            setFocusOnOpen(event.key === 'ArrowDown' ? 0 : -1);
          }
        }}
      >
        <Avatar userId={user.id} name={user.name} />
        <span className="visually-hidden">Account menu: </span>
        <span className="profile-name">{user.name}</span>
        {isPartner && (
          <span className="badge badge-external">
            External<span className="visually-hidden"> ({user.org})</span>
          </span>
        )}
      </button>
      <div className="menu" hidden={!open}>
        <div className="menu-header">
          <strong>{user.name}</strong>
          {user.email && <span className="muted small">{user.email}</span>}
          <span>
            {isPartner && user.org && <ExternalBadge org={user.org} />}
            {isAdmin && <span className="badge">Admin</span>}
          </span>
        </div>
        {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA menu button pattern */}
        <ul ref={menu} id={`${id}-menu`} role="menu" aria-label="Account" onKeyDown={onMenuKey}>
          <li role="none">
            <Link role="menuitem" to={`/people/${encodeURIComponent(user.id)}`} onClick={() => close(false)}>
              Your profile
            </Link>
          </li>
          {!isPartner && (
            <li role="none">
              <Link
                role="menuitem"
                to={`/spaces/${encodeURIComponent(`~${user.id}`)}`}
                onClick={() => close(false)}
              >
                Your blog
              </Link>
            </li>
          )}
          <li role="none">
            <Link role="menuitem" to="/drafts" onClick={() => close(false)}>
              Your drafts
            </Link>
          </li>
          <li role="none">
            <button role="menuitem" type="button" onClick={signOut}>
              Sign out
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
