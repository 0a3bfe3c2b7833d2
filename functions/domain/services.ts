/** Wires the domain services together over one DomainContext. */
import { CommentService } from './comments/comment-service';
import type { DomainContext } from './context';
import { OrganisationService } from './orgs/organisations';
import { PostService } from './posts/post-service';
import { ProfileService } from './profiles/profile-service';
import { SpaceService } from './spaces/space-service';

export function createServices(ctx: DomainContext) {
  const orgs = new OrganisationService(ctx);
  const spaces = new SpaceService(ctx, orgs);
  const profiles = new ProfileService(ctx, spaces);
  const posts = new PostService(ctx, spaces);
  const comments = new CommentService(ctx, spaces, posts);
  return { orgs, spaces, profiles, posts, comments };
}

export type Services = ReturnType<typeof createServices>;
