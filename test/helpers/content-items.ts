/**
 * Table items of a space and a post as the services write them, for tests that put them straight into
 * the table (the search rebuild's tests): the same fields every time, what a test varies in `overrides`.
 */
import { postItem } from '../../functions/domain/posts/post';
import { spaceItem } from '../../functions/domain/spaces/space';

export const FIXTURE_TIME = '2026-11-30T10:00:00.000Z';

export const spaceFixture = (id: string, audience: 'employees' | 'members') =>
  spaceItem({
    id,
    name: `Space ${id}`,
    description: '',
    audience,
    partnerOrgs: [],
    createdBy: 'alice',
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    version: 1,
    memberCount: 1,
    ownerCount: 1,
  } as never);

export const postFixture = (spaceId: string, id: string, overrides: Record<string, unknown> = {}) =>
  postItem({
    id,
    spaceId,
    authorId: 'alice',
    authorName: 'Alice',
    title: `Post ${id}`,
    body: `Body of ${id}`,
    html: `<p>Body of ${id}</p>`,
    text: `Body of ${id}`,
    excerpt: `Body of ${id}`,
    tags: ['t'],
    mentions: [],
    status: 'published',
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    publishedAt: FIXTURE_TIME,
    version: 1,
    likeCount: 0,
    commentCount: 1,
    ...overrides,
  } as never);
