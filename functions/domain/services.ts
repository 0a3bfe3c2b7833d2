/** Wires the domain services together over one DomainContext. */

import type { SearchIndex } from '../search/search-document';
import { CommentService } from './comments/comment-service';
import type { DomainContext } from './context';
import { OrganisationService } from './orgs/organisations';
import { PostService } from './posts/post-service';
import { ProfileService } from './profiles/profile-service';
import { SearchService } from './search/search-service';
import { SpaceService } from './spaces/space-service';
import { PageService } from './wiki/page-service';

export function createServices(ctx: DomainContext, searchIndex?: SearchIndex) {
  const orgs = new OrganisationService(ctx);
  const spaces = new SpaceService(ctx, orgs);
  const profiles = new ProfileService(ctx, spaces);
  const posts = new PostService(ctx, spaces);
  const comments = new CommentService(ctx, spaces, posts);
  const pages = new PageService(ctx, spaces);
  const search = searchIndex ? new SearchService(ctx, searchIndex) : undefined;
  return { orgs, spaces, profiles, posts, comments, pages, search };
}

export type Services = ReturnType<typeof createServices>;
