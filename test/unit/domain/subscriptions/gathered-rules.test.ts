// The rules added for issue 11's later items, pure: minor edits tell nobody, only NEW mentions tell
// (posts, comments, page edits), what taking part makes you watch (and the settings that turn it
// off), likes gathered into one item per post, and a space shared with a partner organisation —
// per kind of person (the actor, an employee, partners of the sharing and of another organisation).
import { describe, expect, it } from '@jest/globals';
import type { Space } from '../../../../functions/domain/spaces/space';
import {
  allows,
  audienceLists,
  autoWatchOf,
  type CandidateFacts,
  DEFAULT_WATCH_SETTINGS,
  eventOf,
  gatherLikes,
  LIKERS_SHOWN,
  likeOf,
  likeRecipient,
  plan,
  sharedOf,
  shareRecipient,
  watchSettingsOf,
} from '../../../../functions/domain/subscriptions/fanout-rules';

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
  createdAt: '2026-11-30T09:00:00.000Z',
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
  mentions: ['alice'],
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
  createdBy: 'alice',
  createdAt: '2026-11-30T08:00:00.000Z',
  updatedBy: 'bob',
  updatedByName: 'Bob',
  updatedAt: '2026-11-30T11:00:00.000Z',
  mentions: ['pat'],
  version: 2,
  ...over,
});
const space = (over: Partial<Space> = {}): Space & Record<string, unknown> => ({
  id: 'eng',
  name: 'Engineering',
  description: '',
  audience: 'employees',
  partnerOrgs: [],
  createdBy: 'bob',
  createdAt: '',
  updatedAt: '2026-11-30T12:00:00.000Z',
  version: 3,
  memberCount: 1,
  ownerCount: 1,
  ...over,
});

describe('only NEW @mentions tell anyone', () => {
  it('a post edit: the mentions not in the previous version', () => {
    expect(eventOf(post(), post({ version: 2 }))).toBeUndefined();
    expect(eventOf(post(), post({ version: 2, mentions: ['pat', 'gus'] }))?.newMentions).toEqual(['gus']);
  });
  it('a comment edit: the same', () => {
    expect(eventOf(comment(), comment({ version: 2 }))).toBeUndefined();
    expect(eventOf(comment(), comment({ version: 2, mentions: ['alice', 'pat'] }))?.newMentions).toEqual([
      'pat',
    ]);
  });
  it('a page edit: its watchers, and only the mentions it adds', () => {
    expect(eventOf(page({ version: 1 }), page())?.newMentions).toEqual([]);
    expect(eventOf(page({ version: 1, mentions: [] }), page())?.newMentions).toEqual(['pat']);
    expect(
      eventOf(page({ version: 1, mentions: ['pat'] }), page({ mentions: ['bob', 'pat'] }))?.newMentions,
    ).toEqual(['bob']);
  });
  it('a page written before mentions were kept counts as having none', () => {
    expect(eventOf(page({ version: 1, mentions: undefined }), page())?.newMentions).toEqual(['pat']);
  });
});

describe('a minor edit tells nobody', () => {
  it('a page edit marked minor: no event, not for watchers, not for new mentions', () => {
    expect(eventOf(page({ version: 1, mentions: [] }), page({ minorEdit: true }))).toBeUndefined();
    expect(plan(page({ version: 1 }), page({ minorEdit: true }))).toBeUndefined();
  });
  it('a post edit marked minor: not even a new mention', () => {
    expect(eventOf(post(), post({ version: 2, mentions: ['pat', 'bob'], minorEdit: true }))).toBeUndefined();
  });
  it('publishing is never minor; nor is creating a page', () => {
    expect(eventOf(post({ status: 'draft' }), post({ version: 2, minorEdit: true }))?.event).toBe(
      'post-published',
    );
    expect(eventOf(undefined, page({ version: 1, minorEdit: true }))?.event).toBe('page-created');
  });
  it('the next edit that is not minor tells again', () => {
    expect(eventOf(page({ minorEdit: true }), page({ version: 3 }))?.event).toBe('page-edited');
  });
});

describe('plan and audienceLists: the one entry point of the fan-out and the preview', () => {
  it('a new post: followers of the author, watchers of the space and of each tag', () => {
    const planned = plan(undefined, post())!;
    expect(planned.event.event).toBe('post-published');
    expect(audienceLists(planned.audience).map((l) => [l.partition, l.reason])).toEqual([
      ['USER#alice#FOLLOWERS', 'followed-author'],
      ['SUBSCRIBERS#space#eng', 'watched-space'],
      ['SUBSCRIBERS#tag#ops', 'watched-tag'],
    ]);
  });
  it('a page edit: the page watchers; a new page: nobody listed (only the mentioned)', () => {
    expect(audienceLists(plan(page({ version: 1 }), page())!.audience)).toEqual([
      expect.objectContaining({ partition: 'SUBSCRIBERS#page#eng#runbook', reason: 'watched-page' }),
    ]);
    expect(audienceLists(plan(undefined, page({ version: 1 }))!.audience)).toEqual([]);
  });
});

describe('autoWatchOf: taking part watches it, unless turned off', () => {
  it('creating a post or page watches it', () => {
    expect(autoWatchOf(undefined, post())).toMatchObject({
      userId: 'alice',
      target: { kind: 'post', postId: 'p1' },
      setting: 'watchOnCreate',
      label: 'Hello',
    });
    expect(autoWatchOf(undefined, page({ version: 1 }))).toMatchObject({
      userId: 'alice',
      target: { kind: 'page', pageId: 'runbook' },
      setting: 'watchOnCreate',
    });
  });
  it('commenting watches the post; editing a page watches the page (its editor)', () => {
    expect(autoWatchOf(undefined, comment())).toMatchObject({
      userId: 'bob',
      target: { kind: 'post', spaceId: 'eng', postId: 'p1' },
      setting: 'watchOnComment',
    });
    expect(autoWatchOf(page({ version: 1 }), page())).toMatchObject({
      userId: 'bob',
      target: { kind: 'page', pageId: 'runbook' },
      setting: 'watchOnEdit',
    });
  });
  it('a post edit, a comment edit or deletion, a counter change or a page being deleted watch nothing', () => {
    expect(autoWatchOf(post(), post({ version: 2 }))).toBeUndefined();
    expect(autoWatchOf(comment(), comment({ version: 2 }))).toBeUndefined();
    expect(autoWatchOf(undefined, comment({ deleted: true }))).toBeUndefined();
    expect(autoWatchOf(page(), page())).toBeUndefined();
    expect(autoWatchOf(page(), page({ version: 3, deleting: true }))).toBeUndefined();
    expect(autoWatchOf(post(), undefined)).toBeUndefined();
  });
  it('settings: on by default; each turned off on its own', () => {
    expect(watchSettingsOf(undefined)).toEqual(DEFAULT_WATCH_SETTINGS);
    const settings = watchSettingsOf({ watchOnComment: false });
    expect(settings).toEqual({ watchOnCreate: true, watchOnComment: false, watchOnEdit: true });
    expect(allows(settings, autoWatchOf(undefined, comment())!)).toBe(false);
    expect(allows(settings, autoWatchOf(page({ version: 1 }), page())!)).toBe(true);
    expect(allows(watchSettingsOf({ watchOnEdit: false }), autoWatchOf(page({ version: 1 }), page())!)).toBe(
      false,
    );
    expect(allows(watchSettingsOf({ watchOnCreate: false }), autoWatchOf(undefined, post())!)).toBe(false);
  });
});

describe('likes: one item per post for its author', () => {
  const likeItem = (userId: string, at: string, org?: string) => ({
    PK: 'SPACE#eng',
    SK: `LIKE#p1#${userId}`,
    type: 'like',
    spaceId: 'eng',
    postId: 'p1',
    userId,
    name: userId.toUpperCase(),
    ...(org ? { org } : {}),
    likedAt: at,
  });
  const reader: CandidateFacts = { canRead: true, mutedActor: false, mutedItem: false, mutedPlace: false };

  it('a like made is an event; an unlike or a rewrite is not', () => {
    expect(likeOf(undefined, likeItem('bob', 't1'))).toEqual({
      spaceId: 'eng',
      postId: 'p1',
      liker: { id: 'bob', name: 'BOB' },
      at: 't1',
    });
    expect(likeOf(likeItem('bob', 't1'), undefined)).toBeUndefined();
    expect(likeOf(likeItem('bob', 't1'), likeItem('bob', 't1'))).toBeUndefined();
    expect(likeOf(undefined, post())).toBeUndefined();
  });

  it('tells the author, never the liker themself, nor a draft, nor who cannot read or muted', () => {
    const like = likeOf(undefined, likeItem('bob', 't1'))!;
    expect(likeRecipient(like, post(), reader)).toBe('alice');
    expect(likeRecipient(likeOf(undefined, likeItem('alice', 't1'))!, post(), reader)).toBeUndefined();
    expect(likeRecipient(like, post({ status: 'draft' }), reader)).toBeUndefined();
    expect(likeRecipient(like, undefined, reader)).toBeUndefined();
    expect(likeRecipient(like, post(), { ...reader, canRead: false })).toBeUndefined();
    expect(likeRecipient(like, post(), { ...reader, mutedActor: true })).toBeUndefined();
    expect(likeRecipient(like, post(), { ...reader, mutedItem: true })).toBeUndefined();
  });

  it('gathers the latest likers (newest first, each once) and the count; a replay changes nothing', () => {
    const first = gatherLikes(undefined, likeOf(undefined, likeItem('bob', 't1'))!, 1)!;
    expect(first).toEqual({ likers: [{ id: 'bob', name: 'BOB' }], likeCount: 1, lastLikedAt: 't1' });
    const second = gatherLikes(first, likeOf(undefined, likeItem('pat', 't2', 'acme'))!, 2)!;
    expect(second.likers.map((p) => p.id)).toEqual(['pat', 'bob']);
    expect(second.likers[0]).toEqual({ id: 'pat', name: 'PAT', org: 'acme' });
    expect(gatherLikes(second, likeOf(undefined, likeItem('bob', 't2'))!, 2)).toBeUndefined();
    let gathered = second;
    for (const [i, who] of ['gus', 'carol', 'bob'].entries())
      gathered = gatherLikes(gathered, likeOf(undefined, likeItem(who, `t${3 + i}`))!, 3 + i)!;
    expect(gathered.likers.map((p) => p.id)).toEqual(['bob', 'carol', 'gus']);
    expect(gathered.likers).toHaveLength(LIKERS_SHOWN);
    expect(gathered.likeCount).toBe(5);
  });

  it('an older like handled after a newer one joins the list after it; the item keeps its time', () => {
    const newer = gatherLikes(undefined, likeOf(undefined, likeItem('pat', 't2', 'acme'))!, 2)!;
    const late = gatherLikes(newer, likeOf(undefined, likeItem('gus', 't1'))!, 2)!;
    expect(late).toEqual({
      likers: [
        { id: 'pat', name: 'PAT', org: 'acme' },
        { id: 'gus', name: 'GUS' },
      ],
      likeCount: 2,
      lastLikedAt: 't2',
    });
    // Handled again (a replay): nothing changes.
    expect(gatherLikes(late, likeOf(undefined, likeItem('gus', 't1'))!, 2)).toBeUndefined();
    // A full list stays as it is; only a higher count is taken.
    let full = late;
    full = gatherLikes(full, likeOf(undefined, likeItem('bob', 't3'))!, 3)!;
    expect(gatherLikes(full, likeOf(undefined, likeItem('carol', 't0'))!, 3)).toBeUndefined();
    expect(gatherLikes(full, likeOf(undefined, likeItem('carol', 't0'))!, 4)).toEqual({
      ...full,
      likeCount: 4,
    });
  });
});

describe('a space shared with an organisation tells its partners', () => {
  const shared = (before: Record<string, unknown> | undefined, after: Record<string, unknown>) =>
    sharedOf(before, { type: 'space', ...after });
  const acme = { userId: 'pat', kind: 'partner', org: 'acme' };
  const globex = { userId: 'gus', kind: 'partner', org: 'globex' };
  const employee = { userId: 'carol', kind: 'employee' };

  it('only organisations added by this change; unsharing and other changes tell nobody', () => {
    const before = space({ audience: 'members' });
    const after = space({ audience: 'partners', partnerOrgs: ['acme'], version: 4 });
    expect(shared(before, { ...after, sharedBy: 'bob', sharedByName: 'Bob' })).toEqual({
      spaceId: 'eng',
      orgs: ['acme'],
      actor: { id: 'bob', name: 'Bob' },
      at: '2026-11-30T12:00:00.000Z',
      change: 4,
    });
    expect(shared(after, { ...after, partnerOrgs: ['acme', 'globex'] })?.orgs).toEqual(['globex']);
    expect(shared(after, { ...after, partnerOrgs: [] })).toBeUndefined();
    expect(shared(after, { ...after, name: 'Renamed' })).toBeUndefined();
    expect(sharedOf(undefined, post())).toBeUndefined();
  });

  it('partners of that organisation only; not another organisation, not employees, never the actor', () => {
    const now = space({ audience: 'partners', partnerOrgs: ['acme'] });
    const event = shared(space(), { ...now, sharedBy: 'bob' })!;
    expect(shareRecipient(event, acme, now)).toBe(true);
    expect(shareRecipient(event, globex, now)).toBe(false);
    expect(shareRecipient(event, employee, now)).toBe(false);
    expect(shareRecipient(event, undefined, now)).toBe(false);
    expect(shareRecipient({ ...event, actor: { id: 'pat', name: 'Pat' } }, acme, now)).toBe(false);
    // Unshared again by the time of the fan-out: nobody.
    expect(shareRecipient(event, acme, space({ audience: 'members', partnerOrgs: [] }))).toBe(false);
  });
});
