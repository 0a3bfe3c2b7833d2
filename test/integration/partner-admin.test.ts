// Partner organisations managed in the app (issue 16, part B): an admin adds a third organisation,
// its people's requests are checked on every call (suspension, end dates), invitations become
// memberships at first sign-in, and every change to who can see what is an audit record that admins
// list, filter, page and export. Over the real local runtime; the third organisation's people get
// tokens minted with the local provider's own key (the federated sign-in itself is the broker's, 16a).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { openLiveSocket } from '../helpers/live-socket';
import { partnerToken as partnerToken_ } from '../helpers/partner-token';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

const partnerToken = (sub: string, email: string, org: string, name = sub) =>
  partnerToken_(rt, { sub, email, org, name });

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

function expectProblem(response: ApiResponse, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** Runs `act` and asserts that it wrote nothing at all (the stream did not grow). */
async function changesNothing(act: () => Promise<void>) {
  await rt.drain();
  const before = rt.front.stream(rt.tableName).length;
  await act();
  expect(rt.front.stream(rt.tableName).length).toBe(before);
}

/** DynamoDB requests one call makes. */
async function requests(account: string, pathname: string): Promise<number> {
  await rt.drain();
  const before = rt.table.roundTrips;
  await ok(account, 'GET', pathname);
  return rt.table.roundTrips - before;
}

const INITECH = {
  id: 'initech',
  name: 'Initech',
  emailDomains: ['Initech.example', 'initech-mail.example'],
  provider: {
    name: 'initech',
    kind: 'oidc',
    issuer: 'https://login.initech.example/oidc',
    clientId: 'commonplace',
    clientSecret: 'shh-secret',
  },
};
let ivy: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat', 'gus']) await ok(account, 'GET', '/me');
  // The demo organisations' domains (the broker's seed writes them too; then this changes nothing).
  for (const org of ['acme', 'globex']) {
    const { organisation } = await ok('admin', 'GET', `/orgs/${org}`);
    if (!organisation.emailDomains.length)
      await ok('admin', 'PATCH', `/orgs/${org}`, {
        emailDomains: [`${org}.example`],
        version: organisation.version,
      });
  }
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('adding a partner organisation', () => {
  it('an admin adds one with its domains and OIDC provider; the secret is stored, never shown', async () => {
    const created = await ok('admin', 'POST', '/orgs', INITECH);
    expect(created).toMatchObject({
      id: 'initech',
      name: 'Initech',
      emailDomains: ['initech.example', 'initech-mail.example'],
      status: 'active',
      provider: { name: 'initech', kind: 'oidc', hasClientSecret: true },
      version: 1,
    });
    expect(JSON.stringify(created)).not.toContain('shh-secret');
    const listed = (await ok('admin', 'GET', '/orgs')).items.find((o: { id: string }) => o.id === 'initech');
    expect(listed).toMatchObject({ emailDomains: ['initech.example', 'initech-mail.example'] });
    expect(JSON.stringify(listed)).not.toContain('shh-secret');
    // What the pre-token trigger and the local broker read: the domain and provider lookups.
    expect(await rt.table.get({ PK: 'ORGDOMAIN#initech.example', SK: 'ORGDOMAIN' })).toMatchObject({
      orgId: 'initech',
    });
    expect(await rt.table.get({ PK: 'IDP#initech', SK: 'IDP' })).toMatchObject({ orgId: 'initech' });
    expect(await rt.table.get({ PK: 'ORG#initech', SK: 'ORG' })).toMatchObject({
      provider: { clientSecret: 'shh-secret' },
    });
    // Employees see only the name; partners only their own organisation.
    const alices = (await ok('alice', 'GET', '/orgs')).items.find((o: { id: string }) => o.id === 'initech');
    expect(Object.keys(alices).sort()).toEqual(['createdAt', 'id', 'name']);
    expect((await ok('pat', 'GET', '/orgs')).items.map((o: { id: string }) => o.id)).toEqual(['acme']);
  });

  it('only admins may add, change, suspend or remove one', async () => {
    for (const account of ['alice', 'pat']) {
      await changesNothing(async () => {
        expectProblem(await rt.api(account, 'POST', '/orgs', { id: 'hooli', name: 'Hooli' }), 403);
        expectProblem(await rt.api(account, 'PUT', '/orgs/initech/status', { status: 'suspended' }), 403);
        expectProblem(await rt.api(account, 'PUT', '/orgs/initech/access', { accessEndsAt: null }), 403);
        expectProblem(await rt.api(account, 'PATCH', '/orgs/initech', { name: 'x', version: 1 }), 403);
        expectProblem(await rt.api(account, 'DELETE', '/orgs/initech'), 403);
        expectProblem(await rt.api(account, 'GET', '/orgs/initech'), 403);
      });
    }
  });

  it('an e-mail domain another organisation claims is refused, naming it, and nothing is written', async () => {
    await changesNothing(async () => {
      const response = await rt.api('admin', 'POST', '/orgs', {
        id: 'hooli',
        name: 'Hooli',
        emailDomains: ['hooli.example', 'ACME.example'],
      });
      expectProblem(response, 409, 'emailDomains.1');
      expect(response.body.detail).toMatch(/acme\.example/);
    });
    expect(await rt.table.get({ PK: 'ORG#hooli', SK: 'ORG' })).toBeUndefined();
    expect(await rt.table.get({ PK: 'ORGDOMAIN#hooli.example', SK: 'ORGDOMAIN' })).toBeUndefined();
  });

  it('a provider name in use, a domain listed twice, a taken id and bad input are refused', async () => {
    await changesNothing(async () => {
      expectProblem(
        await rt.api('admin', 'POST', '/orgs', {
          id: 'hooli',
          name: 'Hooli',
          provider: { ...INITECH.provider },
        }),
        409,
        'provider.name',
      );
      expectProblem(
        await rt.api('admin', 'POST', '/orgs', {
          id: 'hooli',
          name: 'Hooli',
          emailDomains: ['hooli.example', 'HOOLI.example'],
        }),
        400,
        'emailDomains.1',
      );
      expectProblem(await rt.api('admin', 'POST', '/orgs', { id: 'initech', name: 'Again' }), 409, 'id');
      expectProblem(
        await rt.api('admin', 'POST', '/orgs', {
          id: 'hooli',
          name: 'Hooli',
          emailDomains: ['not a domain'],
        }),
        400,
        'json.emailDomains.0',
      );
      expectProblem(
        await rt.api('admin', 'POST', '/orgs', {
          id: 'hooli',
          name: 'Hooli',
          provider: { name: 'hooli', kind: 'oidc', issuer: 'ftp://x.example', clientId: 'c' },
        }),
        400,
        'json.provider.issuer',
      );
      expectProblem(
        await rt.api('admin', 'POST', '/orgs', { id: 'hooli', name: 'Hooli', accessEndsAt: 'next week' }),
        400,
        'json.accessEndsAt',
      );
    });
  });

  it.each([
    ['a loopback address', 'https://127.0.0.1/saml/metadata', /address not allowed/],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data', /address not allowed/],
    ['a private address', 'https://10.1.2.3/metadata', /address not allowed/],
    ['an unreachable host', 'https://idp.hooli.invalid/metadata', /unreachable/],
  ])(
    'a SAML metadata URL at %s is refused through the safe fetcher (422), nothing written',
    async (_name, url, reason) => {
      await changesNothing(async () => {
        const response = await rt.api('admin', 'POST', '/orgs', {
          id: 'hooli',
          name: 'Hooli',
          emailDomains: ['hooli.example'],
          provider: { name: 'hooli', kind: 'saml', metadataUrl: url },
        });
        expectProblem(response, 422, 'provider.metadataUrl');
        expect(response.body.detail).toMatch(reason);
      });
    },
  );
});

describe("a partner organisation's people, checked on every request", () => {
  beforeAll(async () => {
    ivy = await partnerToken('ivy', 'ivy@initech.example', 'initech', 'Ivy Initech');
  });

  it('a person of the new organisation can use the API; the check costs one request', async () => {
    expect(await ok(ivy, 'GET', '/me')).toMatchObject({ userId: 'ivy', org: 'initech' });
    // GET /orgs for a partner: their organisation and profile (one BatchGetItem), then the list read.
    expect(await requests(ivy, '/orgs')).toBe(2);
    expect(await requests('alice', '/orgs')).toBe(1);
  });

  it('suspending the organisation refuses its next request at once; reactivating lets it in again', async () => {
    const suspended = await ok('admin', 'PUT', '/orgs/initech/status', { status: 'suspended' });
    expect(suspended).toMatchObject({ status: 'suspended', version: 2 });
    const refused = await rt.api(ivy, 'GET', '/me');
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/suspended/);
    // The live notifications socket cannot be opened either.
    await expect(openLiveSocket(rt.url, ivy)).rejects.toThrow('upgrade refused: 401');
    // The same token works again once reactivated; other organisations were never affected.
    expect(await ok('pat', 'GET', '/me')).toMatchObject({ userId: 'pat' });
    await ok('admin', 'PUT', '/orgs/initech/status', { status: 'active' });
    expect(await ok(ivy, 'GET', '/me')).toMatchObject({ userId: 'ivy' });
  });

  it("after the organisation's end date its people are refused, saying when; an admin extends it", async () => {
    const past = '2026-01-31T23:00:00.000Z';
    await ok('admin', 'PUT', '/orgs/initech/access', { accessEndsAt: '2026-02-01T00:00:00+01:00' });
    const refused = await rt.api(ivy, 'GET', '/orgs');
    expectProblem(refused, 403);
    expect(refused.body).toMatchObject({ accessEndedAt: past });
    expect(refused.body.type).toMatch(/access-ended$/);
    expect(refused.body.detail).toMatch(/access ended on 2026-01-31/);
    const later = new Date(Date.now() + 90 * 86_400_000).toISOString();
    expect(await ok('admin', 'PUT', '/orgs/initech/access', { accessEndsAt: later })).toMatchObject({
      accessEndsAt: later,
    });
    expect(await ok(ivy, 'GET', '/me')).toMatchObject({ userId: 'ivy' });
  });

  it("one person's own end date refuses only them; an admin extends or clears it", async () => {
    const ian = await partnerToken('ian', 'ian@initech.example', 'initech');
    await ok(ian, 'GET', '/me');
    await ok('admin', 'PUT', '/orgs/initech/people/ivy/access', { accessEndsAt: '2026-03-01T00:00:00Z' });
    const refused = await rt.api(ivy, 'GET', '/me');
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/Your access ended on 2026-03-01/);
    expect(await ok(ian, 'GET', '/me')).toMatchObject({ userId: 'ian' });
    await ok('admin', 'PUT', '/orgs/initech/people/ivy/access', { accessEndsAt: null });
    expect(await ok(ivy, 'GET', '/me')).toMatchObject({ userId: 'ivy' });
    // Someone of another organisation is not this organisation's to change.
    await changesNothing(async () => {
      expectProblem(
        await rt.api('admin', 'PUT', '/orgs/initech/people/pat/access', { accessEndsAt: null }),
        404,
      );
    });
  });

  it('the admin sees its people and the spaces shared with it', async () => {
    const space = await ok('bob', 'POST', '/spaces', {
      id: 'initech-project',
      name: 'Initech project',
      audience: 'members',
    });
    await ok('bob', 'PUT', '/spaces/initech-project/sharing', {
      partnerOrgs: ['initech'],
      version: space.version,
    });
    const detail = await ok('admin', 'GET', '/orgs/initech');
    expect(detail.organisation).toMatchObject({ id: 'initech', status: 'active' });
    expect(detail.people.map((p: { userId: string }) => p.userId).sort()).toEqual(['ian', 'ivy']);
    expect(detail.spaces).toEqual([{ id: 'initech-project', name: 'initech project' }]);
    expect(await requests('admin', '/orgs/initech')).toBe(3);
  });
});

describe('invitations', () => {
  it('an owner invites by e-mail into a space shared with the organisation; accepted at first sign-in', async () => {
    const invitation = await ok('bob', 'POST', '/spaces/initech-project/invitations', {
      email: 'Nora@Initech.example',
      role: 'editor',
    });
    expect(invitation).toMatchObject({ email: 'nora@initech.example', orgId: 'initech', role: 'editor' });
    expect((await ok('bob', 'GET', '/spaces/initech-project/invitations')).items).toHaveLength(1);

    const nora = await partnerToken('nora', 'nora@initech.example', 'initech', 'Nora N');
    const mine = await ok(nora, 'GET', '/spaces?scope=mine');
    expect(mine.items.map((s: { id: string }) => s.id)).toEqual(['initech-project']);
    expect(mine.items[0].myRole).toBe('editor');
    expect((await ok('bob', 'GET', '/spaces/initech-project/invitations')).items).toHaveLength(0);
    expect((await ok('bob', 'GET', '/spaces/initech-project')).memberCount).toBe(2);
  });

  it('a domain of no partner organisation, or of one the space is not shared with, is refused', async () => {
    await changesNothing(async () => {
      const nobody = await rt.api('bob', 'POST', '/spaces/initech-project/invitations', {
        email: 'x@nowhere.example',
      });
      expectProblem(nobody, 409, 'email');
      expect(nobody.body.detail).toMatch(/No partner organisation uses the e-mail domain nowhere\.example/);
      const notShared = await rt.api('bob', 'POST', '/spaces/initech-project/invitations', {
        email: 'x@globex.example',
      });
      expectProblem(notShared, 409, 'email');
      expect(notShared.body.detail).toMatch(/not shared with globex/);
      expectProblem(
        await rt.api('bob', 'POST', '/spaces/initech-project/invitations', { email: 'not-an-email' }),
        400,
        'json.email',
      );
    });
  });

  it('only owners and admins invite; a partner cannot', async () => {
    await changesNothing(async () => {
      expectProblem(
        await rt.api('alice', 'POST', '/spaces/initech-project/invitations', { email: 'y@initech.example' }),
        404,
      );
      expectProblem(
        await rt.api(ivy, 'POST', '/spaces/initech-project/invitations', { email: 'y@initech.example' }),
        403,
      );
    });
  });

  it('an invitation can be revoked, and is then not accepted', async () => {
    await ok('bob', 'POST', '/spaces/initech-project/invitations', { email: 'olga@initech.example' });
    await ok('bob', 'DELETE', '/spaces/initech-project/invitations/olga@initech.example');
    const olga = await partnerToken('olga', 'olga@initech.example', 'initech');
    expect((await ok(olga, 'GET', '/spaces?scope=mine')).items).toEqual([]);
    expectProblem(
      await rt.api('bob', 'DELETE', '/spaces/initech-project/invitations/olga@initech.example'),
      404,
    );
  });
});

describe('the audit trail', () => {
  it('lists every change to who can see what, newest first, for admins only', async () => {
    const { items } = await ok('admin', 'GET', '/audit?limit=100');
    const kinds = items.map((r: { kind: string }) => r.kind);
    for (const kind of [
      'organisation.added',
      'organisation.suspended',
      'organisation.reactivated',
      'organisation.access-changed',
      'person.access-changed',
      'space.shared',
      'member.added',
      'invitation.created',
      'invitation.accepted',
      'invitation.revoked',
    ])
      expect(kinds).toContain(kind);
    const ats = items.map((r: { at: string }) => r.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const suspended = items.find((r: { kind: string }) => r.kind === 'organisation.suspended');
    expect(suspended).toMatchObject({
      actor: { userId: 'admin', name: 'Ada Admin' },
      target: 'organisation:initech',
      before: { status: 'active' },
      after: { status: 'suspended' },
    });
    const added = items.find((r: { kind: string }) => r.kind === 'organisation.added');
    expect(JSON.stringify(added)).not.toContain('shh-secret');
    for (const account of ['alice', 'pat', ivy]) expectProblem(await rt.api(account, 'GET', '/audit'), 403);
  });

  it('filters by kind, actor, target and time, and pages with a cursor at one request a page', async () => {
    const byKind = await ok('admin', 'GET', '/audit?kind=organisation.access-changed');
    expect(byKind.items.map((r: { kind: string }) => r.kind)).toEqual([
      'organisation.access-changed',
      'organisation.access-changed',
    ]);
    const byActor = await ok('admin', 'GET', '/audit?actor=bob&limit=100');
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((r: { actor: { userId: string } }) => r.actor.userId === 'bob')).toBe(true);
    const byTarget = await ok('admin', 'GET', '/audit?target=space:initech-project&limit=100');
    expect(new Set(byTarget.items.map((r: { target: string }) => r.target))).toEqual(
      new Set(['space:initech-project']),
    );
    const both = await ok('admin', 'GET', '/audit?target=space:initech-project&actor=nora&limit=100');
    expect(both.items.map((r: { kind: string }) => r.kind)).toEqual(['invitation.accepted']);
    const future = await ok('admin', 'GET', `/audit?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.items).toEqual([]);
    const all = (await ok('admin', 'GET', '/audit?limit=100')).items;
    const middle = all[Math.floor(all.length / 2)].at;
    const upTo = (await ok('admin', 'GET', `/audit?to=${encodeURIComponent(middle)}&limit=100`)).items;
    expect(upTo.every((r: { at: string }) => r.at <= middle)).toBe(true);
    expect(upTo.length).toBeGreaterThan(0);
    expect(upTo.length).toBeLessThan(all.length);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      await rt.drain();
      const before = rt.table.roundTrips;
      const page = await ok('admin', 'GET', `/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(rt.table.roundTrips - before).toBe(1);
      seen.push(...page.items.map((r: { id: string }) => r.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((r: { id: string }) => r.id));
    expectProblem(await rt.api('admin', 'GET', '/audit?kind=space.painted'), 400, 'query.kind');
    expectProblem(
      await rt.api('admin', 'GET', '/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'),
      400,
      'query.to',
    );
    expectProblem(await rt.api('admin', 'GET', '/audit?cursor=bm90LWEtY3Vyc29y'), 400, 'cursor');
  });

  it('exports as JSON Lines and CSV', async () => {
    const total = (await ok('admin', 'GET', '/audit?limit=100')).items.length;
    const jsonl = await fetch(`${rt.url}/api/audit/export?format=jsonl`, {
      headers: { authorization: `Bearer ${await rt.tokenFor('admin')}` },
    });
    expect(jsonl.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await jsonl.text()).trim().split('\n');
    expect(lines).toHaveLength(total);
    expect(JSON.parse(lines[0])).toMatchObject({ id: expect.any(String), kind: expect.any(String) });
    const csv = await fetch(`${rt.url}/api/audit/export?format=csv&kind=organisation.suspended`, {
      headers: { authorization: `Bearer ${await rt.tokenFor('admin')}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/audit\.csv/);
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe('at,kind,actorId,actorName,target,before,after,id');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(',organisation.suspended,admin,Ada Admin,organisation:initech,"{""name""');
    expectProblem(await rt.api('alice', 'GET', '/audit/export'), 403);
  });

  it('records are never editable: no route changes one, each kept 400 days', async () => {
    const [record] = (await ok('admin', 'GET', '/audit?limit=1')).items;
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const response = await rt.api('admin', method, '/audit', {});
      expect([404, 405]).toContain(response.status);
      expect([404, 405]).toContain((await rt.api('admin', method, `/audit/${record.id}`, {})).status);
    }
    const item = await rt.table.get({ PK: 'AUDIT', SK: `${record.at}#${record.id}` });
    expect(item!.expiresAt).toBe(Math.floor(Date.parse(record.at) / 1000) + 400 * 86_400);
  });

  it('a refused change writes no audit record either', async () => {
    const { version } = await ok('bob', 'GET', '/spaces/initech-project');
    await changesNothing(async () => {
      expectProblem(
        await rt.api('bob', 'PUT', '/spaces/initech-project/sharing', { partnerOrgs: ['nobody'], version }),
        404,
      );
      expectProblem(
        await rt.api('alice', 'PUT', '/spaces/initech-project/members/alice', { role: 'owner' }),
        404,
      );
    });
  });
});

describe('removing an organisation', () => {
  it('is refused while spaces are shared with it; once unshared, its people are refused and its domains free', async () => {
    await changesNothing(async () => {
      expectProblem(await rt.api('admin', 'DELETE', '/orgs/initech'), 409);
    });
    const { version } = await ok('bob', 'GET', '/spaces/initech-project');
    await ok('bob', 'PUT', '/spaces/initech-project/sharing', { partnerOrgs: [], version });
    expect((await rt.api('admin', 'DELETE', '/orgs/initech')).status).toBe(204);
    const refused = await rt.api(ivy, 'GET', '/me');
    expectProblem(refused, 403);
    expect(refused.body.detail).toMatch(/no longer has access/);
    expect(await rt.table.get({ PK: 'IDP#initech', SK: 'IDP' })).toBeUndefined();
    expectProblem(await rt.api('admin', 'GET', '/orgs/initech'), 404);
    const { items } = await ok(
      'admin',
      'GET',
      '/audit?target=organisation:initech&kind=organisation.removed',
    );
    expect(items).toHaveLength(1);
    expect(items[0].before).toMatchObject({ emailDomains: ['initech.example', 'initech-mail.example'] });
    // The domain can now be claimed by another organisation.
    expect(
      await ok('admin', 'POST', '/orgs', {
        id: 'initrode',
        name: 'Initrode',
        emailDomains: ['initech.example'],
      }),
    ).toMatchObject({ emailDomains: ['initech.example'] });
  });
});

describe('changing an organisation', () => {
  it('renames, moves domains and provider on the version loaded; a stale version is a 409', async () => {
    const org = await ok('admin', 'GET', '/orgs/initrode');
    const updated = await ok('admin', 'PATCH', '/orgs/initrode', {
      name: 'Initrode Inc',
      emailDomains: ['initrode.example'],
      provider: { name: 'initrode', kind: 'oidc', issuer: 'https://id.initrode.example', clientId: 'cp' },
      version: org.organisation.version,
    });
    expect(updated).toMatchObject({
      name: 'Initrode Inc',
      emailDomains: ['initrode.example'],
      provider: { name: 'initrode', hasClientSecret: false },
      version: 2,
    });
    expect(await rt.table.get({ PK: 'ORGDOMAIN#initech.example', SK: 'ORGDOMAIN' })).toBeUndefined();
    expect(await rt.table.get({ PK: 'ORGDOMAIN#initrode.example', SK: 'ORGDOMAIN' })).toMatchObject({
      orgId: 'initrode',
    });
    expect(await rt.table.get({ PK: 'IDP#initrode', SK: 'IDP' })).toMatchObject({ orgId: 'initrode' });
    await changesNothing(async () => {
      expectProblem(await rt.api('admin', 'PATCH', '/orgs/initrode', { name: 'Stale', version: 1 }), 409);
      expectProblem(
        await rt.api('admin', 'PATCH', '/orgs/initrode', { emailDomains: ['acme.example'], version: 2 }),
        409,
        'emailDomains.0',
      );
    });
    const [record] = (
      await ok('admin', 'GET', '/audit?kind=organisation.updated&target=organisation:initrode')
    ).items;
    expect(record).toMatchObject({ before: { name: 'Initrode' }, after: { name: 'Initrode Inc' } });
  });
});
