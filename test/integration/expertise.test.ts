/**
 * Expertise from real work over the real local runtime (issue 15, items 3–6): who knows about a topic
 * with the evidence, trimmed to what the caller may read; hiding and pinning topics; endorsements;
 * @mention candidates per space; a person's activity; the vCard. Reads cost constant requests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

/** DynamoDB requests one API call makes. */
async function counted(run: () => Promise<unknown>) {
  const before = rt.table.roundTrips;
  const result = await run();
  return { result: result as any, requests: rt.table.roundTrips - before };
}

const experts = async (account: string, topic = 'kubernetes') =>
  (await ok(account, 'GET', `/expertise?topic=${encodeURIComponent(topic)}`)).people as {
    userId: string;
    evidence: { kind: string; title: string; url: string }[];
    pinned: boolean;
  }[];
const ids = (people: { userId: string }[]) => people.map((p) => p.userId);

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  // Work about Kubernetes in spaces with different readers.
  const post = await ok('alice', 'POST', '/spaces/engineering/posts', {
    title: 'Kubernetes upgrade guide',
    body: 'How we upgraded the cluster. #kubernetes',
  });
  await ok('bob', 'POST', `/spaces/engineering/posts/${post.id}/comments`, {
    body: 'We should write down the kubernetes node pool steps too.',
  });
  const page = await ok('bob', 'POST', '/spaces/engineering/pages', {
    title: 'Kubernetes runbook',
    body: 'Drain, cordon, upgrade.',
  });
  await ok('alice', 'PUT', `/spaces/engineering/pages/${page.id}`, {
    title: 'Kubernetes runbook',
    body: 'Drain, cordon, upgrade, verify.',
    version: page.version,
  });
  await ok('bob', 'POST', '/me/bookmarks', {
    url: 'https://kubernetes.io/docs/',
    title: 'Kubernetes documentation',
    tags: ['kubernetes'],
    visibility: 'employees',
  });
  await ok('admin', 'POST', '/spaces/leadership/posts', {
    title: 'Kubernetes budget',
    body: 'Cluster costs for next year.',
  });
  await ok('pat', 'POST', '/spaces/acme-supply-chain/posts', {
    title: 'Pallets of Kubernetes hardware',
    body: 'Racks arrive in March.',
  });
  await ok('gus', 'POST', '/spaces/globex-pilot/posts', {
    title: 'Kubernetes in the pilot',
    body: 'Globex runs the pilot on kubernetes.',
  });
  await rt.drain();
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('who knows about a topic', () => {
  it('ranks people by what they wrote, edited and commented, with the evidence beside each', async () => {
    const people = await experts('bob');
    // Alice wrote a post tagged #kubernetes and edited the runbook; Bob created the runbook, saved a
    // link tagged kubernetes and commented; Pat wrote one post.
    expect(ids(people).slice(0, 2)).toEqual(['alice', 'bob']);
    expect(people[0].evidence.map((e) => [e.kind, e.title])).toEqual([
      ['wrote', 'Kubernetes upgrade guide'],
      ['edited', 'Kubernetes runbook'],
    ]);
    expect(people[1].evidence.map((e) => e.kind)).toEqual(['edited', 'saved', 'commented']);
    // Bob reads the Acme space (he owns it): Pat's post there is evidence he may see.
    expect(ids(people)).toContain('pat');
    // Nobody is listed for work the caller cannot read: the leadership post, the Globex pilot.
    expect(ids(people)).not.toContain('admin');
    expect(ids(people)).not.toContain('gus');
  });

  it('trims by the reader: members see members-only work, partners only what is shared with them', async () => {
    expect(ids(await experts('alice'))).toEqual(expect.arrayContaining(['admin', 'gus']));
    expect(ids(await experts('alice'))).not.toContain('pat');
    const forPat = await experts('pat');
    expect(ids(forPat)).toEqual(['pat']);
    expect(forPat[0].evidence.map((e) => e.url).every((url) => url.includes('acme-supply-chain'))).toBe(true);
    // Gus (Globex) never sees Acme's people, nor work he cannot read.
    expect(ids(await experts('gus'))).toEqual(['gus']);
  });

  it('costs the same DynamoDB requests whatever the data size', async () => {
    const { requests } = await counted(() => experts('bob'));
    // accessFor (memberships: one Query) + one BatchGetItem of the ranked people.
    expect(requests).toBe(2);
    // A partner's request is also checked against their organisation (one BatchGetItem, every request).
    const partner = await counted(() => experts('pat'));
    expect(partner.requests).toBe(3);
  });

  it('refuses a missing or too long topic with 400', async () => {
    for (const query of ['', '?topic=', `?topic=${'x'.repeat(101)}`, '?topic=k8s&limit=0']) {
      const response = await rt.api('bob', 'GET', `/expertise${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });
});

describe('correction and consent', () => {
  it('a person hides a topic (not listed, not shown) and pins one (shown first, marked)', async () => {
    const me = await ok('alice', 'GET', '/me');
    const saved = await ok('alice', 'PUT', '/me/topics', {
      hidden: ['Kubernetes'],
      pinned: ['writing'],
      version: me.version,
    });
    expect(saved).toEqual({ hidden: ['kubernetes'], pinned: ['writing'], version: me.version + 1 });
    expect(ids(await experts('bob'))).not.toContain('alice');
    const mine = await ok('alice', 'GET', '/people/alice/topics');
    expect(mine.hidden).toEqual(['kubernetes']);
    expect(mine.pinned).toEqual(['writing']);
    expect(mine.derived.map((t: { topic: string }) => t.topic)).not.toContain('kubernetes');
    // Others see the pinned topics, never what was hidden.
    const seen = await ok('bob', 'GET', '/people/alice/topics');
    expect(seen.hidden).toBeUndefined();
    expect((await ok('bob', 'GET', '/people/alice')).hiddenTopics).toBeUndefined();
    expect((await ok('alice', 'GET', '/people/alice')).hiddenTopics).toEqual(['kubernetes']);
    // A stale version is a conflict and changes nothing; a topic both hidden and pinned is refused.
    const stale = await rt.api('alice', 'PUT', '/me/topics', { hidden: [], pinned: [], version: me.version });
    expect(stale.status).toBe(409);
    const both = await rt.api('alice', 'PUT', '/me/topics', {
      hidden: ['ops'],
      pinned: ['Ops'],
      version: saved.version,
    });
    expect(both.status).toBe(409);
    expect((await ok('alice', 'GET', '/people/alice/topics')).hidden).toEqual(['kubernetes']);

    await ok('alice', 'PUT', '/me/topics', { hidden: [], pinned: ['kubernetes'], version: saved.version });
    const listed = await experts('bob');
    expect(listed.find((p) => p.userId === 'alice')?.pinned).toBe(true);
  });

  it('colleagues endorse a skill, anyone sees how many and who; the person removes one', async () => {
    await ok('bob', 'PUT', '/people/alice/endorsements/Kubernetes');
    await ok('bob', 'PUT', '/people/alice/endorsements/kubernetes'); // the same skill, once
    await ok('admin', 'PUT', '/people/alice/endorsements/kubernetes');
    await ok('pat', 'PUT', '/people/alice/endorsements/kubernetes');
    const { result, requests } = await counted(() => ok('bob', 'GET', '/people/alice/endorsements'));
    expect(requests).toBe(2); // the profile and one Query
    const k8s = result.items.find((s: { skill: string }) => s.skill === 'kubernetes');
    expect(k8s.count).toBe(3);
    expect(k8s.endorsers.map((e: { userId: string }) => e.userId).sort()).toEqual(['admin', 'bob', 'pat']);
    expect(k8s.endorsedByMe).toBe(true);
    // Gus (Globex) is not told of Acme's people: Pat's endorsement is neither shown nor counted.
    const forGus = (await ok('gus', 'GET', '/people/alice/endorsements')).items[0];
    expect(forGus.count).toBe(2);
    expect(forGus.endorsers.map((e: { userId: string }) => e.userId)).not.toContain('pat');

    expect((await rt.api('alice', 'PUT', '/people/alice/endorsements/kubernetes')).status).toBe(409);
    expect((await rt.api('bob', 'PUT', '/people/alice/endorsements/9lives')).status).toBe(400);
    expect((await rt.api('gus', 'PUT', '/people/pat/endorsements/kubernetes')).status).toBe(404);

    const removed = await ok('alice', 'DELETE', '/me/endorsements/kubernetes/admin');
    expect(removed.items[0].count).toBe(2);
    const withdrawn = await ok('bob', 'DELETE', '/people/alice/endorsements/kubernetes');
    expect(withdrawn.items[0]).toMatchObject({ count: 1, endorsedByMe: false });
  });
});

describe('@mention candidates', () => {
  const mentionable = async (account: string, space: string, q: string) =>
    ids((await ok(account, 'GET', `/spaces/${space}/mentionable?q=${encodeURIComponent(q)}`)).items);

  it('are the people who may read the space, never another organisation’s', async () => {
    expect(await mentionable('alice', 'engineering', 'bo')).toEqual(['bob']);
    expect(await mentionable('alice', 'engineering', '@bob')).toEqual(['bob']);
    // Partners cannot read the engineering space: not offered there.
    expect(await mentionable('alice', 'engineering', 'pa')).toEqual([]);
    // The Acme space: Pat reads it, Gus does not; Pat is offered Bob, never Gus.
    expect(await mentionable('bob', 'acme-supply-chain', 'pa')).toEqual(['pat']);
    expect(await mentionable('bob', 'acme-supply-chain', 'gu')).toEqual([]);
    expect(await mentionable('pat', 'acme-supply-chain', 'bo')).toEqual(['bob']);
    // Members only: Bob is not a member of leadership.
    expect(await mentionable('alice', 'leadership', 'bo')).toEqual([]);
    expect(await mentionable('alice', 'leadership', 'ad')).toEqual(['admin']);
    // A space the caller cannot read is not found; bad input is a 400.
    expect((await rt.api('gus', 'GET', '/spaces/acme-supply-chain/mentionable?q=pa')).status).toBe(404);
    expect((await rt.api('bob', 'GET', '/spaces/engineering/mentionable?q=')).status).toBe(400);
    expect((await rt.api('bob', 'GET', '/spaces/engineering/mentionable?q=a%23b')).status).toBe(400);
  });

  it('cost constant requests', async () => {
    const { requests } = await counted(() =>
      rt.api('bob', 'GET', '/spaces/acme-supply-chain/mentionable?q=p'),
    );
    // Space + membership, the employees' and Acme's directory, the @handle, the candidates' memberships.
    expect(requests).toBe(5);
  });
});

describe('activity and vCard', () => {
  it("pages a person's activity newest first, trimmed to what the reader may read", async () => {
    const first = await ok('bob', 'GET', '/people/alice/activity?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ kind: 'edited', title: 'Kubernetes runbook' });
    const rest = await ok('bob', 'GET', `/people/alice/activity?limit=50&cursor=${first.cursor}`);
    const titles = rest.items.map((i: { title: string }) => i.title);
    expect(titles).toContain('Kubernetes upgrade guide');
    expect(titles).not.toContain('Kubernetes runbook');
    expect(rest.cursor).toBeUndefined();
    // Pat reads none of Alice's spaces.
    expect((await ok('pat', 'GET', '/people/alice/activity')).items).toEqual([]);
    expect((await rt.api('bob', 'GET', '/people/alice/activity?cursor=bogus')).status).toBe(400);
    expect((await rt.api('gus', 'GET', '/people/pat/activity')).status).toBe(404);
    const { requests } = await counted(() => ok('bob', 'GET', '/people/alice/activity'));
    expect(requests).toBe(2); // the profile, the memberships
  });

  it('downloads a profile as an escaped vCard', async () => {
    const me = await ok('bob', 'GET', '/me');
    await ok('bob', 'PATCH', '/me', {
      title: 'Lead, Platform; Ops\\Infra',
      phone: '+47 555 0100',
      version: me.version,
    });
    const response = await rt.api('alice', 'GET', '/people/bob/vcard');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/vcard/);
    const card = response.body as string;
    expect(card.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(card.endsWith('END:VCARD\r\n')).toBe(true);
    expect(card).toContain('FN:Bob Baker\r\n');
    expect(card).toContain('TITLE:Lead\\, Platform\\; Ops\\\\Infra\r\n');
    expect(card).toContain('TEL;TYPE=work;VALUE=text:+47 555 0100');
    expect((await rt.api('gus', 'GET', '/people/pat/vcard')).status).toBe(404);
  });
});
