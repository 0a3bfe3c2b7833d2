/**
 * Which module an item belongs to in an export (one JSON Lines file each), and which items are derived
 * — rebuilt from the others by the stream consumers or a rebuild command, so never exported: the
 * search index (not in the table at all), home-feed items, inbox notifications and their gathered
 * likes, digest markers, and migration markers. Counters kept on an item (a post's comment and like
 * counts, a page node's child count, a URL's saver count, tag counts) travel with the items they
 * count, so an import needs no recount.
 */
export const EXPORT_MODULES = [
  'people',
  'organisations',
  'spaces',
  'posts',
  'comments',
  'likes',
  'pages',
  'bookmarks',
  'subscriptions',
  'attachments',
  'audit',
  'other',
] as const;
export type ExportModule = (typeof EXPORT_MODULES)[number];

/** Item types that are derived (see above); their items are skipped by export and by "is it empty". */
export const DERIVED_TYPES = new Set([
  'feed',
  'notification',
  'likesGathered',
  'digest',
  'digest-marker',
  'migration',
  // An upload not yet confirmed: it expires within a day and is never part of anyone's content.
  'upload',
]);

const BY_TYPE: Record<string, ExportModule> = {
  profile: 'people',
  handle: 'people',
  skill: 'people',
  manager: 'people',
  // Issue 15: the directory's rows, reporting lines and e-mail claims are kept with the profiles.
  directoryEntry: 'people',
  reportingLine: 'people',
  emailClaim: 'people',
  endorsement: 'people',
  // The broker's link of a federated subject to a user id (what Cognito keeps in AWS).
  'identity-link': 'people',
  // A sign-in identity linked to a person an import or SCIM made before they first signed in (both sides).
  signInLink: 'people',
  externalIdClaim: 'people',
  personLink: 'people',
  organisation: 'organisations',
  'organisation-domain': 'organisations',
  'organisation-provider': 'organisations',
  invitation: 'spaces',
  space: 'spaces',
  member: 'spaces',
  share: 'spaces',
  post: 'posts',
  postTag: 'posts',
  comment: 'comments',
  like: 'likes',
  page: 'pages',
  pageVersion: 'pages',
  pageNode: 'pages',
  pageLink: 'pages',
  bookmark: 'bookmarks',
  bookmarkUrl: 'bookmarks',
  bookmarkBundle: 'bookmarks',
  follow: 'subscriptions',
  subscription: 'subscriptions',
  subscriptionSettings: 'subscriptions',
  'mail-preferences': 'subscriptions',
  // The records of files; their bytes live in the blob store, which an export does not copy.
  attachment: 'attachments',
  audit: 'audit',
};

/** Items without a `type` are recognised by their keys (pointers and counters written beside the items). */
const BY_KEY: [RegExp, RegExp, ExportModule | 'derived'][] = [
  [/^USER#/, /^BM(TAG|FAV|PUB|TAGCOUNT)#/, 'bookmarks'],
  [/^SPACE#/, /^BOOKMARK#/, 'bookmarks'],
  [/^BMTAGS#/, /^TAG#/, 'bookmarks'],
  [/^USER#/, /^PREFS#/, 'subscriptions'],
  [/^SPACE#/, /^ATTACHUSAGE$/, 'attachments'],
  [/^USER#/, /^SUBSETTINGS$/, 'subscriptions'],
  [/^USER#/, /^(NOTE|FEED|LIKES|DIGEST)#/, 'derived'],
  [/^FEED#/, /^FEED#/, 'derived'],
  [/^MIGRATION$/, /./, 'derived'],
];

/** The module an item is exported in, or 'derived' when it is rebuilt rather than exported. */
export function moduleOf(item: Record<string, unknown>): ExportModule | 'derived' {
  const type = typeof item.type === 'string' ? item.type : undefined;
  if (type && DERIVED_TYPES.has(type)) return 'derived';
  if (type && BY_TYPE[type]) return BY_TYPE[type];
  const pk = String(item.PK ?? '');
  const sk = String(item.SK ?? '');
  for (const [partition, sort, module] of BY_KEY) if (partition.test(pk) && sort.test(sk)) return module;
  return 'other'; // kept, not lost: an item this list does not know yet is still exported and imported
}
