/**
 * The domain services, wired over one DomainContext. Every API module needs the core (spaces decide
 * access everywhere; profiles are created on first sign-in); each module adds its own services
 * (functions/api/modules/), so a Lambda's bundle carries only the domain code its routes use.
 */

import type { AttachmentLimits } from './attachments/attachment';
import type { AttachmentService } from './attachments/attachment-service';
import type { BlobStore } from './attachments/blob-store';
import type { AuditLog } from './audit/audit-log';
import type { BookmarkService } from './bookmarks/bookmark-service';
import type { BookmarkTransfer } from './bookmarks/bookmark-transfer';
import type { BookmarkImports, ImportJobQueue } from './bookmarks/import-job';
import type { CommentService } from './comments/comment-service';
import type { DomainContext } from './context';
import type { FeedService } from './feed/feed-service';
import type { LazyService } from './lazy-service';
import type { MailPreferenceService } from './mail/preference-service';
import type { IdentityProviderRegistry, SamlMetadataCheck } from './orgs/identity-provider-registry';
import { OrganisationService } from './orgs/organisations';
import { PartnerAccess } from './orgs/partner-access';
import type { PartnerOrganisations } from './orgs/partner-organisations';
import type { DirectoryService } from './people/directory-service';
import type { PeopleImports } from './people/lazy-people-import';
import type { ReportingService } from './people/reporting-service';
import type { SignInAccounts } from './people/sign-in-accounts';
import type { PostService } from './posts/post-service';
import type { EndorsementService } from './profiles/endorsements';
import { FirstSignIn } from './profiles/first-sign-in';
import type { MentionCandidates } from './profiles/mention-candidates';
import type { ProfileService } from './profiles/profile-service';
import type { TopicPreferences } from './profiles/topic-preferences';
import type { ExpertiseService } from './search/expertise-service';
import type { SearchIndex } from './search/search-document';
import type { SearchService } from './search/search-service';
import type { InvitationService } from './spaces/invitation-service';
import { SpaceService } from './spaces/space-service';
import type { AudiencePreviews } from './subscriptions/lazy-audience-preview';
import type { NotificationService } from './subscriptions/notification-service';
import type { SubscriptionService } from './subscriptions/subscription-service';
import type { PageService } from './wiki/page-service';

export function createCoreServices(ctx: DomainContext) {
  const orgs = new OrganisationService(ctx);
  const spaces = new SpaceService(ctx, orgs);
  const signIn = new FirstSignIn(ctx, spaces);
  const partnerAccess = new PartnerAccess(ctx, signIn);
  return { orgs, spaces, signIn, partnerAccess };
}

export type CoreServices = ReturnType<typeof createCoreServices>;

/** What the modules add to the core; a module's app has its own module's services only. */
export interface ModuleServices {
  profiles: ProfileService;
  endorsements: EndorsementService;
  topicPreferences: TopicPreferences;
  mentions: MentionCandidates;
  expertise: ExpertiseService;
  posts: PostService;
  feed: FeedService;
  comments: CommentService;
  pages: PageService;
  bookmarks: BookmarkService;
  bookmarkTransfer: BookmarkTransfer;
  bookmarkImports: BookmarkImports;
  search: SearchService;
  subscriptions: SubscriptionService;
  notifications: NotificationService;
  audience: AudiencePreviews;
  mailPreferences: MailPreferenceService;
  directory: DirectoryService;
  reporting: ReportingService;
  peopleImport: PeopleImports;
  attachments: AttachmentService;
  partners: LazyService<PartnerOrganisations>;
  invitations: LazyService<InvitationService>;
  audit: LazyService<AuditLog>;
}

export type Services = CoreServices & ModuleServices;

/** What a module needs to build its services. */
export interface ServiceContext extends DomainContext {
  search?: SearchIndex;
  /** The HMAC key of unsubscribe links (domain/mail/unsubscribe-token.ts); none when mail is off. */
  unsubscribeKey?: () => Promise<Uint8Array>;
  /** Where deactivated people are stopped from signing in (Cognito in AWS); see people/sign-in-accounts.ts. */
  signInAccounts?: SignInAccounts;
  /** Where attachment and photo bytes live (the attachments module only). */
  blobs?: BlobStore;
  attachmentLimits?: AttachmentLimits;
  /** Where bookmark import jobs are queued (the bookmarks module: SQS in AWS, the local queue locally). */
  bookmarkImportQueue?: ImportJobQueue;
  /** Where partner identity providers are registered (Cognito in AWS; the table alone locally). */
  identityProviders?: IdentityProviderRegistry;
  /** Checks a SAML metadata URL through the safe fetcher; without it SAML providers are refused. */
  samlMetadataCheck?: SamlMetadataCheck;
}
