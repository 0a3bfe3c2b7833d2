// Social bookmarks over the real local runtime: saving and de-duplicating, who else saved a link
// (trimmed for partners), every list with its paging and its one Query, tags, bundles, Netscape
// import as a job (upload, start, poll; twice; resumed after a crash) and export, bad input, and
// search with its trimming.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createImportWorker } from '../../functions/domain/bookmarks/import-job';
import { systemClock } from '../../functions/platform/clock';
import { seedDemoData } from '../../local/seed';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

function expectProblem(response: ApiResponse, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** Requests one API call makes to the table: all of them, and the Query calls among them. */
async function counted(run: () => Promise<unknown>) {
  const before = { all: rt.table.roundTrips, queries: rt.table.queries };
  const result = await run();
  return {
    result: result as any,
    requests: rt.table.roundTrips - before.all,
    queries: rt.table.queries - before.queries,
  };
}

const urls = (page: { items: { url: string }[] }) => page.items.map((b) => b.url);

/** Sends a bookmark file with the form the API grants: straight to the blob store, never through the API. */
async function uploadFile(account: string, file: string): Promise<string> {
  const grant = await ok(account, 'POST', '/me/bookmarks/imports/uploads', { size: Buffer.byteLength(file) });
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.upload.fields as Record<string, string>))
    form.append(name, value);
  form.append('file', new Blob([file], { type: 'text/html' }));
  const sent = await fetch(grant.upload.url, { method: 'POST', body: form });
  expect(sent.status).toBeLessThan(300);
  return grant.uploadId;
}

/** Polls a job until it ends; returns it with every `progress.done` seen on the way. */
async function untilEnded(account: string, id: string) {
  const seen: number[] = [];
  for (const until = Date.now() + 480_000; Date.now() < until; ) {
    const job = await ok(account, 'GET', `/me/bookmarks/imports/${id}`);
    seen.push(job.progress.done);
    if (job.status === 'done' || job.status === 'refused') return { job, seen };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import ${id} did not end within 8 minutes`);
}

/** Uploads, starts (202) and waits for the job: the whole import as the web client does it. */
async function importFile(account: string, file: string, visibility?: 'private' | 'employees') {
  const uploadId = await uploadFile(account, file);
  const started = await rt.api(account, 'POST', '/me/bookmarks/imports', { uploadId, visibility });
  if (started.status !== 202) throw new Error(`start → ${started.status} ${JSON.stringify(started.body)}`);
  expect(started.headers.get('location')).toBe(`/api/me/bookmarks/imports/${uploadId}`);
  return { started: started.body, ...(await untilEnded(account, uploadId)) };
}

/** Records the stream got since `sequence` other than the import jobs' own bookkeeping. */
function writesSince(sequence: string) {
  return rt.front
    .stream(rt.tableName)
    .readAfter(sequence, 1_000_000)
    .filter((r: any) => !String(r.dynamodb.Keys.SK.S).startsWith('IMPORT#'));
}

/** Whether an upload's bytes are still in the blob store (under any owner). */
function uploadKept(uploadId: string) {
  const root = path.join(rt.blobs.directory, 'uploads');
  if (!fs.existsSync(root)) return false;
  return fs.readdirSync(root).some((owner) => fs.existsSync(path.join(root, owner, uploadId)));
}

/** A Netscape file of `n` links, numbered from `from`, with two tags each (or none). */
function bookmarkFile(n: number, from = 0, extraLines: string[] = [], tagged = true) {
  const lines = ['<!DOCTYPE NETSCAPE-Bookmark-file-1>', '<TITLE>Bookmarks</TITLE>', '<DL><p>', ...extraLines];
  for (let i = from; i < from + n; i++) {
    const tags = tagged ? ` TAGS="imported,batch${i % 10}"` : '';
    lines.push(
      `<DT><A HREF="https://import.example/item/${i}?utm_source=mail" ADD_DATE="${1_600_000_000 + i}"${tags}>Item ${i}</A>`,
      `<DD>Description of item ${i}`,
    );
  }
  lines.push('</DL><p>');
  return lines.join('\n');
}

beforeAll(async () => {
  // Small chunks and no time budget: every job here hops from message to message, as a long one does.
  rt = await startTestRuntime({ bookmarkImport: { chunkLinks: 400, budgetMs: 0 } });
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat', 'gus']) await ok(account, 'GET', '/me');
  await rt.drain();
}, 180_000);

afterAll(async () => {
  await rt?.close();
});

describe('saving', () => {
  it('normalises the URL and stores it once, with everyone’s saves beside it', async () => {
    const mine = await ok('alice', 'POST', '/me/bookmarks', {
      url: 'HTTPS://Docs.Example.com:443/guide/?b=2&a=1&utm_source=newsletter#intro',
      title: 'The guide',
      tags: ['Docs', 'guide'],
      visibility: 'employees',
    });
    expect(mine).toMatchObject({
      url: 'https://docs.example.com/guide?a=1&b=2#intro',
      host: 'docs.example.com',
      title: 'The guide',
      tags: ['docs', 'guide'],
      visibility: 'employees',
      mine: true,
      favourite: false,
      version: 1,
      savedBy: { userId: 'alice', name: 'Alice Andersen' },
    });
    const bobs = await ok('bob', 'POST', '/me/bookmarks', {
      url: 'https://docs.example.com/guide?a=1&fbclid=xyz&b=2#intro',
      visibility: 'employees',
    });
    expect(bobs.id).toBe(mine.id);
    const urlItem = await rt.table.get({ PK: `URL#${mine.id}`, SK: 'URL' });
    expect(urlItem).toMatchObject({
      type: 'bookmarkUrl',
      url: 'https://docs.example.com/guide?a=1&b=2#intro',
      urlHash: mine.id,
      host: 'docs.example.com',
      saverCount: 2,
      sharedSaverCount: 2,
      firstSavedAt: mine.savedAt,
    });
    // Lists carry the shared count, so the client asks who saved a link only when the reader opens it.
    const listed = (await ok('bob', 'GET', '/me/bookmarks')).items.find((b: any) => b.id === mine.id);
    expect(listed.sharedSaves).toBe(2);
    // Saving it again is a conflict that names my bookmark.
    const again = await rt.api('alice', 'POST', '/me/bookmarks', {
      url: 'https://docs.example.com/guide?b=2&a=1#intro',
    });
    expectProblem(again, 409);
    expect(again.body).toMatchObject({ type: expect.stringMatching(/already-saved$/), bookmarkId: mine.id });
  });

  it('shows the fetched title, description and icon where the saver gave none', async () => {
    const saved = await ok('bob', 'POST', '/me/bookmarks', { url: 'https://meta.example/page' });
    expect(saved.title).toBe('');
    // As the metadata consumer will (its contract): UpdateItem on the URL item.
    await rt.table.update({
      Key: { PK: `URL#${saved.id}`, SK: 'URL' },
      UpdateExpression: 'SET meta = :meta, metaFetchedAt = :at',
      ExpressionAttributeValues: {
        ':meta': { title: 'Fetched title', description: 'Fetched text', icon: 'data:image/png;base64,AAAA' },
        ':at': new Date().toISOString(),
      },
    });
    const read = await ok('bob', 'GET', `/me/bookmarks/${saved.id}`);
    expect(read).toMatchObject({
      title: 'Fetched title',
      description: 'Fetched text',
      meta: { icon: 'data:image/png;base64,AAAA' },
    });
    const edited = await ok('bob', 'PATCH', `/me/bookmarks/${saved.id}`, { title: 'My own', version: 1 });
    expect(edited).toMatchObject({ title: 'My own', version: 2 });
    expect((await ok('bob', 'GET', '/me/bookmarks')).items.find((b: any) => b.id === saved.id)).toMatchObject(
      {
        title: 'My own',
        description: 'Fetched text',
      },
    );
  });

  it('refuses bad URLs with a 400 naming the field, and writes nothing', async () => {
    // What the first write derives (link metadata, search, feed) lands first: then any record is the import's.
    await rt.drain();
    const before = rt.front.stream(rt.tableName).length;
    for (const url of [
      'javascript:alert(1)',
      'ftp://example.com/x',
      'no url',
      `https://e.com/${'x'.repeat(2050)}`,
    ]) {
      const response = await rt.api('alice', 'POST', '/me/bookmarks', { url });
      expectProblem(response, 400, 'json.url');
    }
    expectProblem(
      await rt.api('alice', 'GET', '/bookmarks/lookup?url=javascript:alert(1)'),
      400,
      'query.url',
    );
    expectProblem(
      await rt.api('alice', 'POST', '/me/bookmarks', { url: 'https://ok.example', tags: ['#'] }),
      400,
      'json.tags.0',
    );
    expectProblem(
      await rt.api('alice', 'POST', '/me/bookmarks', { url: 'https://ok.example', visibility: 'space' }),
      400,
      'json.spaceId',
    );
    expect(rt.front.stream(rt.tableName).length).toBe(before);
  });

  it('lets partners save privately or into a space they may post in, never for all employees', async () => {
    expectProblem(
      await rt.api('pat', 'POST', '/me/bookmarks', { url: 'https://pat.example/a', visibility: 'employees' }),
      403,
    );
    expectProblem(
      await rt.api('pat', 'POST', '/me/bookmarks', {
        url: 'https://pat.example/a',
        visibility: 'space',
        spaceId: 'globex-pilot',
      }),
      404,
    );
    expect(
      await ok('pat', 'POST', '/me/bookmarks', {
        url: 'https://pat.example/a',
        visibility: 'space',
        spaceId: 'acme-supply-chain',
      }),
    ).toMatchObject({ visibility: 'space', spaceId: 'acme-supply-chain', savedBy: { org: 'acme' } });
    expect(await ok('pat', 'POST', '/me/bookmarks', { url: 'https://pat.example/b' })).toMatchObject({
      visibility: 'private',
    });
  });

  it('edits with a version, marks favourites and deletes with every entry and count', async () => {
    const saved = await ok('alice', 'POST', '/me/bookmarks', {
      url: 'https://edit.example/',
      tags: ['one'],
      visibility: 'employees',
    });
    expectProblem(
      await rt.api('alice', 'PATCH', `/me/bookmarks/${saved.id}`, { title: 'x', version: 7 }),
      409,
    );
    expectProblem(await rt.api('bob', 'PATCH', `/me/bookmarks/${saved.id}`, { title: 'x', version: 1 }), 404);
    await ok('alice', 'PUT', `/me/bookmarks/${saved.id}/favourite`, { favourite: true });
    expect(urls(await ok('alice', 'GET', '/me/bookmarks?favourites=true'))).toContain('https://edit.example');
    const sharedCount = async () =>
      (await rt.table.get({ PK: `URL#${saved.id}`, SK: 'URL' }))?.sharedSaverCount;
    expect(await sharedCount()).toBe(1);
    await ok('alice', 'PATCH', `/me/bookmarks/${saved.id}`, {
      tags: ['two'],
      visibility: 'private',
      version: 1,
    });
    expect(await sharedCount()).toBe(0);
    await ok('alice', 'PATCH', `/me/bookmarks/${saved.id}`, { visibility: 'employees', version: 2 });
    expect(await sharedCount()).toBe(1);
    await ok('alice', 'PATCH', `/me/bookmarks/${saved.id}`, { visibility: 'private', version: 3 });
    expect(urls(await ok('alice', 'GET', '/me/bookmarks?tag=one'))).not.toContain('https://edit.example');
    expect(urls(await ok('alice', 'GET', '/me/bookmarks?tag=two'))).toContain('https://edit.example');
    expect(urls(await ok('bob', 'GET', '/bookmarks/recent?limit=40'))).not.toContain('https://edit.example');
    expect((await rt.api('alice', 'DELETE', `/me/bookmarks/${saved.id}`)).status).toBe(204);
    const left = await rt.table.query({ partition: 'USER#alice', beginsWith: 'BM', limit: 1000 });
    expect(left.items.filter((item) => item.urlHash === saved.id)).toEqual([]);
    expect(await rt.table.get({ PK: `URL#${saved.id}`, SK: 'URL' })).toMatchObject({
      saverCount: 0,
      sharedSaverCount: 0,
    });
    expect(
      (await ok('alice', 'GET', '/me/bookmark-tags')).items.find((t: any) => t.tag === 'two'),
    ).toBeUndefined();
  });
});

describe('who else saved this', () => {
  const link = 'https://shared.example/report';
  beforeAll(async () => {
    await ok('alice', 'POST', '/me/bookmarks', { url: link, visibility: 'employees' });
    await ok('bob', 'POST', '/me/bookmarks', {
      url: `${link}/`,
      visibility: 'space',
      spaceId: 'acme-supply-chain',
    });
    await ok('admin', 'POST', '/me/bookmarks', { url: `${link}?utm_medium=x`, visibility: 'private' });
    await ok('pat', 'POST', '/me/bookmarks', {
      url: link,
      visibility: 'space',
      spaceId: 'acme-supply-chain',
    });
    await ok('gus', 'POST', '/me/bookmarks', { url: link, visibility: 'space', spaceId: 'globex-pilot' });
  });

  const savers = async (account: string) =>
    (
      await ok(
        account,
        'GET',
        `/bookmarks/lookup?url=${encodeURIComponent('HTTPS://shared.example/report/')}`,
      )
    ).others;

  it('an employee sees every save they may read, never a private one', async () => {
    const others = await savers('alice');
    // bob's and pat's are in a space alice may not read (members only); admin's is private; gus saved
    // into the Globex space, which alice owns.
    expect(others.people.map((p: any) => p.userId).sort()).toEqual(['gus']);
    const bobs = await savers('bob');
    expect(bobs.people.map((p: any) => p.userId).sort()).toEqual(['alice', 'pat']);
    expect(bobs.count).toBe(2);
  });

  it('a partner learns only of saves in spaces shared with them, by employees or their own organisation', async () => {
    const pats = await savers('pat');
    expect(pats.people.map((p: any) => p.userId)).toEqual(['bob']);
    expect(pats.count).toBe(1);
    const gus = await savers('gus');
    expect(gus.people).toEqual([]);
    expect(gus.count).toBe(0);
    expect(JSON.stringify(gus)).not.toContain('acme');
  });

  it('says whether I saved it myself', async () => {
    const lookup = await ok('admin', 'GET', `/bookmarks/lookup?url=${encodeURIComponent(link)}`);
    expect(lookup).toMatchObject({ url: link, mine: { visibility: 'private', mine: true } });
    expect(lookup.others.people.map((p: any) => p.userId).sort()).toEqual(['alice', 'bob', 'gus', 'pat']);
    expect((await ok('alice', 'GET', '/bookmarks/lookup?url=https://never.example')).mine).toBeUndefined();
  });
});

describe('lists, each one Query', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await ok('bob', 'POST', '/me/bookmarks', {
        url: `https://list.example/${i}`,
        title: `List ${i}`,
        tags: i % 2 ? ['odd', 'list'] : ['even', 'list'],
        visibility: i < 5 ? 'employees' : 'space',
        ...(i < 5 ? {} : { spaceId: 'engineering' }),
        favourite: i === 3,
      });
    }
    // Popular: three employees save list/0, two list/1.
    await ok('alice', 'POST', '/me/bookmarks', { url: 'https://list.example/0', visibility: 'employees' });
    await ok('admin', 'POST', '/me/bookmarks', { url: 'https://list.example/0', visibility: 'employees' });
    await ok('alice', 'POST', '/me/bookmarks', { url: 'https://list.example/1', visibility: 'employees' });
  });

  /** Pages through a list 3 at a time, checking each page is one Query plus at most one BatchGetItem. */
  async function everyPage(account: string, path: string): Promise<any[]> {
    const seen: any[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const { result, requests, queries } = await counted(() =>
        ok(account, 'GET', `${path}${sep}limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      );
      expect(queries).toBe(1);
      expect(requests).toBeLessThanOrEqual(2);
      seen.push(...result.items);
      cursor = result.cursor;
      if (!cursor) break;
    }
    return seen;
  }

  it('mine, newest first, paged', async () => {
    const mine = (await everyPage('bob', '/me/bookmarks')).map((b) => b.url);
    const listed = mine.filter((u) => u.startsWith('https://list.example/'));
    expect(listed).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `https://list.example/${i}`));
  });

  it('mine by tag, and my favourites', async () => {
    expect((await everyPage('bob', '/me/bookmarks?tag=odd')).map((b) => b.title)).toEqual([
      'List 5',
      'List 3',
      'List 1',
    ]);
    const favourites = (await everyPage('bob', '/me/bookmarks?favourites=true')).map((b) => b.title);
    expect(favourites.filter((title) => title.startsWith('List'))).toEqual(['List 3']);
  });

  it('everyone’s recent: what every employee may see, for employees only', async () => {
    const recent = (await everyPage('alice', '/bookmarks/recent')).map((b) => b.url);
    expect(recent).toEqual(expect.arrayContaining(['https://list.example/4', 'https://list.example/0']));
    expect(recent).not.toContain('https://list.example/5');
    expect(recent).not.toContain('https://pat.example/b');
    expectProblem(await rt.api('pat', 'GET', '/bookmarks/recent'), 403);
  });

  it('popular: most saved in the last 30 days', async () => {
    const { result, queries, requests } = await counted(() =>
      ok('alice', 'GET', '/bookmarks/popular?limit=2'),
    );
    expect(queries).toBe(1);
    expect(requests).toBe(2);
    expect(result.items.map((p: any) => [p.url, p.saveCount])).toEqual([
      ['https://list.example/0', 3],
      ['https://list.example/1', 2],
    ]);
    const next = await ok('alice', 'GET', `/bookmarks/popular?limit=2&cursor=${result.cursor}`);
    expect(next.items.every((p: any) => p.saveCount <= 2)).toBe(true);
    expectProblem(await rt.api('gus', 'GET', '/bookmarks/popular'), 403);
  });

  it('by person: what every employee may see of theirs', async () => {
    const bobs = (await everyPage('alice', '/people/bob/bookmarks')).map((b) => b.url);
    expect(bobs).toContain('https://list.example/4');
    expect(bobs).not.toContain('https://list.example/6');
    expect((await ok('pat', 'GET', '/people/bob/bookmarks')).items).toEqual([]);
    expectProblem(await rt.api('pat', 'GET', '/people/gus/bookmarks'), 404);
  });

  it('by space: for its readers, without another organisation’s saves', async () => {
    expect((await everyPage('alice', '/spaces/engineering/bookmarks')).map((b) => b.title)).toEqual([
      'List 6',
      'List 5',
    ]);
    expectProblem(await rt.api('pat', 'GET', '/spaces/engineering/bookmarks'), 404);
    const acme = (await ok('pat', 'GET', '/spaces/acme-supply-chain/bookmarks')).items;
    // The seed's two (bob, pat) and this file's (bob, pat twice).
    expect(acme.map((b: any) => b.savedBy.userId).sort()).toEqual(['bob', 'bob', 'pat', 'pat', 'pat']);
  });

  it('refuses a cursor from another list', async () => {
    const first = await ok('bob', 'GET', '/me/bookmarks?limit=1');
    expectProblem(
      await rt.api('alice', 'GET', `/me/bookmarks?limit=1&cursor=${first.cursor}`),
      400,
      'cursor',
    );
  });
});

describe('tags and bundles', () => {
  beforeAll(async () => {
    await ok('admin', 'POST', '/me/bookmarks', {
      url: 'https://t.example/1',
      tags: ['js', 'web'],
      visibility: 'employees',
    });
    await ok('admin', 'POST', '/me/bookmarks', {
      url: 'https://t.example/2',
      tags: ['javascript'],
      visibility: 'employees',
    });
    await ok('admin', 'POST', '/me/bookmarks', { url: 'https://t.example/3', tags: ['javascript', 'js'] });
  });

  it('counts my tags and the company’s', async () => {
    const mine = (await ok('admin', 'GET', '/me/bookmark-tags')).items;
    expect(mine).toEqual(
      expect.arrayContaining([
        { tag: 'js', count: 2 },
        { tag: 'javascript', count: 2 },
        { tag: 'web', count: 1 },
      ]),
    );
    const company = (await ok('alice', 'GET', '/bookmark-tags')).items;
    expect(company).toEqual(
      expect.arrayContaining([
        { tag: 'js', count: 1 },
        { tag: 'javascript', count: 1 },
      ]),
    );
    expect(company[0].count).toBeGreaterThanOrEqual(company.at(-1).count);
    expectProblem(await rt.api('pat', 'GET', '/bookmark-tags'), 403);
  });

  it('renames a tag onto an existing one: they merge', async () => {
    const result = await ok('admin', 'POST', '/me/bookmark-tags/rename', { from: 'js', to: 'javascript' });
    expect(result).toEqual({ from: 'js', to: 'javascript', renamed: 2, merged: true });
    const mine = (await ok('admin', 'GET', '/me/bookmark-tags')).items;
    expect(mine.find((t: any) => t.tag === 'js')).toBeUndefined();
    expect(mine.find((t: any) => t.tag === 'javascript')).toEqual({ tag: 'javascript', count: 3 });
    expect(urls(await ok('admin', 'GET', '/me/bookmarks?tag=javascript')).sort()).toEqual([
      'https://t.example/1',
      'https://t.example/2',
      'https://t.example/3',
    ]);
    const three = await ok('admin', 'GET', '/me/bookmarks?tag=javascript&limit=40');
    expect(three.items.find((b: any) => b.url === 'https://t.example/3').tags).toEqual(['javascript']);
    // Renaming a tag to its own name (as normalised) has nothing to do.
    expect(
      await ok('admin', 'POST', '/me/bookmark-tags/rename', { from: 'Javascript', to: 'javascript' }),
    ).toEqual({
      from: 'javascript',
      to: 'javascript',
      renamed: 0,
      merged: false,
    });
  });

  it('keeps bundles (any / all / none) and lists their links', async () => {
    const bundle = await ok('admin', 'POST', '/me/bookmark-bundles', {
      name: 'Frontend',
      any: ['javascript'],
      none: ['web'],
    });
    expect(bundle).toMatchObject({
      name: 'Frontend',
      any: ['javascript'],
      all: [],
      none: ['web'],
      version: 1,
    });
    expect(urls(await ok('admin', 'GET', `/me/bookmark-bundles/${bundle.id}/bookmarks`)).sort()).toEqual([
      'https://t.example/2',
      'https://t.example/3',
    ]);
    const changed = await ok('admin', 'PUT', `/me/bookmark-bundles/${bundle.id}`, {
      name: 'Web',
      all: ['web'],
      version: 1,
    });
    expect(changed).toMatchObject({ name: 'Web', any: [], all: ['web'], version: 2 });
    expect(urls(await ok('admin', 'GET', `/me/bookmark-bundles/${bundle.id}/bookmarks`))).toEqual([
      'https://t.example/1',
    ]);
    expect((await ok('admin', 'GET', '/me/bookmark-bundles')).items.map((b: any) => b.name)).toEqual(['Web']);
    expectProblem(await rt.api('alice', 'GET', `/me/bookmark-bundles/${bundle.id}`), 404);
    expectProblem(
      await rt.api('admin', 'PUT', `/me/bookmark-bundles/${bundle.id}`, { name: 'x', version: 1 }),
      409,
    );
    expect((await rt.api('admin', 'DELETE', `/me/bookmark-bundles/${bundle.id}`)).status).toBe(204);
    expectProblem(await rt.api('admin', 'GET', `/me/bookmark-bundles/${bundle.id}`), 404);
  });
});

describe('import and export', () => {
  // 1,000 untagged links: three chunks, each its own queue message, yet quick on the local runtime
  // (each transaction item is several calls to dynalite; 10,000 take minutes here, see bench:bookmarks).
  it('imports 1,000 links as a job with progress; importing the same file again adds nothing', async () => {
    const file = bookmarkFile(1_000, 0, [], false);
    const started = Date.now();
    const first = await importFile('bob', file);
    const firstMs = Date.now() - started;
    expect(first.started).toMatchObject({ status: 'queued', progress: { done: 0, total: 0 } });
    expect(first.job).toMatchObject({
      status: 'done',
      visibility: 'private',
      progress: { done: 1_000, total: 1_000 },
      counts: { links: 1_000, added: 1_000, alreadySaved: 0, duplicates: 0, refused: 0 },
      errors: [],
      errorsCapped: false,
      finishedAt: expect.any(String),
    });
    // Progress was seen between the chunks (each its own message).
    expect(first.seen.some((done) => done > 0 && done < 1_000)).toBe(true);
    // The file is gone once the job ended (deleted right after the end is recorded).
    await rt.drain();
    expect(uploadKept(first.job.id)).toBe(false);
    // What the first write derives (link metadata, search, feed) lands first: then any record is the import's.
    await rt.drain();
    const before = rt.front.stream(rt.tableName).latestSequenceNumber;
    const second = await importFile('bob', file);
    expect(second.job.counts).toMatchObject({ added: 0, alreadySaved: 1_000 });
    expect(writesSince(before)).toEqual([]);
    // Dates kept: the newest is item 999 (its ADD_DATE); at 1,000+ saved a page is still one Query.
    const { result, queries, requests } = await counted(() => ok('bob', 'GET', '/me/bookmarks?limit=2'));
    expect(result.items.map((b: any) => [b.url, b.savedAt])).toEqual([
      ['https://list.example/6', expect.any(String)],
      ['https://list.example/5', expect.any(String)],
    ]);
    expect([queries, requests]).toEqual([1, 2]);
    const imported = [];
    let cursor = result.cursor;
    for (let page = 0; page < 3; page++) {
      const next = await ok('bob', 'GET', `/me/bookmarks?limit=40&cursor=${cursor}`);
      imported.push(...next.items.filter((b: any) => b.host === 'import.example'));
      cursor = next.cursor;
    }
    expect(imported[0]).toMatchObject({
      url: 'https://import.example/item/999',
      title: 'Item 999',
      description: 'Description of item 999',
      savedAt: new Date((1_600_000_000 + 999) * 1000).toISOString(),
      visibility: 'private',
    });
    console.log(
      `import of 1,000 links as a job: ${firstMs} ms (load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`,
    );
  }, 900_000);

  it('reports bad lines and duplicates; a refused file imports nothing and the job says why', async () => {
    const withErrors = bookmarkFile(3, 50_000, [
      '<DT><A HREF="javascript:alert(1)">Bookmarklet</A>',
      '<DT><A HREF="https://import.example/item/50000?fbclid=1">The same as item 50000</A>',
    ]);
    const { job } = await importFile('gus', withErrors);
    expect(job).toMatchObject({
      status: 'done',
      counts: { links: 5, added: 3, alreadySaved: 0, duplicates: 1, refused: 1 },
      errors: [{ line: 4, url: 'javascript:alert(1)', message: 'Only http and https links can be saved.' }],
      errorsCapped: false,
    });
    // What the first write derives (link metadata, search, feed) lands first: then any record is the import's.
    await rt.drain();
    const before = rt.front.stream(rt.tableName).latestSequenceNumber;

    const notAFile = await importFile('gus', '<html><a href="https://x.example">x</a></html>');
    expect(notAFile.job).toMatchObject({
      status: 'refused',
      reason: { type: 'not-a-bookmark-file', detail: expect.stringContaining('nothing was imported') },
      counts: { added: 0 },
    });
    await rt.drain();
    expect(uploadKept(notAFile.job.id)).toBe(false);
    const tooMany = await importFile('gus', bookmarkFile(10_001, 70_000));
    expect(tooMany.job).toMatchObject({ status: 'refused', reason: { type: 'too-many-links' } });
    // Over 5 MB: the API grants no form for it, and a file that got there anyway is refused by the job.
    expectProblem(
      await rt.api('gus', 'POST', '/me/bookmarks/imports/uploads', { size: 5 * 1024 * 1024 + 1 }),
      400,
      'json.size',
    );
    const gus = await ok('gus', 'GET', '/me');
    rt.blobs.write(
      `uploads/${gus.userId}/hugefile1`,
      Buffer.from(`${bookmarkFile(1, 60_000)}${' '.repeat(5 * 1024 * 1024)}`),
    );
    expect((await rt.api('gus', 'POST', '/me/bookmarks/imports', { uploadId: 'hugefile1' })).status).toBe(
      202,
    );
    const huge = await untilEnded('gus', 'hugefile1');
    expect(huge.job).toMatchObject({ status: 'refused', reason: { type: 'import-too-large' } });
    await rt.drain();
    expect(uploadKept('hugefile1')).toBe(false);
    expect(writesSince(before)).toEqual([]);

    // Bad requests change nothing: no upload yet, a bad id, a partner importing for all employees.
    expectProblem(
      await rt.api('gus', 'POST', '/me/bookmarks/imports', { uploadId: 'nothing-here' }),
      409,
      'json.uploadId',
    );
    expectProblem(
      await rt.api('gus', 'POST', '/me/bookmarks/imports', { uploadId: '../x' }),
      400,
      'json.uploadId',
    );
    expectProblem(
      await rt.api('gus', 'POST', '/me/bookmarks/imports/uploads', { size: 0 }),
      400,
      'json.size',
    );
    const partnerUpload = await uploadFile('pat', bookmarkFile(1, 80_000));
    expectProblem(
      await rt.api('pat', 'POST', '/me/bookmarks/imports', {
        uploadId: partnerUpload,
        visibility: 'employees',
      }),
      403,
    );
    // The same upload imports once.
    expectProblem(await rt.api('gus', 'POST', '/me/bookmarks/imports', { uploadId: job.id }), 409);
    expect(writesSince(before)).toEqual([]);
  }, 300_000);

  it('runs one import per person at a time, and shows a job to its owner only', async () => {
    const queue = rt.queues.get('bookmark-imports')!;
    await queue.stop();
    try {
      const first = await uploadFile('alice', bookmarkFile(2, 90_000));
      const second = await uploadFile('alice', bookmarkFile(2, 91_000));
      expect((await rt.api('alice', 'POST', '/me/bookmarks/imports', { uploadId: first })).status).toBe(202);
      const refused = await rt.api('alice', 'POST', '/me/bookmarks/imports', { uploadId: second });
      expectProblem(refused, 409);
      expect(refused.body).toMatchObject({ type: expect.stringContaining('import-running'), jobId: first });
      // Another person is not held up, and sees nothing of alice's job.
      const bobs = await uploadFile('bob', bookmarkFile(1, 92_000));
      expect((await rt.api('bob', 'POST', '/me/bookmarks/imports', { uploadId: bobs })).status).toBe(202);
      expect((await ok('bob', 'GET', `/me/bookmarks/imports/${bobs}`)).status).toBe('queued');
      expectProblem(await rt.api('bob', 'GET', `/me/bookmarks/imports/${first}`), 404);
      queue.start();
      expect((await untilEnded('alice', first)).job.counts.added).toBe(2);
      // Ended: the next one may start.
      expect((await rt.api('alice', 'POST', '/me/bookmarks/imports', { uploadId: second })).status).toBe(202);
      expect((await untilEnded('alice', second)).job.counts.added).toBe(2);
    } finally {
      queue.start();
    }
  }, 120_000);

  it('resumes a job that crashed mid-way from its recorded position, adding nothing twice', async () => {
    const queue = rt.queues.get('bookmark-imports')!;
    await rt.drain();
    await queue.stop();
    const file = bookmarkFile(300, 100_000);
    let jobId: string;
    try {
      jobId = await uploadFile('admin', file);
      expect((await rt.api('admin', 'POST', '/me/bookmarks/imports', { uploadId: jobId })).status).toBe(202);
      const admin = await ok('admin', 'GET', '/me');
      const message = { userId: admin.userId, jobId };
      // The worker dies in its third transaction of the second chunk (some of that chunk written):
      // after the job's second update (running, then the first chunk's position), two more go through.
      let updates = 0;
      let transactionsAfter = 0;
      const crashing = new Proxy(rt.table, {
        get(target, name, receiver) {
          if (name === 'update')
            return (input: never) => {
              updates++;
              return target.update(input);
            };
          if (name === 'transact')
            return async (items: never) => {
              if (updates >= 2 && ++transactionsAfter === 3) throw new Error('worker crashed');
              return target.transact(items);
            };
          const value = Reflect.get(target, name, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const sent: unknown[] = [];
      const worker = (table: typeof rt.table) =>
        createImportWorker({
          table,
          clock: systemClock,
          blobs: rt.blobs,
          queue: { send: async (m) => void sent.push(...m) },
          chunkLinks: 100,
          budgetMs: 60_000,
        });
      const crashed = await worker(crashing)
        .handleMessage(message)
        .then(
          () => 'no crash',
          (error: Error) => error.message,
        );
      expect(crashed).toBe('worker crashed');
      const halfway = await ok('admin', 'GET', `/me/bookmarks/imports/${jobId}`);
      expect(halfway).toMatchObject({ status: 'running', progress: { done: 100, total: 300 } });
      // The message comes back: the same chunk again, then the rest.
      await worker(rt.table).handleMessage(message);
      const { job } = await untilEnded('admin', jobId);
      expect(job.counts).toEqual({ links: 300, added: 300, alreadySaved: 0, duplicates: 0, refused: 0 });
      // Each link once, each tag counted once per link.
      const tags = await ok('admin', 'GET', '/me/bookmark-tags');
      expect(tags.items.find((t: any) => t.tag === 'imported')?.count).toBe(300);
      // Delivered again after the end: nothing changes.
      await worker(rt.table).handleMessage(message);
      expect((await ok('admin', 'GET', `/me/bookmarks/imports/${jobId}`)).counts.added).toBe(300);
      expect(sent).toEqual([]);
    } finally {
      queue.start();
    }
    // The runtime's own delivery of the message finds the job done.
    await rt.drain();
    expect((await ok('admin', 'GET', `/me/bookmarks/imports/${jobId!}`)).counts.added).toBe(300);
  }, 300_000);

  it('exports mine as a Netscape file that imports back to the same links', async () => {
    await ok('gus', 'POST', '/me/bookmarks', {
      url: 'https://export.example/?q="quoted"&x=<tag>',
      title: '<b>Bold</b> & "quoted"',
      description: 'Two\nlines',
      tags: ['export'],
    });
    const response = await rt.api('gus', 'GET', '/me/bookmarks/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const file = response.body as string;
    expect(file).toMatch(/^<!DOCTYPE NETSCAPE-Bookmark-file-1>/);
    expect(file).not.toContain('<b>');
    expect(file).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    // Into another account: the same URLs, titles and tags come back.
    const mine = (await ok('gus', 'GET', '/me/bookmarks?limit=40')).items;
    await importFile('admin', file);
    const lookup = await ok('admin', 'GET', `/bookmarks/lookup?url=${encodeURIComponent(mine[0].url)}`);
    expect(lookup.mine).toMatchObject({ title: mine[0].title, tags: mine[0].tags, description: 'Two lines' });
    expect(mine).toHaveLength(5);
  });
});

describe('search', () => {
  it('finds bookmarks by title, tags and host, trimmed like everything else', async () => {
    await ok('alice', 'POST', '/me/bookmarks', {
      url: 'https://zebrafish.example/handbook',
      title: 'Zebrafish handbook',
      tags: ['aquaria'],
      visibility: 'employees',
    });
    await ok('alice', 'POST', '/me/bookmarks', {
      url: 'https://secret-zebrafish.example/',
      title: 'Private zebrafish notes',
    });
    await ok('bob', 'POST', '/me/bookmarks', {
      url: 'https://acme-zebrafish.example/',
      title: 'Acme zebrafish supplier',
      visibility: 'space',
      spaceId: 'acme-supply-chain',
    });
    await rt.drain();
    const titles = async (account: string, q = 'zebrafish') =>
      (await ok(account, 'GET', `/search?q=${q}&type=bookmark`)).items.map((h: any) => h.title).sort();
    expect(await titles('alice')).toEqual(['Private zebrafish notes', 'Zebrafish handbook']);
    expect(await titles('bob')).toEqual(['Acme zebrafish supplier', 'Zebrafish handbook']);
    expect(await titles('admin')).toEqual(['Acme zebrafish supplier', 'Zebrafish handbook']);
    expect(await titles('pat')).toEqual(['Acme zebrafish supplier']);
    expect(await titles('gus')).toEqual([]);
    expect(await titles('alice', 'aquaria')).toEqual(['Zebrafish handbook']);
    expect(await titles('bob', 'acme-zebrafish.example')).toContain('Acme zebrafish supplier');
    const facets = (await ok('alice', 'GET', '/search?q=zebrafish')).facets.type;
    expect(facets).toEqual(expect.arrayContaining([{ value: 'bookmark', count: 2 }]));
    // Deleted: gone from search.
    const privateOne = await ok(
      'alice',
      'GET',
      `/bookmarks/lookup?url=${encodeURIComponent('https://secret-zebrafish.example/')}`,
    );
    await ok('alice', 'DELETE', `/me/bookmarks/${privateOne.id}`);
    await rt.drain();
    expect(await titles('alice')).toEqual(['Zebrafish handbook']);
  });
});
