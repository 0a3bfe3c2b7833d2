/**
 * Search end to end over the local runtime: the API writes, the local stream feeds the real indexer,
 * the embedded engine answers. Checks that search follows create, edit and delete, and that trimming
 * holds for partners of another organisation, non-members and anonymous callers — including right
 * after a space is unshared.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  await rt.drain();
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

const search = async (account: string, query: string) => {
  await rt.drain();
  return rt.api(account, 'GET', `/search?${query}`);
};
const titles = (body: any) => (body.items ?? []).map((i: any) => i.title);

describe('search over the local runtime', () => {
  it('follows a post through create, edit and delete', async () => {
    const created = await rt.api('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Quokka migration plan',
      body: 'Moving the **quokka** service to arm64.',
      tags: ['migration'],
    });
    expect(created.status).toBe(201);
    const found = await search('bob', 'q=quokka');
    expect(titles(found.body)).toContain('Quokka migration plan');
    const hit = found.body.items.find((i: any) => i.title === 'Quokka migration plan');
    expect(hit.snippet).toContain('<mark>');
    expect(hit.url).toBe(`/spaces/engineering/posts/${created.body.id}`);

    const edited = await rt.api('alice', 'PUT', `/spaces/engineering/posts/${created.body.id}`, {
      title: 'Wombat migration plan',
      body: 'Renamed.',
      version: created.body.version,
    });
    expect(edited.status).toBe(200);
    expect(titles((await search('bob', 'q=quokka')).body)).not.toContain('Quokka migration plan');
    expect(titles((await search('bob', 'q=wombat')).body)).toContain('Wombat migration plan');

    expect((await rt.api('alice', 'DELETE', `/spaces/engineering/posts/${created.body.id}`)).status).toBe(
      204,
    );
    expect(titles((await search('bob', 'q=wombat')).body)).not.toContain('Wombat migration plan');
  });

  it('keeps drafts out of the index', async () => {
    await rt.api('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Platypus draft',
      body: 'secret',
      status: 'draft',
    });
    expect((await search('alice', 'q=platypus')).body.total).toBe(0);
  });

  it('gives facets, highlights and people who know about it', async () => {
    const { status, body } = await search('alice', 'q=arm64');
    expect(status).toBe(200);
    expect(body.facets.type.find((f: any) => f.value === 'post').count).toBeGreaterThan(0);
    expect(body.facets.space.find((f: any) => f.value === 'engineering').label).toBe('Engineering');
    expect(body.people.map((p: any) => p.userId)).toContain('alice');
    expect(body.people[0].evidence.length).toBeGreaterThan(0);
  });

  it('answers type-ahead', async () => {
    const { body } = await rt.api('bob', 'GET', '/search/suggest?q=incid');
    expect(body.items.map((i: any) => i.title)).toContain('Incident review: the Tuesday search outage');
  });

  it('trims for partners, non-members and anonymous callers, in hits, counts, facets and snippets', async () => {
    // Globex's partner sees nothing of Acme's space.
    const gus = await search('gus', 'q=forecast%20pallets%20labelling');
    expect(gus.status).toBe(200);
    expect(titles(gus.body)).toEqual([]);
    expect(gus.body.total).toBe(0);
    expect(gus.body.facets.space).toEqual([]);
    expect(JSON.stringify(gus.body)).not.toMatch(/Leeds|pallet/i);
    // Acme's partner does, and never Globex's people.
    const pat = await search('pat', 'q=forecast');
    expect(titles(pat.body)).toContain('Weekly delivery forecast');
    const patPeople = await search('pat', 'q=gus&type=profile');
    expect(patPeople.body.items.map((i: any) => i.authorId)).not.toContain('gus');
    // A non-member employee does not see the members-only leadership space.
    const bob = await search('bob', 'q=planning');
    expect(titles(bob.body)).not.toContain('Q3 planning notes');
    expect(bob.body.facets.space.map((f: any) => f.value)).not.toContain('leadership');
    expect(titles((await search('alice', 'q=planning')).body)).toContain('Q3 planning notes');
    // No token, no search.
    expect((await rt.api('anonymous', 'GET', '/search?q=forecast')).status).toBe(401);
  });

  it('cuts a partner off the moment a space is unshared', async () => {
    const space = await rt.api('bob', 'GET', '/spaces/acme-supply-chain');
    const unshared = await rt.api('bob', 'PUT', '/spaces/acme-supply-chain/sharing', {
      partnerOrgs: [],
      version: space.body.version,
    });
    expect(unshared.status).toBe(200);
    // No drain: the access filter reads current sharing from the table at query time.
    const immediately = await rt.api('pat', 'GET', '/search?q=forecast');
    expect(immediately.body.total).toBe(0);
    expect(immediately.body.facets.space).toEqual([]);
    // And once the indexer has caught up, the documents themselves no longer name acme.
    await rt.drain();
    const doc = (
      await rt.search.search(
        { text: 'forecast', limit: 5, offset: 0 },
        {
          allContent: true,
          employeeContent: true,
          memberSpaces: [],
          sharedSpaces: [],
          people: { allOrgs: true },
        },
      )
    ).hits.find((h) => h.document.spaceId === 'acme-supply-chain');
    expect(doc?.document.partnerOrgs).toEqual([]);
    expect(doc?.document.audience).toBe('members');
  });

  it('rebuilds the index from the table with the same answers', async () => {
    const before = (await search('admin', 'q=incident')).body.total;
    const count = await rt.reindex();
    expect(count).toBeGreaterThan(5);
    expect((await search('admin', 'q=incident')).body.total).toBe(before);
  });

  it('refuses bad search input with problem+json', async () => {
    const bad = await rt.api('alice', 'GET', '/search?q=x&type=spaceship');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors[0].field).toContain('type');
  });
});
