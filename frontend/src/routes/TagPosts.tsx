import { useParams } from 'react-router';
import { enc } from '../api/client';
import { keys } from '../api/query-keys';
import { PostFeed } from '../components/PostFeed';
import { WatchButtons } from '../components/SubscribeButtons';
import { useTitle } from '../lib/useTitle';

export default function TagPosts() {
  const { tag = '' } = useParams();
  useTitle(`#${tag}`);
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>#{tag}</h1>
          <p className="muted">Posts tagged #{tag} in the spaces you can read.</p>
        </div>
        <div className="actions">
          <WatchButtons target={{ kind: 'tag', tag }} name={`#${tag}`} />
        </div>
      </div>
      <PostFeed
        queryKey={keys.tagPosts(tag)}
        path={`/tags/${enc(tag)}/posts`}
        label={`Posts tagged ${tag}`}
        empty="No posts with this tag yet"
      />
    </div>
  );
}
