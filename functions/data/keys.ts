/**
 * Key builders for every item in the single table. Keys are pure functions of ids so that the shape of
 * the table can be read in one place; docs/data-model.md lists the access pattern each one serves.
 * Ids never contain '#', which is the separator (validated at the API edge).
 */

/** Sort keys that embed a time sort lexicographically: ISO-8601 UTC strings do. */
export const keys = {
  profile: (userId: string) => ({ PK: `USER#${userId}`, SK: 'PROFILE' }),
  /** Directory of people: employees in one partition, each partner organisation in its own. */
  peopleDirectory: (org: string | undefined) => (org ? `ORG#${org}#PEOPLE` : 'PEOPLE#employees'),
  handle: (handle: string) => `HANDLE#${handle}`,
  /** The one item per @handle that makes handles unique (written in the profile's transaction). */
  handleClaim: (handle: string) => ({ PK: `HANDLE#${handle}`, SK: 'HANDLE' }),
  skill: (userId: string, skill: string) => ({ PK: `USER#${userId}`, SK: `SKILL#${skill}` }),
  /** Everyone with a skill, by name (GSI1 of skill items): what employees list. */
  peopleWithSkill: (skill: string) => `SKILL#${skill}`,
  /**
   * The same, split like the people directory (GSI2 of skill items): employees, and each partner
   * organisation on its own, so a partner's list never reads another organisation's rows.
   */
  skillHolders: (skill: string, org: string | undefined) =>
    org ? `SKILL#${skill}#ORG#${org}` : `SKILL#${skill}#employees`,

  /**
   * The people directory (docs/data-model.md, "People directory"): small entries written with the
   * profile, one per list a person is in (`name`, `handle`, `dept`, `loc`). GSI1 holds the list of one
   * audience scope (employees, or one partner organisation); GSI2 the same list over everyone.
   */
  directoryEntry: (userId: string, list: string) => ({ PK: `USER#${userId}`, SK: `DIR#${list}` }),
  directoryEntryPrefix: 'DIR#',
  /** `scope`: `employees`, `ORG#<org>` or `all`; `facet`: `name`, `handle`, `dept#<value>`, `loc#<value>`. */
  directoryList: (scope: string, facet: string) => `DIR#${scope}#${facet}`,
  /** One item per e-mail address a person holds (userId): what imports and SCIM find people by. */
  emailClaim: (email: string) => ({ PK: `EMAIL#${email}`, SK: 'EMAIL' }),
  /** A SCIM client's own id of a person (`externalId`, as SCIM set it): what `externalId eq` finds. */
  externalIdClaim: (externalId: string) => ({ PK: `EXTID#${externalId}`, SK: 'EXTID' }),
  /**
   * A sign-in identity (the token's `sub`) linked at its first sign-in to a person provisioned before
   * it (HR import, SCIM): `userId` is the person it acts as. Written with `personLink` in one transaction.
   */
  signInLink: (subject: string) => ({ PK: `SIGNIN#${subject}`, SK: 'SIGNIN' }),
  /** The other side: the provisioned person `userId` has been linked (`subject`), so never twice. */
  personLink: (userId: string) => ({ PK: `LINKED#${userId}`, SK: 'LINKED' }),
  /**
   * A person's place in the reporting lines (`managerId`, `chain` of ancestors, `reportCount`).
   * GSI1 (only with a manager): the manager's direct reports by name; GSI2: everyone by path from the
   * top (`top/…/manager/person`), so a subtree is one begins_with range.
   */
  reportingLine: (userId: string) => ({ PK: `USER#${userId}`, SK: 'MANAGER' }),
  reportsOf: (managerId: string) => `USER#${managerId}#REPORTS`,
  orgChart: 'ORGCHART',
  /**
   * A colleague's endorsement of a person's skill, under the endorsed person: one Query (begins_with
   * ENDORSE#) reads all of them, grouped by skill in the sort key.
   */
  endorsement: (userId: string, skill: string, endorserId: string) => ({
    PK: `USER#${userId}`,
    SK: `ENDORSE#${skill}#${endorserId}`,
  }),
  endorsementPrefix: 'ENDORSE#',

  organisation: (orgId: string) => ({ PK: `ORG#${orgId}`, SK: 'ORG' }),
  organisationsIndex: 'ORGS',
  /** One item per e-mail domain claimed by a partner organisation: makes a domain belong to one org. */
  organisationDomain: (domain: string) => ({ PK: `ORGDOMAIN#${domain}`, SK: 'ORGDOMAIN' }),
  /** One item per identity provider (its Cognito provider name): what the pre-token trigger reads. */
  organisationProvider: (providerName: string) => ({ PK: `IDP#${providerName}`, SK: 'IDP' }),
  /**
   * Invitations (partner admin, issue 16): one per e-mail and space, read at the invitee's first
   * sign-in (one Query of their partition); GSI1 lists a space's open invitations.
   */
  invitation: (email: string, spaceId: string) => ({ PK: `INVITE#${email}`, SK: `SPACE#${spaceId}` }),
  invitationsFor: (email: string) => `INVITE#${email}`,
  spaceInvitations: (spaceId: string) => `SPACE#${spaceId}#INVITES`,
  /**
   * The audit trail (issue 16): every change to who can see what, in its own key range. One
   * partition by time (`<at>#<id>`), GSI1 by actor and GSI2 by target, each sorted by time too.
   */
  audit: (at: string, id: string) => ({ PK: 'AUDIT', SK: `${at}#${id}` }),
  auditPartition: 'AUDIT',
  auditByActor: (actorId: string) => `AUDIT#ACTOR#${actorId}`,
  auditByTarget: (target: string) => `AUDIT#TARGET#${target}`,

  space: (spaceId: string) => ({ PK: `SPACE#${spaceId}`, SK: 'SPACE' }),
  /** Spaces every employee may discover (audience 'employees'), by name. */
  employeeSpaceDirectory: 'SPACES#employees',
  /** Every space, for admins. */
  allSpaces: 'SPACES',
  member: (spaceId: string, userId: string) => ({ PK: `SPACE#${spaceId}`, SK: `MEMBER#${userId}` }),
  memberPrefix: 'MEMBER#',
  /** A person's memberships (GSI1 of member items). */
  membershipsOf: (userId: string) => `USER#${userId}#SPACES`,
  share: (spaceId: string, orgId: string) => ({ PK: `SPACE#${spaceId}`, SK: `SHARE#${orgId}` }),
  /** Spaces shared with a partner organisation (GSI1 of share items). */
  sharedWith: (orgId: string) => `ORG#${orgId}#SPACES`,

  post: (spaceId: string, postId: string) => ({ PK: `SPACE#${spaceId}`, SK: `POST#${postId}` }),
  /** Published posts of a space, newest first (GSI1 of published posts). */
  spacePosts: (spaceId: string) => `SPACE#${spaceId}#POSTS`,
  /** A person's posts (GSI2): sort key starts with P# (published) or D# (draft). */
  authorPosts: (userId: string) => `USER#${userId}#POSTS`,
  postTag: (spaceId: string, postId: string, tag: string) => ({
    PK: `SPACE#${spaceId}`,
    SK: `POSTTAG#${postId}#${tag}`,
  }),
  /** Published posts with a tag, across spaces (GSI1 of post-tag items). */
  taggedPosts: (tag: string) => `TAG#${tag}#POSTS`,
  comment: (spaceId: string, postId: string, commentId: string) => ({
    PK: `SPACE#${spaceId}`,
    SK: `COMMENT#${postId}#${commentId}`,
  }),
  commentPrefix: (postId: string) => `COMMENT#${postId}#`,
  like: (spaceId: string, postId: string, userId: string) => ({
    PK: `SPACE#${spaceId}`,
    SK: `LIKE#${postId}#${userId}`,
  }),
  likePrefix: (postId: string) => `LIKE#${postId}#`,

  page: (spaceId: string, pageId: string) => ({ PK: `SPACE#${spaceId}`, SK: `PAGE#${pageId}` }),
  /** Every page of a space, by title (GSI1 of pages): the flat list, full items. */
  spacePages: (spaceId: string) => `SPACE#${spaceId}#PAGES`,
  /**
   * A page's place in the tree, an item of its own without the body (title, parent, child count), so
   * that a level of the tree is one Query of small items. Written with the page in every transaction.
   */
  pageNode: (spaceId: string, pageId: string) => ({ PK: `SPACE#${spaceId}`, SK: `TREE#${pageId}` }),
  pageNodePrefix: 'TREE#',
  /** The pages right below a page, or at the top (GSI1 of tree nodes), by title. */
  pageChildren: (spaceId: string, parentId: string | undefined) =>
    `SPACE#${spaceId}#CHILDREN#${parentId ?? 'ROOT'}`,
  /**
   * Before tree nodes, one item per space whose version every tree change bumped (so every creation
   * conflicted with every other); `npm run migrate:page-tree` removes the old ones.
   */
  legacyPageTree: (spaceId: string) => ({ PK: `SPACE#${spaceId}`, SK: 'PAGETREE' }),
  pageVersion: (spaceId: string, pageId: string, version: number) => ({
    PK: `SPACE#${spaceId}`,
    SK: `PAGE#${pageId}#V#${String(version).padStart(6, '0')}`,
  }),
  pageVersionPrefix: (pageId: string) => `PAGE#${pageId}#V#`,
  /** A person's page edits, newest first (GSI2 of versions): evidence of what they work on. */
  editsBy: (userId: string) => `USER#${userId}#EDITS`,
  pageLink: (spaceId: string, fromPageId: string, toPageId: string) => ({
    PK: `SPACE#${spaceId}`,
    SK: `LINK#${fromPageId}#${toPageId}`,
  }),
  pageLinkPrefix: (fromPageId: string) => `LINK#${fromPageId}#`,
  /** Pages linking to a page (GSI1 of link items), whether or not the target exists yet. */
  backlinks: (spaceId: string, toPageId: string) => `SPACE#${spaceId}#PAGE#${toPageId}#BACKLINKS`,

  /**
   * A file attached to a wiki page or a blog post (docs/data-model.md, "Attachments"): one Query of the
   * owner's prefix lists them, and the owner is in the key so one BatchGetItem reads space, membership,
   * owner and file together.
   */
  attachment: (spaceId: string, kind: 'page' | 'post', ownerId: string, attachmentId: string) => ({
    PK: `SPACE#${spaceId}`,
    SK: `ATTACH#${kind}#${ownerId}#${attachmentId}`,
  }),
  attachmentPrefix: (kind: 'page' | 'post', ownerId: string) => `ATTACH#${kind}#${ownerId}#`,
  /** The bytes of a space's attachments and how many (the per-space quota). */
  attachmentUsage: (spaceId: string) => ({ PK: `SPACE#${spaceId}`, SK: 'ATTACHUSAGE' }),
  /**
   * An upload asked for and not confirmed yet, in the space's partition (attachments) or the person's
   * (profile photos); `expiresAt` a day on, so one never confirmed is removed by TTL.
   */
  upload: (partition: string, uploadId: string) => ({ PK: partition, SK: `UPLOAD#${uploadId}` }),

  /**
   * Bookmarks (docs/data-model.md, "Bookmarks"). A person's save of a URL; GSI1 lists everyone who
   * saved the URL, GSI2 the person's saves newest first.
   */
  bookmark: (userId: string, urlHash: string) => ({ PK: `USER#${userId}`, SK: `BOOKMARK#${urlHash}` }),
  bookmarkPrefix: 'BOOKMARK#',
  saversOf: (urlHash: string) => `URL#${urlHash}#SAVERS`,
  bookmarksOf: (userId: string) => `USER#${userId}#BOOKMARKS`,
  /** The shared, normalised URL (the metadata fetcher fills in `meta`). */
  bookmarkUrl: (urlHash: string) => ({ PK: `URL#${urlHash}`, SK: 'URL' }),
  /** Pointer entries that make each list one Query; `savedAt` keeps each newest first. */
  bookmarkTagEntry: (userId: string, tag: string, savedAt: string, urlHash: string) => ({
    PK: `USER#${userId}`,
    SK: `BMTAG#${tag}#${savedAt}#${urlHash}`,
  }),
  bookmarkTagEntryPrefix: (tag: string) => `BMTAG#${tag}#`,
  bookmarkFavouriteEntry: (userId: string, savedAt: string, urlHash: string) => ({
    PK: `USER#${userId}`,
    SK: `BMFAV#${savedAt}#${urlHash}`,
  }),
  bookmarkFavouritePrefix: 'BMFAV#',
  /** A save every employee may see; its GSI1 (`employeeBookmarks`) is everyone's recent and popular. */
  bookmarkEmployeesEntry: (userId: string, savedAt: string, urlHash: string) => ({
    PK: `USER#${userId}`,
    SK: `BMPUB#${savedAt}#${urlHash}`,
  }),
  bookmarkEmployeesPrefix: 'BMPUB#',
  employeeBookmarks: 'BOOKMARKS#employees',
  bookmarkSpaceEntry: (spaceId: string, savedAt: string, userId: string, urlHash: string) => ({
    PK: `SPACE#${spaceId}`,
    SK: `BOOKMARK#${savedAt}#${userId}#${urlHash}`,
  }),
  bookmarkSpacePrefix: 'BOOKMARK#',
  /** Tag clouds: the person's own (all their saves) and the company's (saves every employee sees). */
  bookmarkTagCount: (userId: string, tag: string) => ({ PK: `USER#${userId}`, SK: `BMTAGCOUNT#${tag}` }),
  bookmarkTagCountPrefix: 'BMTAGCOUNT#',
  companyBookmarkTagCount: (tag: string) => ({ PK: 'BMTAGS#employees', SK: `TAG#${tag}` }),
  companyBookmarkTagCountPartition: 'BMTAGS#employees',
  bookmarkBundle: (userId: string, bundleId: string) => ({ PK: `USER#${userId}`, SK: `BUNDLE#${bundleId}` }),
  bookmarkBundlePrefix: 'BUNDLE#',

  /** A person's follow (or mute) of another person; GSI1 (followers, sparse: follows only) serves the fan-out. */
  follow: (followerId: string, userId: string) => ({
    PK: `USER#${followerId}`,
    SK: `FOLLOWS#USER#${userId}`,
  }),
  followPrefix: 'FOLLOWS#USER#',
  followersOf: (userId: string) => `USER#${userId}#FOLLOWERS`,
  /**
   * A person's watch (or mute) of a space, tag, page or post. `target` is the space id, the tag, or
   * `<spaceId>#<pageId>` / `<spaceId>#<postId>` (ids never contain '#'). GSI1 (sparse: watches only).
   */
  subscription: (userId: string, kind: string, target: string) => ({
    PK: `USER#${userId}`,
    SK: `SUB#${kind}#${target}`,
  }),
  subscriptionPrefix: 'SUB#',
  /** A person's choices about watching what they take part in (watchOnCreate, watchOnComment, watchOnEdit). */
  subscriptionSettings: (userId: string) => ({ PK: `USER#${userId}`, SK: 'SUBSETTINGS' }),
  /**
   * The likes of one post gathered for its author: which inbox item shows them now, the latest likers
   * and the time of the last like gathered (so a replayed record changes nothing).
   */
  likesGathered: (userId: string, spaceId: string, postId: string) => ({
    PK: `USER#${userId}`,
    SK: `LIKES#${spaceId}#${postId}`,
  }),
  subscribersOf: (kind: string, target: string) => `SUBSCRIBERS#${kind}#${target}`,
  /** An inbox item; the id is time-sortable and deterministic (see domain/subscriptions/notification.ts). */
  notification: (userId: string, notificationId: string) => ({
    PK: `USER#${userId}`,
    SK: `NOTE#${notificationId}`,
  }),
  notificationPrefix: 'NOTE#',
  /**
   * Home-feed partitions (docs/data-model.md, "Home feed"): what every employee may read, what one
   * partner organisation may read, and one person's own (members-only spaces, comments on watched posts).
   */
  employeesFeed: 'FEED#employees',
  organisationFeed: (orgId: string) => `FEED#ORG#${orgId}`,
  personalFeed: (userId: string) => `USER#${userId}`,
  feedPrefix: 'FEED#',
  /** Every feed item made from one source (GSI2 of feed items): found again to refresh, coalesce or delete. */
  feedItemsOf: (source: string) => `FEEDOF#${source}`,
  /** A person's unread inbox items (GSI2, sparse: the attributes are removed when read). */
  unreadOf: (userId: string) => `USER#${userId}#UNREAD`,
  /** A person's e-mail preferences (domain/mail/preferences.ts): one item, only the kinds they changed. */
  mailPreferences: (userId: string) => ({ PK: `USER#${userId}`, SK: 'PREFS#MAIL' }),
  /**
   * Inbox items waiting for a digest (GSI1, sparse: removed once e-mailed, read or dropped), sharded so
   * a large fan-out does not write one index partition (domain/mail/email-due.ts).
   */
  mailDue: (period: string, shard: number) => `MAILDUE#${period}#${shard}`,
  /** The "sent" marker of one person's digest of one period (`2026-11-30` or `2026-11-30T09`). */
  digestMarker: (userId: string, period: string, bucket: string) => ({
    PK: `USER#${userId}`,
    SK: `DIGEST#${period}#${bucket}`,
  }),
} as const;

/** Sortable time component for index sort keys. */
export const timeKey = (iso: string, id: string) => `${iso}#${id}`;

export const ID_PATTERN = /^[A-Za-z0-9~._-]{1,64}$/;
