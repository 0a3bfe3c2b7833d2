import { feedRoutes } from '../routes/feed';
import { postRoutes } from '../routes/posts';
import type { ApiModule } from './api-module';

export const postsModule: ApiModule = {
  name: 'posts',
  description: 'Commonplace blogs: posts, comments, likes, tags, feed and drafts',
  routes: [postRoutes, feedRoutes],
};
