/**
 * The bell in the header: a link to the inbox whose name says how many items are unread
 * ("Notifications, 3 unread"); the visible number repeats the name, so it is hidden from screen readers.
 */
import { NavLink } from 'react-router';
import { unreadText, useLiveNotifications, useUnreadCount } from '../api/notifications';

export function NotificationBell() {
  // The live stream lives with the bell, which every signed-in screen shows.
  useLiveNotifications();
  const count = useUnreadCount();
  const unread = unreadText(count.data);
  return (
    <NavLink
      to="/notifications"
      className={`bell${unread ? ' bell-unread' : ''}`}
      aria-label={unread ? `Notifications, ${unread}` : 'Notifications'}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.5L4.5 16h15L18 12.5V9a6 6 0 0 0-6-6Zm-2.5 15a2.5 2.5 0 0 0 5 0"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinejoin="round"
        />
      </svg>
      {unread && count.data && (
        <span className="bell-count" aria-hidden="true">
          {count.data.unread}
          {count.data.more ? '+' : ''}
        </span>
      )}
    </NavLink>
  );
}
