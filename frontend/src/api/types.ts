/**
 * What the API returns, as the web client reads it: the types of the response schemas the server
 * validates its document with (functions/api/schemas/, functions/api/routes/search.ts), imported as
 * types only, so nothing of the server reaches the browser bundle and the two cannot drift apart.
 */
import type { z } from 'zod';
import type { SearchResponse, SuggestResponse } from '../../../functions/api/routes/search';
import type {
  BookmarkView,
  BundleView,
  ImportJobView,
  ImportUploadGrant as ImportUploadGrantView,
  LookupView,
  PopularView,
  RenameResult,
  TagCloud as TagCloudSchema,
} from '../../../functions/api/schemas/bookmarks';
import type { MailPreferencesView } from '../../../functions/api/schemas/mail-preferences';
import type {
  AudiencePreviewView,
  FollowView,
  MarkedAll as MarkedAllSchema,
  NotificationView,
  UnreadCount as UnreadCountSchema,
  WatchSettingsView,
  WatchView,
} from '../../../functions/api/schemas/notifications';
import type {
  CommentView,
  FeedItem as FeedItemSchema,
  PostSummary as PostSummarySchema,
  PostView,
} from '../../../functions/api/schemas/posts';
import type {
  MeView,
  PersonSummary as PersonSummarySchema,
  ProfileView,
} from '../../../functions/api/schemas/profiles';
import type { MemberView, OrganisationView, SpaceView } from '../../../functions/api/schemas/spaces';
import type {
  PageSummary,
  PageTreeEntry as PageTreeEntrySchema,
  PageVersionSummary as PageVersionSummarySchema,
  PageVersionView,
  PageView,
} from '../../../functions/api/schemas/wiki';

export type Role = 'owner' | 'editor' | 'reader';
export type Audience = Space['audience'];

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export type Space = z.output<typeof SpaceView>;
export type Member = z.output<typeof MemberView>;
export type PostSummary = z.output<typeof PostSummarySchema>;
export type FeedItem = z.output<typeof FeedItemSchema>;
export type Post = z.output<typeof PostView>;
export type Comment = z.output<typeof CommentView>;
export type Profile = z.output<typeof ProfileView>;
export type PersonSummary = z.output<typeof PersonSummarySchema>;
export type Me = z.output<typeof MeView>;
export type Organisation = z.output<typeof OrganisationView>;

export type SearchResult = z.output<typeof SearchResponse>;
export type SearchHit = SearchResult['items'][number];
export type SearchType = SearchHit['type'];
/** A facet value; space facets also carry the space's name. */
export type FacetValue = SearchResult['facets']['type'][number] & { label?: string };
export type PersonHit = SearchResult['people'][number];
export type Suggestion = z.output<typeof SuggestResponse>['items'][number];

export type WikiPageSummary = z.output<typeof PageSummary>;
export type WikiPage = z.output<typeof PageView>;
export type PageTreeEntry = z.output<typeof PageTreeEntrySchema>;
export type PageVersionSummary = z.output<typeof PageVersionSummarySchema>;
export type PageVersion = z.output<typeof PageVersionView>;

export type Follow = z.output<typeof FollowView>;
export type Watch = z.output<typeof WatchView>;
export type Notification = z.output<typeof NotificationView>;
export type AudiencePreview = z.output<typeof AudiencePreviewView>;
export type UnreadCount = z.output<typeof UnreadCountSchema>;
export type MarkedAll = z.output<typeof MarkedAllSchema>;
export type MailPreferences = z.output<typeof MailPreferencesView>;

export type Bookmark = z.output<typeof BookmarkView>;
export type PopularBookmark = z.output<typeof PopularView>;
export type BookmarkLookup = z.output<typeof LookupView>;
export type TagCloud = z.output<typeof TagCloudSchema>;
export type TagCount = TagCloud['items'][number];
export type TagRenamed = z.output<typeof RenameResult>;
export type BookmarkBundle = z.output<typeof BundleView>;
export type ImportJob = z.output<typeof ImportJobView>;
export type ImportUploadGrant = z.output<typeof ImportUploadGrantView>;
export type WatchSettings = z.output<typeof WatchSettingsView>;
