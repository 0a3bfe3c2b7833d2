/**
 * Profiles over the real local runtime: people edit their own profile (with conflict detection), list
 * skills, and can be found by skill — by list and by search — without crossing partner boundaries.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

const names = (page: { items: { userId: string }[] }) => page.items.map((p) => p.userId);

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
}, 60_000);

afterAll(async () => {
  await rt?.close();
});

describe('profiles', () => {
  it('are edited by their owner: fields set and cleared, skills kept as written but one per key, version checked', async () => {
    const me = await ok('alice', 'GET', '/me');
    const saved = await ok('alice', 'PATCH', '/me', {
      title: 'Staff engineer',
      department: 'Platform',
      location: 'Oslo',
      about: 'Builds the deployment pipeline.',
      skills: ['Kubernetes', 'machine  learning', 'kubernetes', 'AWS'],
      version: me.version,
    });
    // Shown as written (issue 10: "AWS" stays "AWS"); `kubernetes` is the same skill as `Kubernetes`.
    expect(saved).toMatchObject({
      title: 'Staff engineer',
      department: 'Platform',
      skills: ['Kubernetes', 'machine learning', 'AWS'],
      version: me.version + 1,
    });
    const stale = await rt.api('alice', 'PATCH', '/me', { title: 'Overwritten?', version: me.version });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(me.version + 1);

    const cleared = await ok('alice', 'PATCH', '/me', { location: '', version: saved.version });
    expect(cleared.location).toBeUndefined();
    expect(cleared.title).toBe('Staff engineer');
    expect(await ok('bob', 'GET', '/people/alice')).toMatchObject({
      title: 'Staff engineer',
      skills: ['Kubernetes', 'machine learning', 'AWS'],
    });
    // Found by the normalised key, whatever the spelling asked for.
    for (const skill of ['aws', 'AWS', 'Machine%20Learning', 'machine-learning'])
      expect(
        (await ok('bob', 'GET', `/people?skill=${skill}`)).items.map((p: { userId: string }) => p.userId),
      ).toContain('alice');
  });

  it('refuses bad input by field and changes nothing', async () => {
    const before = await ok('bob', 'GET', '/me');
    for (const [body, field] of [
      [{ skills: ['9lives'], version: before.version }, 'json.skills.0'],
      [{ skills: Array.from({ length: 31 }, (_, i) => `s${i}`), version: before.version }, 'json.skills'],
      [{ title: 'x', email: 'me@evil.example', version: before.version }, 'json.email'],
      [{ title: 'x'.repeat(121), version: before.version }, 'json.title'],
    ] as const) {
      const response = await rt.api('bob', 'PATCH', '/me', body);
      expect({
        status: response.status,
        fields: response.body.errors?.map((e: { field: string }) => e.field),
      }).toEqual({
        status: 400,
        fields: expect.arrayContaining([field]),
      });
    }
    expect(await ok('bob', 'GET', '/me')).toEqual(before);
  });
});

describe('profiles from before they could be edited', () => {
  it('read as version 1 and take their first edit', async () => {
    await rt.table.update({
      Key: { PK: 'USER#admin', SK: 'PROFILE' },
      UpdateExpression: 'REMOVE version, skills',
    });
    const me = await ok('admin', 'GET', '/me');
    expect(me).toMatchObject({ version: 1, skills: [] });
    const saved = await ok('admin', 'PATCH', '/me', { department: 'Hydrology', version: 1 });
    expect(saved.version).toBe(2);
    await rt.drain();
    // The department is searchable too.
    expect((await ok('bob', 'GET', '/search?q=hydrology&type=profile')).items).toHaveLength(1);
  });
});

describe('people by skill', () => {
  it('lists who has a skill, keeps the list in step with edits, and respects partner boundaries', async () => {
    for (const account of ['bob', 'pat', 'gus']) {
      const me = await ok(account, 'GET', '/me');
      await ok(account, 'PATCH', '/me', { skills: ['supplier-audits'], version: me.version });
    }
    expect(names(await ok('alice', 'GET', '/people?skill=Supplier%20Audits'))).toEqual(['bob', 'gus', 'pat']);
    // Partners see employees and their own organisation's people, never another organisation's.
    expect(names(await ok('pat', 'GET', '/people?skill=supplier-audits'))).toEqual(['bob', 'pat']);
    expect(names(await ok('gus', 'GET', '/people?skill=supplier-audits'))).toEqual(['bob', 'gus']);

    const bob = await ok('bob', 'GET', '/me');
    await ok('bob', 'PATCH', '/me', { skills: ['negotiation'], version: bob.version });
    expect(names(await ok('alice', 'GET', '/people?skill=supplier-audits'))).toEqual(['gus', 'pat']);
    expect(names(await ok('alice', 'GET', '/people?skill=negotiation'))).toEqual(['bob']);
  });

  it('pages a partner through employees and their own organisation only: no cursor names anyone else', async () => {
    for (const account of ['alice', 'gus', 'pat']) {
      const me = await ok(account, 'GET', '/me');
      await ok(account, 'PATCH', '/me', { skills: [...me.skills, 'welding'], version: me.version });
    }
    const seen: string[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ok(
        'pat',
        'GET',
        `/people?skill=welding&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...names(page));
      cursor = page.cursor;
      if (cursor) cursors.push(Buffer.from(cursor, 'base64url').toString('utf8'));
    } while (cursor);
    expect(seen).toEqual(['alice', 'pat']);
    expect(cursors.join(' ')).not.toMatch(/gus|globex/i);
    // Employees see everyone who lists it.
    expect(names(await ok('bob', 'GET', '/people?skill=welding'))).toEqual(['alice', 'gus', 'pat']);
    const forged = Buffer.from(JSON.stringify({ partition: 5 })).toString('base64url');
    expect((await rt.api('pat', 'GET', `/people?skill=welding&cursor=${forged}`)).status).toBe(400);
  });

  it('are found by search through their skills and title', async () => {
    const me = await ok('admin', 'GET', '/me');
    await ok('admin', 'PATCH', '/me', { title: 'Quartermaster', skills: ['zeppelins'], version: me.version });
    await rt.drain();
    const bySkill = await ok('alice', 'GET', '/search?q=zeppelins&type=profile');
    expect(bySkill.items.map((h: { url: string }) => h.url)).toEqual(['/people/admin']);
    const byTitle = await ok('bob', 'GET', '/search?q=quartermaster&type=profile');
    expect(byTitle.items).toHaveLength(1);
  });
});
