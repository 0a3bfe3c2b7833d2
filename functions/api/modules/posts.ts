import { CommentService } from '../../domain/comments/comment-service';
import { FeedService } from '../../domain/feed/feed-service';
import { PostService } from '../../domain/posts/post-service';
import { lazyAudiencePreview } from '../../domain/subscriptions/lazy-audience-preview';
import { postAudienceRoutes } from '../routes/audience-preview';
import { feedRoutes } from '../routes/feed';
import { postRoutes } from '../routes/posts';
import type { ApiModule } from './api-module';

export const postsModule: ApiModule = {
  name: 'posts',
  description: 'Commonplace blogs: posts, comments, likes, tags, feed and drafts',
  routes: [postRoutes, feedRoutes, postAudienceRoutes],
  services: ({ spaces }, ctx) => {
    const posts = new PostService(ctx, spaces);
    return {
      posts,
      feed: new FeedService(ctx, spaces),
      comments: new CommentService(ctx, spaces, posts),
      audience: lazyAudiencePreview(ctx, spaces),
    };
  },
};
