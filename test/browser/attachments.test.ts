// Files in the web client over the real local runtime in Debian's Chromium (issue 17): alice pastes an
// image into a wiki page, attaches a PDF to a post with the Attach button (a progress bar, then the
// list) and sets a profile photo (cropped square); bob, another employee, sees all three; gus, a
// partner of another organisation, gets "not found" even with the file's link. An HTML file named .png
// is refused, and an SVG with a script is only ever a download from the blob origin: no script runs in
// the app's origin (no dialog ever opens).

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { TestRuntime } from '../helpers/runtime';
import { browserSuite, type Session, screenshot } from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('attachments.test.ts');

/** A real 1×1 PNG (the photo is decoded and cropped in the browser). */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');

describeInChromium('files in Chromium', () => {
  let env: BrowserRuntime;
  let rt: TestRuntime;
  let alice: Session;
  let bob: Session;
  let gus: Session;
  const spaceId = 'files-browser';
  let pageId: string;
  let postId: string;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!, {
      runtime: { digestIntervalMs: 0 },
      prepare: async (rt) => {
        for (const account of ['alice', 'bob', 'gus']) await rt.api(account, 'GET', '/me');
        await rt.api('bob', 'POST', '/spaces', { id: spaceId, name: 'Files browser', audience: 'employees' });
        await rt.api('bob', 'PUT', `/spaces/${spaceId}/members/alice`, { role: 'editor' });
        pageId = (
          await rt.api('alice', 'POST', `/spaces/${spaceId}/pages`, { title: 'Runbook', body: 'Steps.' })
        ).body.id;
        postId = (
          await rt.api('alice', 'POST', `/spaces/${spaceId}/posts`, {
            title: 'Forecast',
            body: 'Forecast attached.',
          })
        ).body.id;
      },
    });
    rt = env.rt;
    alice = await env.signedIn('alice');
    bob = await env.signedIn('bob');
    gus = await env.signedIn('gus');
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('alice pastes an image into a page; bob sees it, loaded lazily from the blob origin', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/${spaceId}/pages/${pageId}/edit`);
    const text = page.getByRole('textbox', { name: 'Text' });
    await text.waitFor();
    await text.click();
    await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      const area = document.querySelector('textarea.editor-body') as HTMLTextAreaElement;
      area.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, PNG_BASE64);
    await page.waitForFunction(() =>
      /!\[screenshot\.png\]\(\/files\//.test(
        (document.querySelector('textarea.editor-body') as HTMLTextAreaElement).value,
      ),
    );
    await page.getByRole('button', { name: /Save/ }).first().click();
    await page.waitForURL(new RegExp(`/pages/${pageId}$`));

    await bob.page.goto(`${rt.url}/spaces/${spaceId}/pages/${pageId}`);
    const image = bob.page.locator('.post-body img[data-file]');
    await image.waitFor();
    await bob.page.waitForFunction(() => {
      const img = document.querySelector('.post-body img[data-file]') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const src = await image.getAttribute('src');
    expect(new URL(src!).origin).toBe(rt.filesOrigin);
    await expect(image.getAttribute('loading')).resolves.toBe('lazy');
    await bob.page.getByTestId('attachments').getByRole('link', { name: 'screenshot.png' }).waitFor();
    await screenshot(bob.page, 'attachments-page-image');
  }, 90_000);

  test('alice attaches a PDF to a post with the button; bob sees it in the files list and opens it', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/${spaceId}/posts/${postId}`);
    await page.getByRole('button', { name: 'Attach files' }).waitFor();
    await page.getByTestId('attachments').locator('input[type=file]').setInputFiles({
      name: 'Forecast Q3.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.getByTestId('attachments').getByRole('link', { name: 'Forecast Q3.pdf' }).waitFor();

    await bob.page.goto(`${rt.url}/spaces/${spaceId}/posts/${postId}`);
    const link = bob.page.getByTestId('attachments').getByRole('link', { name: 'Forecast Q3.pdf' });
    await link.waitFor();
    await bob.page
      .getByTestId('attachments')
      .getByText(/Alice Andersen/)
      .waitFor();
    const href = await link.getAttribute('href');
    expect(new URL(href!).origin).toBe(rt.filesOrigin);
    const download = await fetch(href!);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
  }, 60_000);

  test('alice sets a profile photo; bob sees it on her profile and she in her menu', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/people/alice`);
    await page.getByTestId('photo-input').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: Buffer.from(PNG_BASE64, 'base64'),
    });
    await page.locator('.profile-header [data-testid=avatar-photo]').waitFor();
    await bob.page.goto(`${rt.url}/people/alice`);
    const photo = bob.page.locator('.profile-header [data-testid=avatar-photo]');
    await photo.waitFor();
    expect(new URL((await photo.getAttribute('src'))!).origin).toBe(rt.filesOrigin);
  }, 60_000);

  test('gus, a partner of another organisation, gets nothing even with the link', async () => {
    const files = await rt.api('bob', 'GET', `/spaces/${spaceId}/posts/${postId}/attachments`);
    const [pdf] = files.body.items;
    await gus.page.goto(`${rt.url}${pdf.path}`);
    await gus.page
      .getByText(/not found|does not exist/i)
      .first()
      .waitFor();
    expect(gus.page.url()).toContain(new URL(rt.url).host);
  }, 60_000);

  test('an HTML file named .png is refused; an SVG with a script never runs in the app', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/${spaceId}/posts/${postId}`);
    const input = page.getByTestId('attachments').locator('input[type=file]');
    await input.setInputFiles({
      name: 'innocent.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<html><body><script>alert("html")</script></body></html>'),
    });
    await page
      .getByRole('alert')
      .getByText(/content is HTML/)
      .waitFor();
    await input.setInputFiles({
      name: 'logo.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script><circle r="4"/></svg>',
      ),
    });
    await page.getByTestId('attachments').getByRole('link', { name: 'logo.svg' }).waitFor();
    const files = (await rt.api('bob', 'GET', `/spaces/${spaceId}/posts/${postId}/attachments`)).body.items;
    expect(files.map((f: { name: string }) => f.name).sort()).toEqual(['Forecast Q3.pdf', 'logo.svg']);
    const svg = files.find((f: { name: string }) => f.name === 'logo.svg');
    expect(new URL(svg.downloadUrl).origin).not.toBe(new URL(rt.url).origin);
    const served = await fetch(svg.downloadUrl);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('content-security-policy')).toMatch(/sandbox/);
    // Bob opens the SVG from the post: it is a download on another origin; nothing runs here.
    await bob.page.goto(`${rt.url}/spaces/${spaceId}/posts/${postId}`);
    await bob.page.getByTestId('attachments').getByRole('link', { name: 'logo.svg' }).waitFor();
    await bob.page.waitForTimeout(300);
    for (const session of [alice, bob, gus]) {
      expect(session.dialogs).toEqual([]);
      expect(session.errors).toEqual([]);
    }
  }, 60_000);
});
