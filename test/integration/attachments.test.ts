// Attachments end to end over the real local runtime (issue 17): uploads that never pass through the
// API (a signed form on the blob server's own origin), confirmation that sniffs the real type,
// downloads minted after a read check and served with fixed headers from another origin, limits and
// the quota, cleanup from the stream, page versions keeping their links, and profile photos. Each bad
// input is refused clearly and stores nothing.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemoData } from '../../local/seed';
import { type ApiResponse, startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let seq = 0;
const KiB = 1024;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000dIHDR fake image body for sniffing only'),
]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
const HTML_AS_PNG = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);
const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="4"/></svg>',
);

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

function expectProblem(response: ApiResponse, status: number, type?: string) {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (type) expect(response.body.type).toMatch(new RegExp(`/${type}$`));
}

/** Sends a file with an upload form as the browser does (multipart: the fields, then the file). */
async function send(
  grant: { upload: { url: string; fields: Record<string, string> } },
  bytes: Buffer,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...grant.upload.fields, ...fields })) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), 'file');
  return fetch(grant.upload.url, { method: 'POST', body: form });
}

/** Requests, sends and confirms a file; returns the attachment. */
async function attach(account: string, owner: string, name: string, contentType: string, bytes: Buffer) {
  const grant = await ok(account, 'POST', `${owner}/attachments/uploads`, {
    name,
    size: bytes.length,
    contentType,
  });
  const sent = await send(grant, bytes);
  expect(sent.status).toBe(204);
  return ok(account, 'POST', `${owner}/attachments`, { uploadId: grant.uploadId });
}

/** A space owned by bob with alice as editor; `shared` also shares it with acme (pat reads, no role). */
async function space(shared = false): Promise<string> {
  const id = `files-${++seq}`;
  await ok('bob', 'POST', '/spaces', {
    id,
    name: `Files ${seq}`,
    audience: shared ? 'members' : 'employees',
  });
  await ok('bob', 'PUT', `/spaces/${id}/members/alice`, { role: 'editor' });
  if (shared) {
    await ok('bob', 'PUT', `/spaces/${id}/sharing`, { partnerOrgs: ['acme'], version: 1 });
  }
  return id;
}

async function page(spaceId: string, body = 'Text'): Promise<string> {
  const created = await ok('alice', 'POST', `/spaces/${spaceId}/pages`, { title: `Page ${++seq}`, body });
  return `/spaces/${spaceId}/pages/${created.id}`;
}

async function post(spaceId: string): Promise<string> {
  const created = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
    title: `Post ${++seq}`,
    body: 'Forecast attached',
  });
  return `/spaces/${spaceId}/posts/${created.id}`;
}

const blobFiles = () => {
  const root = path.join(rt.dataDir, 'blobs');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
};

/** Runs `fn` with the blob store's clock moved forward (signed forms and links are judged by it). */
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const store = rt.blobs as unknown as { now: () => number };
  const real = store.now;
  store.now = () => real() + ms;
  try {
    return await fn();
  } finally {
    store.now = real;
  }
}

beforeAll(async () => {
  rt = await startTestRuntime({ attachmentLimits: { maxBytes: 32 * KiB, spaceQuotaBytes: 48 * KiB } });
  await seedDemoData(rt.table);
  // Everyone signs in once (a first sign-in makes the profile a membership needs).
  for (const account of ['alice', 'bob', 'pat', 'gus']) await ok(account, 'GET', '/me');
});
afterAll(async () => {
  await rt?.close();
});

describe('attaching and reading', () => {
  it('an image pasted into a page: uploaded to the blob origin, confirmed, listed, served inline with nosniff', async () => {
    const owner = await page(await space());
    const attachment = await attach('alice', owner, 'diagram.png', 'image/png', PNG);
    expect(attachment).toMatchObject({
      name: 'diagram.png',
      size: PNG.length,
      contentType: 'image/png',
      image: true,
    });
    expect(attachment.markdown).toBe(`![diagram.png](${attachment.path})`);

    const listed = await ok('bob', 'GET', `${owner}/attachments`);
    expect(listed.items.map((a: { id: string }) => a.id)).toEqual([attachment.id]);
    const link = new URL(listed.items[0].downloadUrl);
    // Never the app's origin.
    expect(link.origin).toBe(rt.filesOrigin);
    expect(link.origin).not.toBe(new URL(rt.url).origin);

    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toMatch(/^inline; filename="diagram.png"/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toMatch(/sandbox/);
  });

  it('a PDF attached to a post: another employee reads it; the stable link checks access every time', async () => {
    const owner = await post(await space());
    const attachment = await attach('alice', owner, 'Forecast Q3.pdf', 'application/pdf', PDF);
    const seen = await ok('bob', 'GET', `${owner}/attachments/${attachment.id}`);
    expect(seen).toMatchObject({
      name: 'Forecast Q3.pdf',
      uploadedBy: { id: 'alice', name: 'Alice Andersen' },
    });
    const download = await fetch(seen.downloadUrl);
    expect(download.headers.get('content-disposition')).toBe(
      `inline; filename="Forecast Q3.pdf"; filename*=UTF-8''Forecast%20Q3.pdf`,
    );
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
  });

  it('a read costs one BatchGetItem; a list two requests, whatever the number of files', async () => {
    const owner = await page(await space());
    const a = await attach('alice', owner, 'a.png', 'image/png', PNG);
    await attach('alice', owner, 'b.png', 'image/png', PNG);
    const before = rt.table.roundTrips;
    await ok('bob', 'GET', `${owner}/attachments/${a.id}`);
    expect(rt.table.roundTrips - before).toBe(1);
    const beforeList = rt.table.roundTrips;
    expect((await ok('bob', 'GET', `${owner}/attachments`)).items).toHaveLength(2);
    expect(rt.table.roundTrips - beforeList).toBe(2);
  });
});

describe('bad input is refused and stores nothing', () => {
  let owner: string;
  beforeAll(async () => {
    owner = await page(await space());
  });

  async function refusedUpload(body: Record<string, unknown>, status: number, field?: string) {
    await rt.drain();
    const before = rt.front.stream(rt.tableName).length;
    const response = await rt.api('alice', 'POST', `${owner}/attachments/uploads`, body);
    expectProblem(response, status);
    if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(rt.front.stream(rt.tableName).length).toBe(before);
  }

  it('too large: 413 naming the size', async () => {
    await refusedUpload(
      { name: 'big.pdf', size: 32 * KiB + 1, contentType: 'application/pdf' },
      413,
      'json.size',
    );
  });

  it.each([
    ['text/html', 'page.html'],
    ['application/x-msdownload', 'setup.exe'],
    ['image/png', 'photo.pdf'],
  ])(
    'a type that is not allowed, or a name that does not fit it (%s, %s): 400',
    async (contentType, name) => {
      await refusedUpload({ name, size: 10, contentType }, 400, 'json.contentType');
    },
  );

  it.each([
    ['../../etc/passwd.png'],
    ['dir/a.png'],
    ['a\\b.png'],
    ['bad\u0000name.png'],
    ['line\nbreak.png'],
    ['evil\u202egnp.png'],
    [' spaced.png'],
    [''],
  ])('a name with path separators or control characters (%j): 400', async (name) => {
    await refusedUpload({ name, size: 10, contentType: 'image/png' }, 400, 'json.name');
  });

  it('an HTML file renamed .png is refused at confirmation, and its bytes are deleted', async () => {
    const grant = await ok('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'innocent.png',
      size: HTML_AS_PNG.length,
      contentType: 'image/png',
    });
    expect((await send(grant, HTML_AS_PNG)).status).toBe(204);
    const refused = await rt.api('alice', 'POST', `${owner}/attachments`, { uploadId: grant.uploadId });
    expectProblem(refused, 422, 'file-type-mismatch');
    expect(refused.body.detail).toMatch(/HTML/);
    expect(blobFiles().filter((f) => f.includes(grant.uploadId))).toEqual([]);
    expect((await ok('alice', 'GET', `${owner}/attachments`)).items).toEqual([]);
    // And it cannot be confirmed again.
    expectProblem(await rt.api('alice', 'POST', `${owner}/attachments`, { uploadId: grant.uploadId }), 404);
  });

  it('an SVG with a script is kept but only ever served as a download from the blob origin', async () => {
    const attachment = await attach('alice', owner, 'logo.svg', 'image/svg+xml', SVG_WITH_SCRIPT);
    expect(attachment.image).toBe(false);
    expect(attachment.markdown).toBe(`[logo.svg](${attachment.path})`);
    const download = await fetch(attachment.downloadUrl);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(download.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(new URL(attachment.downloadUrl).origin).not.toBe(new URL(rt.url).origin);
  });

  it('the form refuses another size, another key, another type, and itself once expired', async () => {
    const grant = await ok('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'x.png',
      size: PNG.length,
      contentType: 'image/png',
    });
    const other = await ok('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'y.png',
      size: PNG.length,
      contentType: 'image/png',
    });
    expect((await send(grant, Buffer.concat([PNG, PNG]))).status).toBe(400);
    expect((await send(grant, PNG, { key: other.upload.fields.key })).status).toBe(403);
    expect((await send(grant, PNG, { 'Content-Type': 'text/html' })).status).toBe(403);
    expect((await send(grant, PNG, { policy: other.upload.fields.policy })).status).toBe(403);
    expect((await later(11 * 60_000, () => send(grant, PNG))).status).toBe(403);
    expect(blobFiles().filter((f) => f.includes(grant.uploadId) || f.includes(other.uploadId))).toEqual([]);
  });

  it('an upload asked for one page cannot be confirmed on another', async () => {
    const other = await page(owner.split('/')[2]);
    const grant = await ok('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'x.png',
      size: PNG.length,
      contentType: 'image/png',
    });
    await send(grant, PNG);
    const response = await rt.api('alice', 'POST', `${other}/attachments`, { uploadId: grant.uploadId });
    expectProblem(response, 409);
    expect(response.body.detail).toMatch(/another|not this/);
    // Nor by someone else on the right page.
    expectProblem(await rt.api('bob', 'POST', `${owner}/attachments`, { uploadId: grant.uploadId }), 403);
  });

  it('confirming before anything was sent is a 409 that changes nothing', async () => {
    const grant = await ok('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'x.png',
      size: PNG.length,
      contentType: 'image/png',
    });
    expectProblem(await rt.api('alice', 'POST', `${owner}/attachments`, { uploadId: grant.uploadId }), 409);
  });

  it('a download link stops working after it expires, for anyone', async () => {
    const attachment = await attach('alice', owner, 'later.png', 'image/png', PNG);
    expect((await fetch(attachment.downloadUrl)).status).toBe(200);
    const expired = await later(6 * 60_000, () => fetch(attachment.downloadUrl));
    expect(expired.status).toBe(403);
    // A link for one file does not open another.
    const other = await attach('alice', owner, 'other.png', 'image/png', PNG);
    const swapped = attachment.downloadUrl.replace(attachment.id, other.id);
    expect((await fetch(swapped)).status).toBe(403);
  });

  it('an upload never confirmed: its record expires by TTL and its bytes go with it', async () => {
    const grant = await ok('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'never.png',
      size: PNG.length,
      contentType: 'image/png',
    });
    await send(grant, PNG);
    expect(blobFiles().some((f) => f.includes(grant.uploadId))).toBe(true);
    await rt.front.sweepExpired(Math.floor(Date.now() / 1000) + 2 * 86_400);
    await rt.drain();
    expect(blobFiles().some((f) => f.includes(grant.uploadId))).toBe(false);
    expectProblem(await rt.api('alice', 'POST', `${owner}/attachments`, { uploadId: grant.uploadId }), 404);
  });

  it('bytes sent to an upload form after its record went are swept after a day', async () => {
    fs.mkdirSync(path.join(rt.dataDir, 'blobs/uploads/stray'), { recursive: true });
    fs.writeFileSync(path.join(rt.dataDir, 'blobs/uploads/stray/01stray'), PNG);
    expect(rt.blobs.sweepUploads(24 * 3600_000)).toBe(0);
    expect(await later(25 * 3600_000, async () => rt.blobs.sweepUploads(24 * 3600_000))).toBe(1);
  });
});

describe('who may', () => {
  it('readers read, editors attach, others and partners of another organisation get nothing, even with the link', async () => {
    const spaceId = await space(true);
    const owner = await page(spaceId);
    const attachment = await attach('alice', owner, 'plan.pdf', 'application/pdf', PDF);
    // pat (acme, the space is shared with acme) reads; gus (globex) cannot, with the stable link or the list.
    expect((await ok('pat', 'GET', `${owner}/attachments/${attachment.id}`)).name).toBe('plan.pdf');
    expectProblem(await rt.api('gus', 'GET', `${owner}/attachments/${attachment.id}`), 404);
    expectProblem(await rt.api('gus', 'GET', `${owner}/attachments`), 404);
    // pat may read but not attach; bob (owner) may attach.
    expectProblem(
      await rt.api('pat', 'POST', `${owner}/attachments/uploads`, {
        name: 'p.png',
        size: 10,
        contentType: 'image/png',
      }),
      403,
    );
    expectProblem(await rt.api('pat', 'DELETE', `${owner}/attachments/${attachment.id}`), 403);
  });

  it("a post's files: only its author attaches; a draft's files are the author's alone", async () => {
    const spaceId = await space();
    const draft = await ok('alice', 'POST', `/spaces/${spaceId}/posts`, {
      title: 'Draft',
      body: 'x',
      status: 'draft',
    });
    const owner = `/spaces/${spaceId}/posts/${draft.id}`;
    await attach('alice', owner, 'd.pdf', 'application/pdf', PDF);
    expectProblem(await rt.api('bob', 'GET', `${owner}/attachments`), 404);
    const published = await post(spaceId);
    expectProblem(
      await rt.api('bob', 'POST', `${published}/attachments/uploads`, {
        name: 'b.png',
        size: 10,
        contentType: 'image/png',
      }),
      403,
    );
  });
});

describe('limits and lifecycle', () => {
  it('the space quota counts confirmed files; one that would exceed it is refused', async () => {
    const spaceId = await space();
    const owner = await page(spaceId);
    const big = Buffer.concat([PDF, Buffer.alloc(30 * KiB, 0x20)]);
    await attach('alice', owner, 'one.pdf', 'application/pdf', big);
    const response = await rt.api('alice', 'POST', `${owner}/attachments/uploads`, {
      name: 'two.pdf',
      size: big.length,
      contentType: 'application/pdf',
    });
    expectProblem(response, 409);
    expect(response.body.detail).toMatch(/quota/);
    // Removing the first gives its bytes back.
    const [first] = (await ok('alice', 'GET', `${owner}/attachments`)).items;
    await ok('bob', 'DELETE', `${owner}/attachments/${first.id}`);
    await attach('alice', owner, 'two.pdf', 'application/pdf', big);
  });

  it('deleting a page or a post deletes its files (from the stream)', async () => {
    const spaceId = await space();
    const owner = await page(spaceId);
    const onPage = await attach('alice', owner, 'p.png', 'image/png', PNG);
    const postPath = await post(spaceId);
    const onPost = await attach('alice', postPath, 'q.pdf', 'application/pdf', PDF);
    await rt.drain();
    expect(blobFiles()).toEqual(
      expect.arrayContaining([`files/${spaceId}/${onPage.id}`, `files/${spaceId}/${onPost.id}`]),
    );
    await ok('bob', 'DELETE', owner);
    await ok('alice', 'DELETE', postPath);
    await rt.drain();
    expect(blobFiles().filter((f) => f.startsWith(`files/${spaceId}/`))).toEqual([]);
    const usage = await rt.table.get({ PK: `SPACE#${spaceId}`, SK: 'ATTACHUSAGE' });
    expect(usage).toMatchObject({ bytes: 0, count: 0 });
  });

  it('a page version keeps its file links, and restoring it brings them back', async () => {
    const spaceId = await space();
    const owner = await page(spaceId);
    const attachment = await attach('alice', owner, 'chart.png', 'image/png', PNG);
    const current = await ok('alice', 'GET', owner);
    const v2 = await ok('alice', 'PUT', owner, {
      title: current.title,
      body: `See ${attachment.markdown}`,
      version: current.version,
    });
    expect(v2.html).toContain(`data-file="${attachment.path}"`);
    expect(v2.html).not.toContain('src=');
    const v3 = await ok('alice', 'PUT', owner, {
      title: current.title,
      body: 'No picture',
      version: v2.version,
    });
    const restored = await ok('alice', 'POST', `${owner}/restore`, {
      fromVersion: v2.version,
      version: v3.version,
    });
    expect(restored.html).toContain(`data-file="${attachment.path}"`);
    expect((await ok('bob', 'GET', `${owner}/attachments/${attachment.id}`)).id).toBe(attachment.id);
  });
});

describe('profile photos', () => {
  it('set, seen by another employee and by partners, replaced (old bytes deleted), removed', async () => {
    const grant = await ok('alice', 'POST', '/me/photo/uploads', {
      size: PNG.length,
      contentType: 'image/png',
    });
    expect((await send(grant, PNG)).status).toBe(204);
    const photo = await ok('alice', 'PUT', '/me/photo', { uploadId: grant.uploadId });
    expect(new URL(photo.url).origin).toBe(rt.filesOrigin);
    const seen = await ok('bob', 'GET', '/profile-photos?ids=alice,bob,nobody');
    expect(seen.items.map((p: { userId: string }) => p.userId)).toEqual(['alice']);
    const image = await fetch(seen.items[0].url);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline/);
    await rt.drain();
    const first = blobFiles().filter((f) => f.startsWith('photos/alice/'));
    expect(first).toHaveLength(1);

    const again = await ok('alice', 'POST', '/me/photo/uploads', {
      size: PNG.length,
      contentType: 'image/png',
    });
    await send(again, PNG);
    await ok('alice', 'PUT', '/me/photo', { uploadId: again.uploadId });
    await rt.drain();
    expect(blobFiles().filter((f) => f.startsWith('photos/alice/'))).toEqual([
      `photos/alice/${again.uploadId}`,
    ]);

    await ok('alice', 'DELETE', '/me/photo');
    await rt.drain();
    expect(blobFiles().filter((f) => f.startsWith('photos/alice/'))).toEqual([]);
    expect((await ok('bob', 'GET', '/profile-photos?ids=alice')).items).toEqual([]);
  });

  it("a partner never gets another organisation's people's photos; a photo must be an image", async () => {
    const grant = await ok('pat', 'POST', '/me/photo/uploads', {
      size: PNG.length,
      contentType: 'image/png',
    });
    await send(grant, PNG);
    await ok('pat', 'PUT', '/me/photo', { uploadId: grant.uploadId });
    expect((await ok('gus', 'GET', '/profile-photos?ids=pat')).items).toEqual([]);
    expect((await ok('alice', 'GET', '/profile-photos?ids=pat')).items).toHaveLength(1);
    expectProblem(
      await rt.api('pat', 'POST', '/me/photo/uploads', { size: 10, contentType: 'image/svg+xml' }),
      400,
    );
    const html = await ok('pat', 'POST', '/me/photo/uploads', {
      size: HTML_AS_PNG.length,
      contentType: 'image/png',
    });
    await send(html, HTML_AS_PNG);
    expectProblem(await rt.api('pat', 'PUT', '/me/photo', { uploadId: html.uploadId }), 422);
  });
});

describe('search', () => {
  it('finds a page or post by the names of its files, trimmed like the page or post; a removed file is gone', async () => {
    const shared = await space(true);
    const owner = await post(shared);
    const attachment = await attach('alice', owner, 'Zephyrine-forecast.pdf', 'application/pdf', PDF);
    await rt.drain();
    const hit = (account: string) =>
      ok(account, 'GET', '/search?q=zephyrine').then((r) => r.items.map((h: { url: string }) => h.url));
    expect(await hit('bob')).toEqual([owner]);
    expect(await hit('pat')).toEqual([owner]);
    expect(await hit('gus')).toEqual([]);
    await ok('alice', 'DELETE', `${owner}/attachments/${attachment.id}`);
    await rt.drain();
    expect(await hit('bob')).toEqual([]);
  });
});
