/**
 * What the HTTP modules need from the outside world beyond the table, clock and ids: how a request
 * proves who it is, and (for the search module only) the search index.
 */

import type { AttachmentLimits } from '../domain/attachments/attachment';
import type { BlobStore } from '../domain/attachments/blob-store';
import type { ImportJobQueue } from '../domain/bookmarks/import-job';
import type { IdentityProviderRegistry, SamlMetadataCheck } from '../domain/orgs/identity-provider-registry';
import type { SignInAccounts } from '../domain/people/sign-in-accounts';
import type { SearchIndex } from '../domain/search/search-document';
import type { CoreDependencies } from '../platform/dependencies';
import type { Authenticator } from './middleware/authenticate';

export interface ApiDependencies extends CoreDependencies {
  /** The HTTP API's verified claims in AWS; a bearer token checked with jose locally. */
  authenticator: Authenticator;
  /** Only the search module's Lambda has one; locally every module shares the embedded engine. */
  search?: SearchIndex;
  /** The HMAC key of unsubscribe links; without it every unsubscribe link is refused. */
  unsubscribeKey?: () => Promise<Uint8Array>;
  /** Where deactivated people are stopped from signing in (the profiles module: Cognito in AWS). */
  signInAccounts?: SignInAccounts;
  /** Only the attachments module's Lambda has one (S3); locally the data folder's blob store. */
  blobs?: BlobStore;
  attachmentLimits?: AttachmentLimits;
  /** The bookmarks module: where import jobs are queued (SQS in AWS, the local queue locally). */
  bookmarkImportQueue?: ImportJobQueue;
  /** Only the spaces module uses these (partner organisations); see ServiceContext. */
  identityProviders?: IdentityProviderRegistry;
  samlMetadataCheck?: SamlMetadataCheck;
  /** Extra health facts (the local runtime reports its stream here). */
  health?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}
