// E-mail over the real local runtime and its outbox: an immediate e-mail for a mention, sent once even
// when the stream batch is replayed and retried after a failed send; daily digests sent once however
// often the job runs, without items read in the inbox or of a space the recipient has left; the
// preferences API; one-click unsubscribe links (and forged ones refused).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OutboxEntry } from '../../functions/mail/outbox-mailer';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let seq = 0;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

/** Messages to an address sent since `mark` (an outbox length taken earlier). */
function mailTo(email: string, since: OutboxEntry[] = []): OutboxEntry[] {
  const seen = new Set(since.map((e) => e.id));
  return rt.outbox.list().filter((e) => e.to === email && !seen.has(e.id));
}

async function space(owner: string, audience: 'employees' | 'members' = 'employees'): Promise<string> {
  const id = `ml-${++seq}`;
  await ok(owner, 'POST', '/spaces', { id, name: `Mail ${seq}`, audience });
  return id;
}

const BOB = 'bob@commonplace.example';
const tomorrow = () => new Date(Date.now() + 24 * 3600_000);

beforeAll(async () => {
  rt = await startTestRuntime({ digestIntervalMs: 0 });
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat']) await ok(account, 'GET', '/me');
  await rt.drain();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('preferences API', () => {
  it('starts at the defaults and changes only the kinds given', async () => {
    const before = await ok('admin', 'GET', '/me/notification-preferences');
    expect(before.preferences).toEqual(before.defaults);
    expect(before.preferences).toMatchObject({ mention: 'immediately', reply: 'immediately', post: 'daily' });
    const after = await ok('admin', 'PUT', '/me/notification-preferences', { post: 'hourly' });
    expect(after.preferences).toMatchObject({ mention: 'immediately', post: 'hourly' });
    expect((await ok('admin', 'GET', '/me/notification-preferences')).preferences.post).toBe('hourly');
  });

  it('refuses an unknown frequency or kind with a 400 naming the field', async () => {
    for (const body of [{ mention: 'weekly' }, { bogus: 'daily' }]) {
      const response = await rt.api('admin', 'PUT', '/me/notification-preferences', body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(response.body.errors)).toMatch(/mention|bogus/);
    }
  });

  it('needs a token', async () => {
    expect((await rt.api('anonymous', 'GET', '/me/notification-preferences')).status).toBe(401);
  });
});

describe('immediate e-mail: alice posts mentioning bob', () => {
  let spaceId: string;
  let postId: string;

  beforeAll(async () => {
    spaceId = await space('alice');
    postId = (
      await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
        title: 'Launch <plan>',
        body: 'Please review, @bob',
      })
    ).id;
    await rt.drain();
  });

  it('bob gets exactly one e-mail, with both parts, escaped, and RFC 8058 headers', () => {
    const mails = mailTo(BOB).filter((m) => m.text.includes(`/posts/${postId}`));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.tag).toBe('immediate');
    expect(mail.subject).toContain('mentioned you');
    expect(mail.html).toContain('Launch &lt;plan&gt;');
    expect(mail.html).not.toContain('<plan>');
    expect(mail.headers['List-Unsubscribe']).toMatch(/\/api\/unsubscribe\?user=bob&kind=mention&sig=/);
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain(`${rt.url}/preferences`);
  });

  it('a replayed stream batch sends nothing more', async () => {
    const records = rt.front
      .stream(rt.tableName)
      .readAfter('', Number.MAX_SAFE_INTEGER)
      .filter((r) => r.dynamodb.NewImage?.id?.S === postId);
    expect(records.length).toBeGreaterThan(0);
    expect((await rt.consumers.get('fanout')!.invoke(records)).ok).toBe(true);
    await rt.drain();
    expect(mailTo(BOB).filter((m) => m.text.includes(`/posts/${postId}`))).toHaveLength(1);
  });

  it('the outbox page lists it and shows it escaped, the HTML part in a sandboxed frame', async () => {
    const list = await (await fetch(`${rt.url}/dev/outbox`)).text();
    expect(list).toContain('Mail outbox');
    expect(list).toContain(BOB);
    const [mail] = mailTo(BOB).filter((m) => m.text.includes(`/posts/${postId}`));
    const view = await fetch(`${rt.url}/dev/outbox/${mail.id}`);
    expect(view.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await view.text();
    expect(html).toContain('sandbox=""');
    expect(html).not.toContain('<plan>');
    expect((await fetch(`${rt.url}/dev/outbox/${mail.id}.eml`)).headers.get('content-type')).toBe(
      'message/rfc822',
    );
  });

  it('a failed send is retried and then sent once; nothing is marked sent before', async () => {
    const before = rt.outbox.list();
    rt.outbox.failNext = 1;
    const { id } = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
      title: 'Retry',
      body: 'Again, @bob',
    });
    await rt.drain();
    expect(rt.outbox.failNext).toBe(0);
    expect(mailTo(BOB, before).filter((m) => m.text.includes(`/posts/${id}`))).toHaveLength(1);
  });
});

describe('daily digest', () => {
  let open: string;
  let closed: string;
  const posts: Record<string, string> = {};
  let digests: OutboxEntry[];

  beforeAll(async () => {
    open = await space('alice');
    closed = await space('alice', 'members');
    await ok('alice', 'PUT', `/spaces/${closed}/members/bob`, { role: 'reader' });
    await ok('bob', 'PUT', `/me/watches/spaces/${open}`, { level: 'watching' });
    await ok('bob', 'PUT', `/me/watches/spaces/${closed}`, { level: 'watching' });
    for (const [name, where] of [
      ['first', open],
      ['second', open],
      ['readInInbox', open],
      ['secret', closed],
    ] as const)
      posts[name] = (
        await ok('alice', 'POST', `/spaces/${where}/posts`, { title: `Digest ${name}`, body: 'x' })
      ).id;
    await rt.drain();
    const inbox = (await ok('bob', 'GET', '/me/notifications?limit=100')).items;
    const read = inbox.find((n: any) => n.postId === posts.readInInbox);
    await ok('bob', 'POST', `/me/notifications/${read.id}/read`);
    await ok('alice', 'DELETE', `/spaces/${closed}/members/bob`);
  });

  it('nothing is e-mailed at once for daily kinds', () => {
    expect(mailTo(BOB).filter((m) => m.text.includes('Digest first'))).toEqual([]);
  });

  it('run twice, the job sends bob one digest', async () => {
    const before = rt.outbox.list();
    await rt.runDigests(tomorrow());
    await rt.runDigests(tomorrow());
    digests = mailTo(BOB, before).filter((m) => m.tag === 'digest-daily');
    expect(digests).toHaveLength(1);
  });

  it('with the unread items, not the one read in the inbox, nothing of the space bob left', () => {
    const [digest] = digests;
    expect(digest.text).toContain('Digest first');
    expect(digest.text).toContain('Digest second');
    expect(digest.text).not.toContain('Digest readInInbox');
    expect(digest.text).not.toContain('Digest secret');
    expect(digest.html).not.toContain('Digest secret');
    expect(digest.headers['List-Unsubscribe']).toMatch(/kind=post/);
  });

  it('never repeats an item: a later run sends nothing', async () => {
    const before = rt.outbox.list();
    await rt.runDigests(new Date(Date.now() + 2 * 24 * 3600_000));
    expect(mailTo(BOB, before)).toEqual([]);
  });
});

describe('one-click unsubscribe', () => {
  let link: URL;

  beforeAll(async () => {
    const mail = mailTo(BOB).find((m) => m.tag === 'immediate')!;
    link = new URL(/<(.+)>/.exec(mail.headers['List-Unsubscribe'])![1]);
  });

  const call = (method: string, params: URLSearchParams, body?: string) =>
    fetch(`${rt.url}/api/unsubscribe?${params}`, {
      method,
      ...(body ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    });

  it('refuses a tampered signature, another person, another kind (nothing changes)', async () => {
    const tampered = new URLSearchParams(link.searchParams);
    const sig = tampered.get('sig')!;
    tampered.set('sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    const otherUser = new URLSearchParams(link.searchParams);
    otherUser.set('user', 'alice');
    const otherKind = new URLSearchParams(link.searchParams);
    otherKind.set('kind', 'post');
    for (const params of [tampered, otherUser, otherKind]) {
      expect((await call('POST', params, 'List-Unsubscribe=One-Click')).status).toBe(403);
      expect((await call('GET', params)).status).toBe(403);
    }
    expect((await ok('bob', 'GET', '/me/notification-preferences')).preferences.mention).toBe('immediately');
    expect((await ok('alice', 'GET', '/me/notification-preferences')).preferences.mention).toBe(
      'immediately',
    );
  });

  it('GET shows a page with a button and changes nothing; the one-click POST sets the kind to never', async () => {
    const landing = await call('GET', link.searchParams);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toMatch(/<form method="post"[^>]*>.*<button/s);
    expect((await ok('bob', 'GET', '/me/notification-preferences')).preferences.mention).toBe('immediately');
    const done = await call('POST', link.searchParams, 'List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect((await ok('bob', 'GET', '/me/notification-preferences')).preferences).toMatchObject({
      mention: 'never',
      reply: 'immediately',
    });
  });

  it('then a mention of bob is in his inbox but e-mailed neither now nor in a digest', async () => {
    const spaceId = await space('alice');
    const before = rt.outbox.list();
    const { id } = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, { title: 'After', body: 'Hi @bob' });
    await rt.drain();
    const inbox = (await ok('bob', 'GET', '/me/notifications?limit=100')).items;
    expect(inbox.some((n: any) => n.postId === id && n.reason === 'mention')).toBe(true);
    await rt.runDigests(tomorrow());
    expect(mailTo(BOB, before)).toEqual([]);
  });
});
