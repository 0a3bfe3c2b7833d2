import { useParams } from 'react-router';
import { enc } from '../api/client';
import { keys } from '../api/query-keys';
import { PostFeed } from '../components/PostFeed';
import { useTitle } from '../lib/useTitle';

export default function TagPosts() {
  const { tag = '' } = useParams();
  useTitle(`#${tag}`);
  return (
    <div className="page">
      <h1>#{tag}</h1>
      <p className="muted">Posts tagged #{tag} in the spaces you can read.</p>
      <PostFeed
        queryKey={keys.tagPosts(tag)}
        path={`/tags/${enc(tag)}/posts`}
        label={`Posts tagged ${tag}`}
        empty="No posts with this tag yet"
      />
    </div>
  );
}
