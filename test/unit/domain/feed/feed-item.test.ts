// The feed's pure rules: which change of a post, page or comment publishes, refreshes or removes feed
// items, and which partitions an activity in a space goes to.
import { describe, expect, it } from '@jest/globals';
import {
  feedChangeOf,
  feedItem,
  linkOf,
  partitionsFor,
  postActivity,
} from '../../../../functions/domain/feed/feed-item';

const post = (over: Record<string, unknown> = {}) => ({
  PK: 'SPACE#s',
  SK: 'POST#p',
  type: 'post',
  id: 'p',
  spaceId: 's',
  title: 'T',
  excerpt: 'E',
  body: 'the body',
  authorId: 'bob',
  authorName: 'Bob',
  status: 'published',
  publishedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  tags: ['a'],
  ...over,
});
const page = (over: Record<string, unknown> = {}) => ({
  type: 'page',
  id: 'g',
  spaceId: 's',
  title: 'Page',
  excerpt: '',
  updatedBy: 'alice',
  updatedByName: 'Alice',
  updatedAt: '2026-01-02T00:00:00.000Z',
  version: 1,
  ...over,
});

describe('feedChangeOf', () => {
  it('publishes a post when it becomes published, at its publishing time, without the body', () => {
    const change = feedChangeOf(undefined, post());
    expect(change).toMatchObject({
      op: 'publish',
      coalesce: false,
      activity: { kind: 'post', at: '2026-01-01T00:00:00.000Z' },
    });
    expect(JSON.stringify(change)).not.toContain('the body');
    expect(feedChangeOf(post({ status: 'draft' }), post({ version: 2 }))).toMatchObject({ op: 'publish' });
    expect(feedChangeOf(undefined, post({ status: 'draft' }))).toBeUndefined();
  });

  it('refreshes on an edit, ignores a counter, removes on delete or back to draft', () => {
    expect(feedChangeOf(post(), post({ version: 2, title: 'New' }))).toEqual({
      op: 'refresh',
      source: 's#post#p',
      fields: { title: 'New', excerpt: 'E', tags: ['a'] },
    });
    expect(feedChangeOf(post(), post({ likeCount: 3 }))).toBeUndefined();
    expect(feedChangeOf(post(), undefined)).toEqual({ op: 'remove', source: 's#post#p' });
    expect(feedChangeOf(post(), post({ status: 'draft', version: 2 }))).toEqual({
      op: 'remove',
      source: 's#post#p',
    });
  });

  it('publishes page edits to be coalesced; a page being deleted is removed', () => {
    expect(feedChangeOf(page(), page({ version: 2 }))).toMatchObject({
      op: 'publish',
      coalesce: true,
      activity: { kind: 'page', authorId: 'alice', pageId: 'g' },
    });
    expect(feedChangeOf(page(), page())).toBeUndefined();
    expect(feedChangeOf(page(), page({ deleting: true, version: 2 }))).toEqual({
      op: 'remove',
      source: 's#page#g',
    });
  });

  it('leaves new comments to the fan-out, removes deleted ones', () => {
    const comment = { type: 'comment', id: 'c', spaceId: 's', postId: 'p', text: 'hi', version: 1 };
    expect(feedChangeOf(undefined, comment)).toBeUndefined();
    expect(feedChangeOf(comment, { ...comment, deleted: true, version: 2 })).toEqual({
      op: 'remove',
      source: 's#comment#c',
    });
  });

  it('ignores other items', () => {
    expect(feedChangeOf(undefined, { type: 'like' })).toBeUndefined();
  });
});

describe('partitionsFor', () => {
  const members = [{ userId: 'alice' }, { userId: 'pat', org: 'acme' }];
  it('spaces open to employees: the one shared partition, whatever the members', () => {
    expect(partitionsFor({ audience: 'employees', partnerOrgs: [] }, members)).toEqual(['FEED#employees']);
  });
  it('members-only spaces: each employee member; shared spaces also each organisation', () => {
    expect(partitionsFor({ audience: 'members', partnerOrgs: [] }, members)).toEqual(['USER#alice']);
    expect(partitionsFor({ audience: 'partners', partnerOrgs: ['acme', 'globex'] }, members)).toEqual([
      'FEED#ORG#acme',
      'FEED#ORG#globex',
      'USER#alice',
    ]);
  });
});

describe('feed items', () => {
  it('sort by time in their partition and are found again by their source', () => {
    const item = feedItem('FEED#employees', {
      ...postActivity(post()),
      spaceName: 'S',
      edits: 1,
      since: 'x',
    });
    expect(item).toMatchObject({
      PK: 'FEED#employees',
      SK: 'FEED#2026-01-01T00:00:00.000Z#s#post#p',
      type: 'feed',
      GSI2PK: 'FEEDOF#s#post#p',
      GSI2SK: '2026-01-01T00:00:00.000Z#FEED#employees',
    });
  });
  it('link to the post, the page or the comment', () => {
    expect(linkOf({ kind: 'page', spaceId: '~bob', pageId: 'g' })).toBe('/spaces/~bob/pages/g');
    expect(linkOf({ kind: 'comment', spaceId: 's', postId: 'p', commentId: 'c' })).toBe(
      '/spaces/s/posts/p#comment-c',
    );
  });
});
