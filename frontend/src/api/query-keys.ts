/**
 * Every key of the client's query cache, from one factory: a screen that reads a thing and a save that
 * refreshes it name it the same way, and a prefix (`keys.posts(spaceId)`) reaches every page of a list.
 */
export const keys = {
  space: (spaceId: string) => ['space', spaceId] as const,
  spaces: () => ['spaces'] as const,
  spaceList: (scope: string) => ['spaces', scope] as const,
  spaceNames: () => ['spaces', 'names'] as const,
  members: (spaceId: string) => ['members', spaceId] as const,
  orgs: () => ['orgs'] as const,

  feed: () => ['feed'] as const,
  drafts: () => ['drafts'] as const,
  posts: (spaceId: string) => ['posts', spaceId] as const,
  tagPosts: (tag: string) => ['tag', tag] as const,
  post: (spaceId: string, postId: string) => ['post', spaceId, postId] as const,
  postEdit: (spaceId: string, postId: string | undefined) => ['post-edit', spaceId, postId] as const,
  postLatest: (spaceId: string, postId: string) => ['post-edit-latest', spaceId, postId] as const,
  comments: (spaceId: string, postId: string) => ['comments', spaceId, postId] as const,

  pages: (spaceId: string) => ['pages', spaceId] as const,
  /** One level of the page tree ('' the top); under `pages`, so invalidating the pages reaches it. */
  pageTree: (spaceId: string, parent: string | undefined) =>
    ['pages', spaceId, 'tree', parent ?? ''] as const,
  /** Tree nodes of some pages by id (which exist, their titles); under `pages` like the tree. */
  pageNodes: (spaceId: string, ids: readonly string[]) => ['pages', spaceId, 'nodes', ...ids] as const,
  /** Pages whose title starts with a prefix (the parent picker). */
  pageTitles: (spaceId: string, prefix: string) => ['pages', spaceId, 'titles', prefix] as const,
  page: (spaceId: string, pageId: string) => ['page', spaceId, pageId] as const,
  pageEdit: (spaceId: string, pageId: string | undefined) => ['page-edit', spaceId, pageId] as const,
  pageVersions: (spaceId: string, pageId: string, version: number) =>
    ['page-versions', spaceId, pageId, version] as const,
  pageVersion: (spaceId: string, pageId: string, version: number) =>
    ['page-version', spaceId, pageId, version] as const,
  backlinks: (spaceId: string, pageId: string) => ['backlinks', spaceId, pageId] as const,

  person: (userIdOrHandle: string) => ['person', userIdOrHandle] as const,
  personPosts: (userId: string) => ['person-posts', userId] as const,
  peopleWithSkill: () => ['people-with-skill'] as const,
  peopleWithSkillNamed: (skill: string) => ['people-with-skill', skill] as const,

  notifications: () => ['notifications'] as const,
  inbox: () => ['notifications', 'inbox'] as const,
  unreadCount: () => ['notifications', 'unread-count'] as const,
  mailPreferences: () => ['notifications', 'mail-preferences'] as const,
  watchSettings: () => ['subscriptions', 'settings'] as const,
  follows: () => ['follows'] as const,
  watches: () => ['watches'] as const,

  /** Every bookmark list, cloud, bundle and lookup: a save, edit or import invalidates this prefix. */
  bookmarks: () => ['bookmarks'] as const,
  bookmarkList: (view: string, filter: string) => ['bookmarks', 'list', view, filter] as const,
  bookmarkLookup: (url: string) => ['bookmarks', 'lookup', url] as const,
  bookmarkTags: (whose: 'mine' | 'company') => ['bookmarks', 'tags', whose] as const,
  bookmarkBundles: () => ['bookmarks', 'bundles'] as const,

  search: (q: string, filters: unknown) => ['search', q, filters] as const,
  suggest: (q: string) => ['suggest', q] as const,
};
