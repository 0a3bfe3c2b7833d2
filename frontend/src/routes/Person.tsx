/** A person: who they are (partners marked external) and what they wrote in spaces you can read. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { enc, get } from '../api/client';
import type { Profile } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ExternalBadge, initials } from '../components/People';
import { PostFeed } from '../components/PostFeed';
import { ErrorState, Loading } from '../components/States';
import { useTitle } from '../lib/useTitle';

export default function Person() {
  const { userId = '' } = useParams();
  const { user } = useAuth();
  const person = useQuery({
    queryKey: ['person', userId],
    queryFn: ({ signal }) => get<Profile>(`/people/${enc(userId)}`, signal),
  });
  useTitle(person.data?.name);
  if (person.isPending) return <Loading label="Loading profile" />;
  if (person.isError)
    return <ErrorState error={person.error} retry={() => void person.refetch()} what="person" />;
  const p = person.data;
  return (
    <div className="page">
      <div className="profile-header">
        <span className="avatar avatar-large" aria-hidden="true">
          {initials(p.name)}
        </span>
        <div>
          <h1>
            {p.name} {p.org && <ExternalBadge org={p.org} />}
          </h1>
          {p.title && <p className="lead">{p.title}</p>}
          <p className="meta">
            @{p.handle} · <a href={`mailto:${p.email}`}>{p.email}</a>
            {p.kind === 'employee' && (
              <>
                {' · '}
                <Link to={`/spaces/${encodeURIComponent(`~${p.userId}`)}`}>
                  {p.userId === user.id ? 'Your blog' : 'Blog'}
                </Link>
              </>
            )}
          </p>
        </div>
      </div>
      <h2>Posts</h2>
      <PostFeed
        queryKey={['person-posts', userId]}
        path={`/people/${enc(userId)}/posts`}
        label={`Posts by ${p.name}`}
        empty="No posts you can see yet"
      />
    </div>
  );
}
