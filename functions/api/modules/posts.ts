import { CommentService } from '../../domain/comments/comment-service';
import { FeedService } from '../../domain/feed/feed-service';
import { PostService } from '../../domain/posts/post-service';
import { lazyAudiencePreview } from '../../domain/subscriptions/lazy-audience-preview';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

export const postsModule: ApiModule = {
  name: 'posts',
  description: 'Commonplace blogs: posts, comments, likes, tags, feed and drafts',
  routes: [
    { name: 'posts', load: async () => (await import('../routes/posts')).postRoutes },
    { name: 'feed', load: async () => (await import('../routes/feed')).feedRoutes },
    { name: 'audience', load: async () => (await import('../routes/audience-preview')).postAudienceRoutes },
  ],
  manifest: manifests.posts,
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
