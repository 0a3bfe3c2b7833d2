/**
 * What the API returns, as the web client reads it. The domain's view types are the source of truth
 * (functions/domain/*: SpaceView, PostView, PostSummary, CommentView, Profile); these mirror them
 * without importing server code into the browser bundle.
 */
export type Role = 'owner' | 'editor' | 'reader';
export type Audience = 'employees' | 'members' | 'partners';

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface Space {
  id: string;
  name: string;
  description: string;
  audience: Audience;
  partnerOrgs: string[];
  personalOf?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Not told to partners. */
  memberCount?: number;
  ownerCount: number;
  myRole?: Role;
  permissions: { contribute: boolean; manage: boolean; join: boolean; leave: boolean };
}

export interface Member {
  spaceId: string;
  userId: string;
  name: string;
  org?: string;
  role: Role;
  joinedAt: string;
}

export interface PostSummary {
  id: string;
  spaceId: string;
  authorId: string;
  authorName: string;
  /** Set when the author is a partner user: shown as external. */
  authorOrg?: string;
  title: string;
  excerpt: string;
  tags: string[];
  mentions: string[];
  status: 'draft' | 'published';
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  version: number;
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  permissions: { edit: boolean; delete: boolean; comment: boolean };
}

export interface Post extends PostSummary {
  /** Markdown as written. */
  body: string;
  /** Sanitized HTML rendered by the server. */
  html: string;
}

export interface Comment {
  id: string;
  spaceId: string;
  postId: string;
  parentId?: string;
  authorId: string;
  authorName: string;
  authorOrg?: string;
  body: string;
  html: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  deleted?: boolean;
  permissions: { edit: boolean; delete: boolean };
}

export interface Profile {
  userId: string;
  name: string;
  email: string;
  handle: string;
  org?: string;
  kind: 'employee' | 'partner';
  title?: string;
  department?: string;
  location?: string;
  phone?: string;
  about?: string;
  skills: string[];
  createdAt: string;
  updatedAt?: string;
  version?: number;
}

export interface PersonSummary {
  userId: string;
  name: string;
  title?: string;
  org?: string;
}

export interface Me extends Profile {
  groups: string[];
}

export interface Organisation {
  id: string;
  name: string;
}

export type SearchType = 'post' | 'comment' | 'profile';

export interface SearchHit {
  type: SearchType;
  id: string;
  spaceId?: string;
  spaceName?: string;
  postId?: string;
  title: string;
  /** Sanitized HTML whose only markup is <mark>. */
  snippet: string;
  /** A client route. */
  url: string;
  authorId?: string;
  authorName?: string;
  authorOrg?: string;
  updatedAt: string;
  score: number;
}

export interface FacetValue {
  value: string;
  label?: string;
  count: number;
}

export interface PersonHit {
  userId: string;
  name: string;
  title?: string;
  org?: string;
  score: number;
  evidence: { kind: string; title: string; url: string }[];
}

export interface SearchResult {
  total: number;
  items: SearchHit[];
  facets: { type: FacetValue[]; space: FacetValue[]; tag: FacetValue[] };
  people: PersonHit[];
  cursor?: string;
}

export interface Suggestion {
  type: SearchType | string;
  title: string;
  url: string;
}

/** A wiki page (PageView in functions/domain/wiki/page-service.ts). */
export interface WikiPageSummary {
  id: string;
  spaceId: string;
  title: string;
  parentId?: string;
  excerpt: string;
  tags: string[];
  createdBy: string;
  createdByName: string;
  createdByOrg?: string;
  updatedBy: string;
  updatedByName: string;
  updatedByOrg?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  permissions: { edit: boolean; delete: boolean };
}

export interface WikiPage extends WikiPageSummary {
  body: string;
  html: string;
  links: string[];
}

export interface PageVersionSummary {
  spaceId: string;
  pageId: string;
  version: number;
  title: string;
  parentId?: string;
  editedBy: string;
  editedByName: string;
  editedByOrg?: string;
  editedAt: string;
  summary?: string;
  restoredFrom?: number;
}

export interface PageVersion extends PageVersionSummary {
  body: string;
  html: string;
}
