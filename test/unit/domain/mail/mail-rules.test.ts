// E-mail rules that need no table: preference defaults and kinds, the digest grouping, the periods a
// digest closes, the unsubscribe signature, and the messages' escaping and headers.
import { describe, expect, it } from '@jest/globals';
import { groupDigest } from '../../../../functions/domain/mail/digest';
import { emailDueAttributes, lastClosedPeriod, mailShard } from '../../../../functions/domain/mail/email-due';
import { digestMessage, immediateMessage } from '../../../../functions/domain/mail/message';
import {
  DEFAULT_PREFERENCES,
  kindOf,
  MAIL_KINDS,
  preferencesFrom,
} from '../../../../functions/domain/mail/preferences';
import {
  unsubscribeSignature,
  unsubscribeUrl,
  verifyUnsubscribe,
} from '../../../../functions/domain/mail/unsubscribe-token';
import type { Notification } from '../../../../functions/domain/subscriptions/notification';

const note = (over: Partial<Notification>): Notification => ({
  id: `n-${Math.random().toString(36).slice(2)}`,
  recipientId: 'bob',
  event: 'post-published',
  reason: 'watched-space',
  actorId: 'alice',
  actorName: 'Alice',
  spaceId: 'eng',
  spaceName: 'Engineering',
  postId: 'p1',
  title: 'A post',
  excerpt: 'text',
  createdAt: '2026-11-30T09:00:00.000Z',
  ...over,
});

describe('preferences', () => {
  it('default to mentions and replies immediately, everything else daily', () => {
    expect(preferencesFrom(undefined)).toEqual({
      mention: 'immediately',
      reply: 'immediately',
      comment: 'daily',
      post: 'daily',
      page: 'daily',
      other: 'daily',
    });
    expect(Object.keys(DEFAULT_PREFERENCES).sort()).toEqual([...MAIL_KINDS].sort());
  });

  it('stored choices override the defaults; unknown kinds and values are ignored', () => {
    const item = { PK: 'x', SK: 'y', kinds: { post: 'hourly', mention: 'weekly', bogus: 'never' } };
    expect(preferencesFrom(item)).toMatchObject({ post: 'hourly', mention: 'immediately' });
    expect(preferencesFrom(item)).not.toHaveProperty('bogus');
  });

  it('the kind of an item: the reason first (mention, reply), then the event', () => {
    expect(kindOf({ event: 'comment-added', reason: 'mention' })).toBe('mention');
    expect(kindOf({ event: 'comment-added', reason: 'reply' })).toBe('reply');
    expect(kindOf({ event: 'comment-added', reason: 'watched-post' })).toBe('comment');
    expect(kindOf({ event: 'post-edited', reason: 'followed-author' })).toBe('post');
    expect(kindOf({ event: 'page-edited', reason: 'watched-page' })).toBe('page');
    expect(kindOf({ event: 'something-new' as never, reason: 'watched-space' })).toBe('other');
  });
});

describe('e-mail due marks', () => {
  it('immediately: a mark only; digests: the sparse index keys; never: nothing', () => {
    const n = note({});
    expect(emailDueAttributes(n, 'never')).toEqual({});
    expect(emailDueAttributes(n, 'immediately')).toEqual({ emailDue: 'immediately' });
    expect(emailDueAttributes(n, 'daily')).toEqual({
      emailDue: 'daily',
      GSI1PK: `MAILDUE#daily#${mailShard('bob')}`,
      GSI1SK: `${n.createdAt}#bob#${n.id}`,
    });
  });

  it('the period closed last: the previous hour, the previous UTC day', () => {
    const now = new Date('2026-11-30T09:20:00.000Z');
    expect(lastClosedPeriod('hourly', now)).toEqual({
      bucket: '2026-11-30T08',
      end: '2026-11-30T09:00:00.000Z',
    });
    expect(lastClosedPeriod('daily', now)).toEqual({ bucket: '2026-11-29', end: '2026-11-30T00:00:00.000Z' });
  });
});

describe('digest grouping', () => {
  it('groups by space (newest space first), then by kind in a fixed order, newest first within', () => {
    const items = [
      note({ id: 'a', spaceId: 'eng', spaceName: 'Engineering', createdAt: '2026-11-30T01:00:00Z' }),
      note({ id: 'b', spaceId: 'ops', spaceName: 'Ops', createdAt: '2026-11-30T05:00:00Z' }),
      note({
        id: 'c',
        spaceId: 'eng',
        event: 'page-edited',
        reason: 'watched-page',
        createdAt: '2026-11-30T03:00:00Z',
      }),
      note({ id: 'd', spaceId: 'eng', reason: 'mention', createdAt: '2026-11-30T02:00:00Z' }),
      note({ id: 'e', spaceId: 'eng', createdAt: '2026-11-30T04:00:00Z' }),
    ];
    const groups = groupDigest(items);
    expect(groups.map((g) => g.spaceId)).toEqual(['ops', 'eng']);
    expect(groups[1].kinds.map((k) => [k.kind, k.items.map((i) => i.id)])).toEqual([
      ['mention', ['d']],
      ['post', ['e', 'a']],
      ['page', ['c']],
    ]);
  });

  it('nothing to group, no groups', () => {
    expect(groupDigest([])).toEqual([]);
  });
});

describe('unsubscribe signature', () => {
  const key = Buffer.alloc(32, 7);
  const sig = unsubscribeSignature(key, 'bob', 'post');

  it('accepts the link made for that person and kind', () => {
    expect(verifyUnsubscribe(key, 'bob', 'post', sig)).toBe(true);
  });

  it('refuses a tampered signature, another person, another kind, another key, an unknown kind', () => {
    const tampered = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyUnsubscribe(key, 'bob', 'post', tampered)).toBe(false);
    expect(verifyUnsubscribe(key, 'alice', 'post', sig)).toBe(false);
    expect(verifyUnsubscribe(key, 'bob', 'mention', sig)).toBe(false);
    expect(verifyUnsubscribe(Buffer.alloc(32, 8), 'bob', 'post', sig)).toBe(false);
    expect(verifyUnsubscribe(key, 'bob', 'weekly', sig)).toBe(false);
    expect(verifyUnsubscribe(key, 'bob', 'post', '')).toBe(false);
  });

  it('the link carries user, kind and signature to the API', () => {
    const url = new URL(unsubscribeUrl('https://cp.example/', key, 'bob', 'post'));
    expect(url.pathname).toBe('/api/unsubscribe');
    expect(Object.fromEntries(url.searchParams)).toEqual({ user: 'bob', kind: 'post', sig });
  });
});

describe('messages', () => {
  const links = { publicUrl: 'https://cp.example', key: Buffer.alloc(32, 1) };
  const bob = { userId: 'bob', email: 'bob@example.com', name: 'Bob' };
  const hostile = note({
    reason: 'mention',
    actorName: '<img src=x onerror=alert(1)>',
    title: '"><script>alert(1)</script>',
    excerpt: 'a & b <b>bold</b>',
    spaceName: 'R&D <lab>',
  });

  it('escape user text in the HTML part, keep it as written in the text part, and carry RFC 8058 headers', () => {
    const message = immediateMessage(bob, hostile, links);
    expect(message.html).not.toMatch(/<script|<img|<b>bold/);
    expect(message.html).toContain('&lt;script&gt;');
    expect(message.html).toContain('R&amp;D &lt;lab&gt;');
    expect(message.text).toContain('a & b <b>bold</b>');
    expect(message.headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/cp\.example\/api\/unsubscribe\?user=bob&kind=mention&sig=[\w-]+>$/,
    );
    expect(message.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(message.text).toContain('https://cp.example/preferences');
    expect(message.html).toContain('https://cp.example/preferences');
  });

  it('a digest lists every item once, with an unsubscribe link per kind', () => {
    const message = digestMessage(bob, 'daily', groupDigest([hostile, note({ title: 'Plain' })]), links);
    expect(message.subject).toBe('Your daily Commonplace digest: 2 updates');
    expect(message.html).not.toMatch(/<script|<img/);
    expect(message.text.match(/kind=mention/g)).toHaveLength(1);
    expect(message.text.match(/kind=post/g)).toHaveLength(1);
    expect(message.tag).toBe('digest-daily');
  });
});
