// The fan-out's rules, pure: which change is an event, where its audience comes from, and who of the
// candidates is told (one reason each), per kind of person: the actor, a follower, a watcher, the
// mentioned, an employee without access, partners of the sharing and of another organisation.
import { describe, expect, it } from '@jest/globals';
import type { Space } from '../../../../functions/domain/spaces/space';
import {
  audienceOf,
  type CandidateFacts,
  decide,
  eventOf,
  readerFromProfile,
  recipientCanRead,
} from '../../../../functions/domain/subscriptions/fanout-rules';
import type { Reason } from '../../../../functions/domain/subscriptions/notification';
import { notificationId, notificationItem } from '../../../../functions/domain/subscriptions/notification';

const post = (over: Record<string, unknown> = {}) => ({
  PK: 'SPACE#eng',
  SK: 'POST#p1',
  type: 'post',
  id: 'p1',
  spaceId: 'eng',
  authorId: 'alice',
  authorName: 'Alice',
  title: 'Hello',
  excerpt: 'Hi',
  status: 'published',
  publishedAt: '2026-11-30T09:00:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
  tags: ['ops'],
  mentions: ['pat'],
  version: 1,
  ...over,
});
const comment = (over: Record<string, unknown> = {}) => ({
  PK: 'SPACE#eng',
  SK: 'COMMENT#p1#c1',
  type: 'comment',
  id: 'c1',
  postId: 'p1',
  spaceId: 'eng',
  authorId: 'bob',
  authorName: 'Bob',
  text: 'Nice',
  mentions: [],
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  version: 1,
  ...over,
});
const page = (over: Record<string, unknown> = {}) => ({
  PK: 'SPACE#eng',
  SK: 'PAGE#runbook',
  type: 'page',
  id: 'runbook',
  spaceId: 'eng',
  title: 'Runbook',
  excerpt: '',
  createdBy: 'alice',
  updatedBy: 'bob',
  updatedByName: 'Bob',
  updatedAt: '2026-11-30T11:00:00.000Z',
  mentions: [],
  version: 2,
  ...over,
});

describe('eventOf: which changes are events', () => {
  it('a post published at once or from a draft; every mention in it is new', () => {
    expect(eventOf(undefined, post())).toMatchObject({
      event: 'post-published',
      newMentions: ['pat'],
      tags: ['ops'],
    });
    expect(eventOf(post({ status: 'draft' }), post({ version: 2 }))).toMatchObject({
      event: 'post-published',
    });
  });

  it('drafts, deletions and counter changes tell nobody', () => {
    expect(eventOf(undefined, post({ status: 'draft' }))).toBeUndefined();
    expect(eventOf(post(), undefined)).toBeUndefined();
    expect(eventOf(post(), post({ likeCount: 3 }))).toBeUndefined();
  });

  it('an edit tells only mentions that were not in the previous version', () => {
    expect(eventOf(post(), post({ version: 2, mentions: ['pat'] }))).toBeUndefined();
    expect(eventOf(post(), post({ version: 2, mentions: ['pat', 'bob'] }))).toMatchObject({
      event: 'post-edited',
      newMentions: ['bob'],
      tags: [],
    });
    expect(eventOf(comment(), comment({ version: 2, mentions: ['alice'] }))).toMatchObject({
      event: 'comment-edited',
      newMentions: ['alice'],
    });
  });

  it('a new comment (not a deleted one); a page created or edited (a new version, not a delete)', () => {
    expect(eventOf(undefined, comment())).toMatchObject({ event: 'comment-added', actor: { id: 'bob' } });
    expect(eventOf(comment(), comment({ deleted: true, version: 2 }))).toBeUndefined();
    expect(eventOf(undefined, page({ version: 1 }))).toMatchObject({ event: 'page-created' });
    expect(eventOf(page({ version: 1 }), page())).toMatchObject({
      event: 'page-edited',
      actor: { id: 'bob' },
    });
    expect(eventOf(page(), page({ deleting: true, version: 3 }))).toBeUndefined();
    expect(eventOf(page(), page())).toBeUndefined();
  });
});

describe('audienceOf: where candidates come from', () => {
  it('a new post: followers of its author, watchers of its space and of each tag', () => {
    const audience = audienceOf(eventOf(undefined, post())!);
    expect(audience.followersOf).toBe('alice');
    expect(audience.watched.map((w) => w.reason)).toEqual(['watched-space', 'watched-tag']);
    expect(audience.replyTo).toBe(false);
  });
  it('a comment: the post watchers and the authors replied to; a page edit: the page watchers', () => {
    expect(audienceOf(eventOf(undefined, comment())!)).toMatchObject({
      replyTo: true,
      watched: [{ reason: 'watched-post' }],
    });
    expect(audienceOf(eventOf(page({ version: 1 }), page())!).watched).toEqual([
      { target: { kind: 'page', spaceId: 'eng', pageId: 'runbook' }, reason: 'watched-page' },
    ]);
  });
  it('edits of posts and comments reach only the newly mentioned', () => {
    expect(audienceOf(eventOf(post(), post({ version: 2, mentions: ['pat', 'bob'] }))!)).toMatchObject({
      watched: [],
      replyTo: false,
    });
  });
});

describe('decide: who is told', () => {
  const event = eventOf(undefined, post())!;
  const reader: CandidateFacts = { canRead: true, mutedActor: false, mutedItem: false, mutedPlace: false };
  const run = (candidates: Record<string, Reason[]>, facts: Record<string, Partial<CandidateFacts>>) =>
    decide(
      event,
      new Map(Object.entries(candidates).map(([id, reasons]) => [id, new Set(reasons)])),
      new Map(Object.entries(facts).map(([id, f]) => [id, { ...reader, ...f }])),
    );

  it('one notification per person, with the strongest reason', () => {
    expect(run({ bob: ['watched-space', 'mention', 'followed-author'] }, { bob: {} })).toEqual([
      { userId: 'bob', reason: 'mention' },
    ]);
    expect(run({ bob: ['watched-tag', 'followed-author'] }, { bob: {} })).toEqual([
      { userId: 'bob', reason: 'followed-author' },
    ]);
  });

  it('never the actor', () => {
    expect(run({ alice: ['mention'] }, { alice: {} })).toEqual([]);
  });

  it('never someone who cannot read it now, or about whom nothing is known', () => {
    expect(run({ pat: ['mention'], carol: ['watched-space'] }, { pat: { canRead: false } })).toEqual([]);
  });

  it('a muted actor or item silences everything; a muted space or tag only what comes through subscriptions', () => {
    expect(run({ bob: ['mention'] }, { bob: { mutedActor: true } })).toEqual([]);
    expect(run({ bob: ['reply'] }, { bob: { mutedItem: true } })).toEqual([]);
    expect(run({ bob: ['watched-tag', 'followed-author'] }, { bob: { mutedPlace: true } })).toEqual([]);
    expect(run({ bob: ['watched-space', 'mention'] }, { bob: { mutedPlace: true } })).toEqual([
      { userId: 'bob', reason: 'mention' },
    ]);
  });
});

describe('recipientCanRead: access at fan-out time, per role, from the profile', () => {
  const space = (over: Partial<Space>): Space => ({
    id: 'eng',
    name: 'Engineering',
    description: '',
    audience: 'employees',
    partnerOrgs: [],
    createdBy: 'alice',
    createdAt: '',
    updatedAt: '',
    version: 1,
    memberCount: 1,
    ownerCount: 1,
    ...over,
  });
  const employee = { userId: 'bob', kind: 'employee' };
  const acme = { userId: 'pat', kind: 'partner', org: 'acme' };
  const globex = { userId: 'gus', kind: 'partner', org: 'globex' };
  const member = { spaceId: 'x', userId: 'x', name: 'x', role: 'reader' as const, joinedAt: '' };

  it.each([
    ['an employee, employees’ space', employee, space({}), undefined, true],
    ['an employee, members-only, not a member', employee, space({ audience: 'members' }), undefined, false],
    ['an employee, members-only, a member', employee, space({ audience: 'members' }), member, true],
    ['acme partner, employees’ space', acme, space({}), undefined, false],
    [
      'acme partner, shared with acme',
      acme,
      space({ audience: 'partners', partnerOrgs: ['acme'] }),
      member,
      true,
    ],
    [
      'globex partner, shared with acme',
      globex,
      space({ audience: 'partners', partnerOrgs: ['acme'] }),
      member,
      false,
    ],
    [
      'a partner no longer shared with, still a member',
      acme,
      space({ audience: 'partners', partnerOrgs: [] }),
      member,
      false,
    ],
    ['no profile', undefined, space({}), undefined, false],
  ])('%s → %s', (_name, profile, s, membership, expected) => {
    expect(recipientCanRead(profile, s, membership)).toBe(expected);
  });

  it('a profile that says partner without an organisation reads nothing', () => {
    expect(readerFromProfile({ userId: 'x', kind: 'partner' }).groups).toEqual(['partner']);
    expect(recipientCanRead({ userId: 'x', kind: 'partner' }, space({}), undefined)).toBe(false);
  });
});

describe('notification identity', () => {
  const source = { PK: 'SPACE#eng', SK: 'POST#p1' };
  it('is the same for the same recipient, source, change and event, and sorts by time', () => {
    const at = '2026-11-30T09:00:00.000Z';
    const a = notificationId('bob', source, 1, 'post-published', at);
    expect(notificationId('bob', source, 1, 'post-published', at)).toBe(a);
    expect(notificationId('bob', source, 2, 'post-edited', at)).not.toBe(a);
    expect(notificationId('pat', source, 1, 'post-published', at)).not.toBe(a);
    expect(a).toMatch(/^20261130T090000000Z-[A-Za-z0-9]{22}$/);
    expect(notificationId('bob', source, 1, 'post-published', '2026-12-01T00:00:00.000Z') > a).toBe(true);
  });
  it('expires 90 days after the event and is unread (sparse index) until read', () => {
    const item = notificationItem({
      id: 'n1',
      recipientId: 'bob',
      event: 'post-published',
      reason: 'watched-space',
      actorId: 'alice',
      actorName: 'Alice',
      spaceId: 'eng',
      spaceName: 'Engineering',
      title: 't',
      excerpt: '',
      createdAt: '2026-11-30T00:00:00.000Z',
    });
    expect(item.expiresAt).toBe(Date.parse('2026-11-30T00:00:00.000Z') / 1000 + 90 * 86400);
    expect(item).toMatchObject({ PK: 'USER#bob', SK: 'NOTE#n1', GSI2PK: 'USER#bob#UNREAD' });
  });
});
