/** Home: the newest posts from my spaces (and, as the feed grows, people and tags I follow). */
import { Link } from 'react-router';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/AuthContext';
import { PostFeed } from '../components/PostFeed';
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
          <p className="muted">New posts from your spaces, newest first.</p>
        </div>
        {!isPartner && (
          <Link className="button primary" to={`/spaces/${encodeURIComponent(`~${user.id}`)}/new`}>
            Write a post
          </Link>
        )}
      </div>
      <PostFeed
        queryKey={keys.feed()}
        path="/feed"
        label="Your feed"
        empty={
          <Empty title="Nothing new yet">
            <p>
              Posts from spaces you belong to appear here.{' '}
              <Link to="/spaces?scope=directory">Browse the space directory</Link> to join some.
            </p>
          </Empty>
        }
      />
    </div>
  );
}
