// Social bookmarks over the real local runtime: saving and de-duplicating, who else saved a link
// (trimmed for partners), every list with its paging and its one Query, tags, bundles, Netscape
// import (10,000 links, twice) and export, bad input, and search with its trimming.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

async function ok(account: string, method: string, pathname: string, body?: unknown): Promise<any> {
  const response = await rt.api(account, method, pathname, body);
  if (response.status >= 300)
    throw new Error(`${account} ${method} ${pathname} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

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

/**
 * POSTs a bookmark file with node:http, which has no response timeout: under a loaded machine the
 * local runtime's 10,000-link import can take longer than fetch's five-minute header timeout.
 */
async function importFile(account: string, file: string): Promise<{ status: number; body: any }> {
  const token = await rt.tokenFor(account);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${rt.url}/api/me/bookmarks/import`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/html' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(file);
  });
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
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat', 'gus']) await ok(account, 'GET', '/me');
  await rt.drain();
}, 60_000);

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
  const html = { 'content-type': 'text/html' };

  // 1,500 untagged links: many import batches, yet quick on the local runtime (each transaction item
  // is several calls to dynalite; 10,000 take minutes here, see bench:bookmarks). Tags and dates are
  // kept, as the smaller imports below show.
  it('imports 1,500 links; importing the same file again adds nothing', async () => {
    const file = bookmarkFile(1_500, 0, [], false);
    const started = Date.now();
    const first = await importFile('bob', file);
    const firstMs = Date.now() - started;
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      links: 1_500,
      imported: 1_500,
      alreadySaved: 0,
      duplicates: 0,
      errors: [],
    });
    // What the first write derives (link metadata, search, feed) lands first: then any record is the import's.
    await rt.drain();
    const before = rt.front.stream(rt.tableName).length;
    const second = await importFile('bob', file);
    expect(second.body).toMatchObject({ imported: 0, alreadySaved: 1_500 });
    expect(rt.front.stream(rt.tableName).length).toBe(before);
    // Dates kept: the newest is item 1499 (its ADD_DATE); at 1,500+ saved a page is still one Query.
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
      url: 'https://import.example/item/1499',
      title: 'Item 1499',
      description: 'Description of item 1499',
      savedAt: new Date((1_600_000_000 + 1499) * 1000).toISOString(),
      visibility: 'private',
    });
    console.log(`import of 1,500 links: ${firstMs} ms`);
  }, 300_000);

  it('takes the file as JSON too, and refuses what is not a bookmark file or too large, importing nothing', async () => {
    const withErrors = bookmarkFile(3, 50_000, [
      '<DT><A HREF="javascript:alert(1)">Bookmarklet</A>',
      '<DT><A HREF="https://import.example/item/50000?fbclid=1">The same as item 50000</A>',
    ]);
    const viaJson = await ok('gus', 'POST', '/me/bookmarks/import', { file: withErrors });
    expect(viaJson).toEqual({
      links: 5,
      imported: 3,
      alreadySaved: 0,
      duplicates: 1,
      errors: [{ line: 4, url: 'javascript:alert(1)', message: 'Only http and https links can be saved.' }],
    });
    // What the first write derives (link metadata, search, feed) lands first: then any record is the import's.
    await rt.drain();
    const before = rt.front.stream(rt.tableName).length;
    const notAFile = await rt.api(
      'gus',
      'POST',
      '/me/bookmarks/import',
      '<html><a href="https://x.example">x</a></html>',
      html,
    );
    expectProblem(notAFile, 422);
    expectProblem(await rt.api('gus', 'POST', '/me/bookmarks/import', { file: 42 }), 400, 'json.file');
    const huge = `${bookmarkFile(1, 60_000)}${' '.repeat(5 * 1024 * 1024)}`;
    expectProblem(await rt.api('gus', 'POST', '/me/bookmarks/import', huge, html), 413);
    const tooMany = bookmarkFile(10_001, 70_000);
    expectProblem(await rt.api('gus', 'POST', '/me/bookmarks/import', tooMany, html), 413);
    expectProblem(
      await rt.api('gus', 'POST', '/me/bookmarks/import?visibility=employees', bookmarkFile(1), html),
      403,
    );
    expect(rt.front.stream(rt.tableName).length).toBe(before);
  }, 120_000);

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
    await ok('admin', 'POST', '/me/bookmarks/import', { file });
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
