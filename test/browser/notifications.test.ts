// Notifications in the web client, end to end over the real local runtime (API, live socket, fan-out) in
// Debian's Chromium: the bell's live unread count (a WebSocket speaking AppSync Events' protocol,
// polling as the fallback), the inbox, and the Watch / Follow / Mute buttons.
// bob watches Engineering, alice mentions him there, and his bell counts it without a reload; the
// inbox opens the post and reads the item; pat (a partner without access) gets nothing; mute and
// unwatch silence what they should. axe-core checks every new screen.

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import type { TestRuntime } from '../helpers/runtime';
import {
  browserSuite,
  expectAccessible,
  newSession,
  type Session,
  screenshot,
  settled,
  signIn,
} from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('notifications.test.ts');

describeInChromium('notifications in Chromium', () => {
  let rt: TestRuntime;
  let browser: Browser;
  let bob: Session;
  let postId = '';

  const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

  const unread = async (account: string) =>
    (await ok(account, 'GET', '/me/notifications/unread-count')).unread as number;

  /** The bell, by the name it has when nothing (or `count`) is unread. */
  const bell = (page: Page, count?: number) =>
    page.getByRole('link', {
      name: count ? `Notifications, ${count} unread` : 'Notifications',
      exact: true,
    });

  const group = (page: Page, name: string) =>
    page.getByRole('group', { name: `Notifications about ${name}`, exact: true });

  let env: BrowserRuntime;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!, {
      prepare: async (started) => {
        for (const account of ['alice', 'bob', 'pat']) await started.ok(account, 'GET', '/me');
      },
    });
    ({ rt, browser } = env);
    // Start from an inbox with nothing unread (the demo data's own events may have told someone).
    for (const account of ['bob', 'pat']) await ok(account, 'POST', '/me/notifications/read-all');
    bob = await env.signedIn('bob');
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('bob watches Engineering; alice mentions him; the live bell counts it within 2 s; the inbox opens the post and reads it', async () => {
    const { page } = bob;
    await bell(page).waitFor();
    await page.getByRole('link', { name: 'Spaces' }).click();
    await page.getByRole('link', { name: 'Engineering', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Engineering' }).waitFor();
    const engineering = group(page, 'Engineering');
    await engineering.getByRole('button', { name: 'Watch', pressed: false }).click();
    await engineering.getByRole('button', { name: 'Watch', pressed: true }).waitFor();
    await expect(
      engineering.getByRole('button', { name: 'Mute' }).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    // (Besides the posts bob wrote in the demo data: authors watch what they write.)
    expect((await ok('bob', 'GET', '/me/watches')).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'space', spaceId: 'engineering', level: 'watching' }),
      ]),
    );
    await expectAccessible(page, 'space-watching');
    await screenshot(page, 'space-watching');

    const post = await ok('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Release plan',
      body: 'Next week: @bob reviews, and @pat (no access to Engineering) is told nothing.',
    });
    postId = post.id;

    // No reload: the fan-out's inbox write reaches bob's subscription over the WebSocket (AppSync
    // Events' protocol, as in AWS) and the bell refreshes (issue 11: within 2 s of the event locally;
    // polling every 5 s would not guarantee it). The page holds a subscription on bob's channel:
    const bobId = decodeJwt(await rt.tokenFor('bob')).sub as string;
    for (let waited = 0; rt.live.connections(bobId) === 0 && waited < 10_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rt.live.connections(bobId)).toBe(1);
    const started = Date.now();
    await bell(page, 1).waitFor({ timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(page.locator('.bell-count').getAttribute('aria-hidden')).resolves.toBe('true');
    await expect(page.locator('.bell-count').textContent()).resolves.toBe('1');

    await bell(page, 1).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const item = page.getByRole('link', { name: 'Alice Andersen mentioned you in “Release plan”' });
    await item.waitFor();
    const row = page.locator('.inbox-item', { has: item });
    await expect(row.getAttribute('class')).resolves.toContain('unread');
    await expect(row.textContent()).resolves.toMatch(
      /^Unread: Alice Andersen mentioned you in “Release plan” · Engineering/,
    );
    // What I follow and watch lists Engineering.
    await page.getByRole('button', { name: 'Unwatch Engineering' }).waitFor();
    await expectAccessible(page, 'inbox');
    await screenshot(page, 'inbox');

    await item.click();
    await page.getByRole('heading', { level: 1, name: 'Release plan' }).waitFor();
    expect(page.url()).toBe(`${rt.url}/spaces/engineering/posts/${postId}`);
    await bell(page).waitFor();
    expect(await unread('bob')).toBe(0);

    // Back in the inbox the item is read, and so is everything after "Mark all read".
    await bell(page).click();
    await page.locator('.inbox-item', { has: page.getByRole('link', { name: /“Release plan”/ }) }).waitFor();
    expect(await page.locator('.inbox-item.unread').count()).toBe(0);
    await expect(page.getByRole('button', { name: 'Mark all read' }).isDisabled()).resolves.toBe(true);
    expect(bob.errors).toEqual([]);
  }, 90_000);

  test('pat, a partner without access to Engineering, gets nothing; partners watch what they can read', async () => {
    await rt.drain();
    const pats = (await ok('pat', 'GET', '/me/notifications?limit=100')).items as { postId?: string }[];
    expect(pats.filter((n) => n.postId === postId)).toEqual([]);
    expect(await unread('pat')).toBe(0);

    const pat = await newSession(browser);
    try {
      const { page } = pat;
      await signIn(page, rt.url, 'pat');
      await bell(page).waitFor();
      await bell(page).click();
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await settled(page);
      await expect(page.getByRole('link', { name: /Release plan/ }).count()).resolves.toBe(0);
      if (pats.length === 0) await page.getByText('Nothing here yet').waitFor();
      await expectAccessible(page, 'inbox-partner');
      await screenshot(page, 'inbox-partner');

      await page.goto(`${rt.url}/spaces/acme-supply-chain`);
      const acme = group(page, 'Acme supply chain');
      await acme.getByRole('button', { name: 'Watch', pressed: false }).click();
      await acme.getByRole('button', { name: 'Watch', pressed: true }).waitFor();
      expect((await ok('pat', 'GET', '/me/watches')).items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'space', spaceId: 'acme-supply-chain', level: 'watching' }),
        ]),
      );
      expect(pat.errors).toEqual([]);
    } finally {
      await pat.context.close();
    }
  }, 90_000);

  test('a muted post tells nothing, not even a mention; an unwatched space tells nothing', async () => {
    const { page } = bob;
    await page.goto(`${rt.url}/spaces/engineering/posts/${postId}`);
    const releasePlan = group(page, 'Release plan');
    await releasePlan.getByRole('button', { name: 'Mute', pressed: false }).click();
    await releasePlan.getByRole('button', { name: 'Mute', pressed: true }).waitFor();
    await expect(
      releasePlan.getByRole('button', { name: 'Watch' }).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    await expectAccessible(page, 'post-muted');

    await ok('alice', 'POST', `/spaces/engineering/posts/${postId}/comments`, {
      body: '@bob one more thing',
    });
    await rt.drain();
    expect(await unread('bob')).toBe(0);

    // Unwatch from the list on the inbox screen; the post's mute is listed too.
    await bell(page).click();
    await page.getByRole('button', { name: 'Unmute Release plan' }).waitFor();
    await page.getByRole('button', { name: 'Unwatch Engineering' }).click();
    await page.getByRole('button', { name: 'Unwatch Engineering' }).waitFor({ state: 'detached' });
    const watches = (await ok('bob', 'GET', '/me/watches')).items as { kind: string; level: string }[];
    expect(watches.filter((w) => w.kind === 'space')).toEqual([]);
    expect(watches).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'post', postId, level: 'muted' })]),
    );

    await ok('alice', 'POST', '/spaces/engineering/posts', { title: 'Quiet news', body: 'Nothing for bob.' });
    await rt.drain();
    expect(await unread('bob')).toBe(0);
    await expect(bell(page).isVisible()).resolves.toBe(true);
  }, 90_000);

  test('follow a person from their profile, a tag from its page, a wiki page from its page; stop from the list', async () => {
    const { page } = bob;
    await page.goto(`${rt.url}/people/alice`);
    const alice = group(page, 'Alice Andersen');
    await alice.getByRole('button', { name: 'Follow', pressed: false }).click();
    await alice.getByRole('button', { name: 'Follow', pressed: true }).waitFor();
    await expectAccessible(page, 'person-following');

    const news = await ok('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Followed news',
      body: 'For followers.',
    });
    await bell(page, 1).waitFor({ timeout: 15_000 });
    // Commenting watches the post: the list says so, not that bob wrote it.
    await ok('bob', 'POST', `/spaces/engineering/posts/${news.id}/comments`, { body: 'Noted.' });
    await rt.drain();

    await page.goto(`${rt.url}/tags/release`);
    const tag = group(page, '#release');
    await tag.getByRole('button', { name: 'Watch', pressed: false }).click();
    await tag.getByRole('button', { name: 'Watch', pressed: true }).waitFor();
    await expectAccessible(page, 'tag-watching');

    const wiki = await ok('alice', 'POST', '/spaces/engineering/pages', {
      title: 'Runbook',
      body: 'Steps.',
    });
    await page.goto(`${rt.url}/spaces/engineering/pages/${wiki.id}`);
    const runbook = group(page, 'Runbook');
    await runbook.getByRole('button', { name: 'Watch', pressed: false }).click();
    await runbook.getByRole('button', { name: 'Watch', pressed: true }).waitFor();
    await expectAccessible(page, 'wiki-page-watching');

    await page.getByRole('link', { name: /^Notifications/ }).click();
    await page.getByRole('link', { name: 'Alice Andersen posted “Followed news”' }).waitFor();
    await page.getByRole('button', { name: 'Unwatch #release' }).waitFor();
    await page.getByRole('button', { name: 'Unwatch Runbook' }).waitFor();
    const watched = page.getByRole('list', { name: 'What you watch or muted' });
    await expect(
      watched.getByRole('listitem').filter({ hasText: 'Followed news' }).innerText(),
    ).resolves.toMatch(/^Post: Followed news \(you commented\)/);
    await page.getByRole('button', { name: 'Unfollow Alice Andersen' }).click();
    await page.getByText('You follow nobody yet.').waitFor();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await bell(page).waitFor();
    expect(await unread('bob')).toBe(0);
    expect((await ok('bob', 'GET', '/me/follows')).items).toEqual([]);
    await expectAccessible(page, 'inbox-subscriptions');
    await screenshot(page, 'inbox-subscriptions');
    expect(bob.errors).toEqual([]);
  }, 90_000);

  test('the inbox is newest first and pages with "Show more"', async () => {
    const { page } = bob;
    await ok('alice', 'POST', '/spaces', {
      id: 'release-train',
      name: 'Release train',
      audience: 'employees',
    });
    await ok('bob', 'PUT', '/me/watches/spaces/release-train', { level: 'watching' });
    for (let i = 1; i <= 21; i++)
      await ok('alice', 'POST', '/spaces/release-train/posts', { title: `Train ${i}`, body: `Car ${i}.` });
    await rt.drain();
    await page.goto(`${rt.url}/notifications`);
    await bell(page, 21).waitFor();
    const links = page.locator('.inbox .inbox-link');
    await links.first().waitFor();
    expect(await links.count()).toBe(20);
    await expect(links.first().textContent()).resolves.toBe('Alice Andersen posted “Train 21”');
    await page.getByRole('button', { name: 'Show more' }).click();
    await page.getByRole('link', { name: 'Alice Andersen posted “Train 1”' }).waitFor();
    expect(await links.count()).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await bell(page).waitFor();
    await page.locator('.inbox-item.unread').first().waitFor({ state: 'detached', timeout: 5_000 });
    expect(await page.locator('.inbox-item.unread').count()).toBe(0);
    expect(bob.errors).toEqual([]);
  }, 90_000);
  test('the editor says who will be notified as @mentions are typed, and a minor edit notifies nobody', async () => {
    const alice = await newSession(browser);
    const { page } = alice;
    await signIn(page, rt.url, 'alice');
    await ok('bob', 'PUT', '/me/watches/spaces/engineering', { level: 'watching' });
    await page.goto(`${rt.url}/spaces/engineering/new`);
    await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
    await page.getByLabel('Title').fill('Who hears of this');
    const body = page.getByLabel('Body', { exact: true });
    await body.fill('Thanks @bob');
    const line = page.locator('.audience-preview');
    await line
      .getByText(/Will notify: @bob — mentioned; \d+ watchers? of Engineering/)
      .waitFor({ timeout: 15_000 });
    // Typing another mention updates it (debounced): pat is a partner without access, so not told.
    await body.fill('Thanks @bob and @pat');
    await line.locator('summary').click();
    await line.getByText(/@pat\) — mentioned, but cannot read it: not told/).waitFor({ timeout: 15_000 });
    await expect(
      line.getByRole('listitem').filter({ hasText: 'Bob Baker (@bob) — mentioned' }).count(),
    ).resolves.toBe(1);
    await expectAccessible(page, 'editor-audience-preview');
    await screenshot(page, 'editor-audience-preview');

    const wiki = await ok('alice', 'POST', '/spaces/engineering/pages', {
      title: `Preview page ${Date.now()}`,
      body: 'x',
    });
    await rt.drain();
    await ok('bob', 'PUT', `/me/watches/spaces/engineering/pages/${wiki.id}`, {});
    await page.goto(`${rt.url}/spaces/engineering/pages/${wiki.id}/edit`);
    await page.getByLabel('Text', { exact: true }).fill('y');
    await line.getByText(/Will notify: 1 watcher of this page/).waitFor({ timeout: 15_000 });
    await page.getByLabel('Minor edit — notify nobody').check();
    await line.getByText('Will notify: nobody (a minor edit)').waitFor({ timeout: 15_000 });
    await expectAccessible(page, 'page-editor-minor-edit');
    await page.getByRole('button', { name: 'Save page' }).click();
    await page.getByRole('heading', { level: 1, name: wiki.title }).waitFor();
    await rt.drain();
    const bobs = (await ok('bob', 'GET', '/me/notifications?limit=100')).items as { pageId?: string }[];
    expect(bobs.filter((n) => n.pageId === wiki.id)).toEqual([]);
    expect(alice.errors).toEqual([]);
    await alice.context.close();
  }, 120_000);
});
