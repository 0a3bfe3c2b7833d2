// Bookmarks in the web client, end to end over the real local runtime in Debian's Chromium: alice saves
// a link through the dialog and finds it in her list; bob saves the same link spelled differently and
// it says "saved by 2 people"; a click in the tag cloud filters; a small Netscape file imports with a
// summary; the export downloads; the bookmarklet's /save page knows the link is saved. axe-core checks
// every view.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { TestRuntime } from '../helpers/runtime';
import { browserSuite, expectAccessible, type Session, screenshot, settled } from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('bookmarks.test.ts');

describeInChromium('bookmarks in Chromium', () => {
  let rt: TestRuntime;
  let alice: Session;

  const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

  const list = (page: Page) => page.locator('ul.bookmarks');
  const item = (page: Page, title: string) =>
    page.locator('li.bookmark', { has: page.getByRole('link', { name: new RegExp(`^${title}`) }) });

  let env: BrowserRuntime;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!, {
      prepare: async (started) => {
        for (const account of ['alice', 'bob']) await started.ok(account, 'GET', '/me');
      },
    });
    rt = env.rt;
    alice = await env.signedIn('alice', { acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('alice saves a link through the dialog and sees it in her list; bob saves it differently spelled: saved by 2 people', async () => {
    const { page } = alice;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookmarks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bookmarks' }).waitFor();
    await settled(page);
    await expectAccessible(page, 'bookmarks-mine');

    await page.getByRole('button', { name: 'Save a link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save a link' });
    await dialog.waitFor();
    // A bad address is refused under its field, as in the other forms.
    await dialog.getByLabel('Address (URL)').fill('ftp://files.example/x');
    await dialog.getByRole('button', { name: 'Save link' }).click();
    await dialog.locator('.field-error').first().waitFor();
    await expect(dialog.getByLabel('Address (URL)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'bookmarks-save-dialog-error');

    await dialog.getByLabel('Address (URL)').fill('https://Docs.Example.com/guide/?b=2&a=1&utm_source=news');
    await dialog.getByLabel('Title').fill('The <b>guide</b>');
    await dialog.getByLabel('Description').fill('Everything about the guide.');
    await dialog.getByLabel('Tags').fill('guides, architecture');
    await dialog.getByLabel('All employees').check();
    await screenshot(page, 'bookmarks-save-dialog');
    await dialog.getByRole('button', { name: 'Save link' }).click();
    await dialog.waitFor({ state: 'detached' });

    const saved = item(page, 'The <b>guide</b>');
    await saved.waitFor();
    // Plain text, never HTML.
    expect(await saved.locator('b').count()).toBe(0);
    await expect(saved.textContent()).resolves.toContain('docs.example.com');
    await saved.getByText('Saved for everyone by 1 person').waitFor();
    await saved.getByRole('button', { name: 'Who saved this?' }).click();
    await saved.getByText('Saved by 1 person: you').waitFor();

    await ok('bob', 'POST', '/me/bookmarks', {
      url: 'HTTPS://docs.example.com:443/guide?a=1&b=2&fbclid=xyz',
      tags: ['docs'],
      visibility: 'employees',
    });
    // Tag counts and the popular list are derived from the stream.
    await rt.drain();
    // The list carries the count; who saved it is asked for only when opened (no request per link).
    const lookups: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/bookmarks/lookup')) lookups.push(request.url());
    });
    await page.reload();
    const guide = item(page, 'The <b>guide</b>');
    await guide.getByText('Saved for everyone by 2 people').waitFor();
    await settled(page);
    expect(lookups).toEqual([]);
    await guide.getByRole('button', { name: 'Who saved this?' }).click();
    await guide.getByText('Saved by 2 people: you, Bob').waitFor();
    expect(lookups).toHaveLength(1);
    await expectAccessible(page, 'bookmarks-saved-by-two');
    await screenshot(page, 'bookmarks-mine');

    // Favourite toggle, then the favourites view.
    await item(page, 'The <b>guide</b>')
      .getByRole('button', { name: /^☆? ?Favourite/ })
      .click();
    await item(page, 'The <b>guide</b>')
      .getByRole('button', { name: /Favourite/, pressed: true })
      .waitFor();
    await page
      .getByRole('navigation', { name: 'Bookmark lists' })
      .getByRole('link', { name: 'Favourites' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Favourites' }).waitFor();
    await item(page, 'The <b>guide</b>').waitFor();
    await settled(page);
    await expectAccessible(page, 'bookmarks-favourites');

    for (const name of ['Everyone’s recent', 'Popular']) {
      await page.getByRole('navigation', { name: 'Bookmark lists' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 2, name }).waitFor();
      await list(page).waitFor();
      await settled(page);
      await expectAccessible(page, `bookmarks-${name}`);
    }
    await page.getByRole('heading', { level: 2, name: 'Popular' }).waitFor();
    // Popular shows the link under the newest save's title (bob gave none) with the count of saves.
    const popular = page.locator('li.bookmark', { hasText: 'docs.example.com' });
    await popular.getByText('2 saves in 30 days').waitFor();
    await popular.getByRole('button', { name: 'Who saved this?' }).click();
    await popular.getByText('Saved by 2 people: you, Bob').waitFor();
    expect(alice.errors).toEqual([]);
  }, 120_000);

  test('a click in the tag cloud filters my list', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/bookmarks`);
    await list(page).waitFor();
    const cloud = page.locator('ul.tag-cloud').first();
    await expect(cloud.getAttribute('aria-label')).resolves.toMatch(/^My tags/);
    await cloud.getByRole('link', { name: /guides/ }).click();
    await page.getByRole('heading', { level: 2, name: 'My links tagged #guides' }).waitFor();
    await settled(page);
    await expect(list(page).locator('li.bookmark').count()).resolves.toBe(1);
    await item(page, 'The <b>guide</b>').waitFor();
    await expect(cloud.getByRole('link', { name: /guides/ }).getAttribute('aria-current')).resolves.toBe(
      'true',
    );
    await expectAccessible(page, 'bookmarks-tag-filter');
  }, 60_000);

  test('importing a small Netscape file shows what was imported and refused; the export downloads', async () => {
    const { page } = alice;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookmarks-'));
    const file = path.join(dir, 'bookmarks.html');
    fs.writeFileSync(
      file,
      [
        '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
        '<TITLE>Bookmarks</TITLE>',
        '<DL><p>',
        '<DT><A HREF="https://import.example/one" ADD_DATE="1600000000" TAGS="imported">One</A>',
        '<DT><A HREF="https://import.example/two?utm_campaign=x" TAGS="imported">Two</A>',
        '<DT><A HREF="https://import.example/two">Two again</A>',
        '<DT><A HREF="https://docs.example.com/guide/?a=1&b=2">Guide</A>',
        '<DT><A HREF="javascript:alert(1)">Bad</A>',
        '</DL><p>',
      ].join('\n'),
    );
    await page.goto(`${rt.url}/bookmarks`);
    await list(page).waitFor();
    // The import is a job: the file goes to the blob store (never through the API), then it is polled.
    const requests: string[] = [];
    const record = (request: { method(): string; url(): string }) =>
      requests.push(`${request.method()} ${request.url()}`);
    page.on('request', record);
    await page.getByLabel('Bookmark file to import').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.locator('.import-summary');
    await summary.getByText(/^Import done/).waitFor();
    page.off('request', record);
    expect(requests).toContain(`POST ${rt.url}/api/me/bookmarks/imports/uploads`);
    expect(requests).toContain(`POST ${rt.filesOrigin}/upload`);
    expect(requests).toContain(`POST ${rt.url}/api/me/bookmarks/imports`);
    expect(requests.some((r) => r.startsWith(`GET ${rt.url}/api/me/bookmarks/imports/`))).toBe(true);
    await expect(summary.textContent()).resolves.toMatch(
      /2 imported, 1 already saved, 1 duplicate in the file, 1 refused/,
    );
    await summary.getByText(/^Line 8: javascript:alert\(1\)/).waitFor();
    await item(page, 'One').waitFor();
    await expectAccessible(page, 'bookmarks-import-summary');
    await screenshot(page, 'bookmarks-import');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export my bookmarks' }).click();
    const file2 = await download;
    expect(file2.suggestedFilename()).toBe('bookmarks.html');
    const text = fs.readFileSync((await file2.path())!, 'utf8');
    expect(text).toContain('NETSCAPE-Bookmark-file-1');
    expect(text).toContain('https://import.example/one');
    await page.getByRole('link', { name: 'Download bookmarks.html' }).waitFor();
    // The bookmarklet: a javascript: link to this site's /save page, set on purpose outside React.
    const href = await page.getByRole('link', { name: 'Save to Commonplace' }).getAttribute('href');
    expect(href).toMatch(/^javascript:/);
    expect(href).toContain(`${rt.url}/save?url=`);
  }, 90_000);

  test('the bookmarklet’s /save page is prefilled and says the link is saved already', async () => {
    const { page } = alice;
    const url = 'https://docs.example.com/guide?utm_source=bar&a=1&b=2';
    await page.goto(`${rt.url}/save?url=${encodeURIComponent(url)}&title=${encodeURIComponent('A guide')}`);
    await page.getByRole('heading', { level: 1, name: 'Save a link' }).waitFor();
    await page.getByText(/You already saved this link/).waitFor();
    await page.getByText('Also saved by 1 other person: Bob').waitFor();
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('The <b>guide</b>');
    await expectAccessible(page, 'bookmarks-save-page-saved');

    const fresh = 'https://new.example/article';
    await page.goto(
      `${rt.url}/save?url=${encodeURIComponent(fresh)}&title=${encodeURIComponent('New article')}`,
    );
    await page.getByText('No one else has saved this link yet.').waitFor();
    await expect(page.getByLabel('Address (URL)').inputValue()).resolves.toBe(fresh);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('New article');
    await expectAccessible(page, 'bookmarks-save-page-new');
    await page.getByRole('button', { name: 'Save link' }).click();
    await page.getByText('Saved “New article”.').waitFor();
    expect(alice.errors).toEqual([]);
  }, 60_000);

  test('a partner is offered only what partners may do: no employees-only lists, cloud or visibility', async () => {
    const pat = await env.signedIn('pat');
    try {
      const { page } = pat;
      const refused: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${rt.url}/bookmarks`);
      await page.getByRole('heading', { level: 1, name: 'Bookmarks' }).waitFor();
      await settled(page);
      const tabs = page.getByRole('navigation', { name: 'Bookmark lists' }).getByRole('link');
      await expect(tabs.allInnerTexts()).resolves.toEqual(['Mine', 'Favourites']);
      expect(await page.getByText('The company’s tags').count()).toBe(0);
      const importTo = page.getByLabel('Who can see the imported links').locator('option');
      await expect(importTo.allInnerTexts()).resolves.toEqual(['Only me']);
      await page.getByRole('button', { name: 'Save a link' }).click();
      const dialog = page.getByRole('dialog', { name: 'Save a link' });
      await dialog.waitFor();
      expect(await dialog.getByLabel('All employees').count()).toBe(0);
      await dialog.getByLabel('The readers of a space').waitFor();
      await expectAccessible(page, 'bookmarks-partner');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      // An employees' list typed into the address bar shows the partner's own links instead.
      await page.goto(`${rt.url}/bookmarks?view=recent`);
      await page.getByRole('heading', { level: 2, name: 'Mine' }).waitFor();
      await settled(page);
      expect(refused).toEqual([]);
      expect(pat.errors).toEqual([]);
    } finally {
      await pat.context.close();
    }
  }, 60_000);
});
