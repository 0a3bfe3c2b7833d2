/** Home: what is new that I may read — posts, page edits and comments for me — newest first. */
import { Link } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { ActivityFeed } from '../components/ActivityFeed';
import { Empty } from '../components/States';
import { useTitle } from '../lib/useTitle';

export function Home() {
  const { user, isPartner } = useAuth();
  useTitle('Home');
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Home</h1>
          <p className="muted">New posts and page edits you can read, and comments for you, newest first.</p>
        </div>
        {!isPartner && (
          <Link className="button primary" to={`/spaces/${encodeURIComponent(`~${user.id}`)}/new`}>
            Write a post
          </Link>
        )}
      </div>
      <ActivityFeed
        label="Your feed"
        empty={
          <Empty title="Nothing new yet">
            <p>
              Posts and page edits in spaces open to you appear here.{' '}
              <Link to="/spaces?scope=directory">Browse the space directory</Link> to join some.
            </p>
          </Empty>
        }
      />
    </div>
  );
}
