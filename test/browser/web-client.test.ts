// The web client end to end: the built app served by the real local runtime (API, identity provider,
// stream) and driven in Debian's Chromium. People sign in through the local provider's page like
// anyone would; axe-core checks every screen; screenshots go to test-artifacts/screenshots/.

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
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

const { chromiumPath, describeInChromium } = browserSuite('web-client.test.ts');

const HOSTILE_BODY = [
  '# Inert by design',
  '',
  'An image that tries to run code: <img src=x onerror=alert(1)>',
  '',
  '[a javascript: link](javascript:alert(1)) and <a href="javascript:alert(2)" onclick="alert(3)">a raw one</a>',
  '',
  '<script>alert(4)</script>',
  '',
  '<svg onload=alert(5)></svg><iframe src="javascript:alert(6)"></iframe>',
  '',
  'Plain **Markdown** still works, thanks @bob #security',
].join('\n');

const TITLE = 'Hostile payload, rendered inert';

describeInChromium('web client in Chromium', () => {
  let env: BrowserRuntime;
  let rt: TestRuntime;
  let browser: Browser;
  let alice: Session;
  let postUrl = '';

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!);
    ({ rt, browser } = env);
    alice = await newSession(browser);
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  /** Nothing in the page may carry an inline event handler, a script from content, or a javascript: URL. */
  async function expectInert(page: Page, selector: string) {
    const found = await page.evaluate((sel) => {
      const root = document.querySelector(sel);
      if (!root) return { missing: true };
      const all = Array.from(root.querySelectorAll('*'));
      return {
        missing: false,
        scripts: root.querySelectorAll('script, iframe, svg, object, embed').length,
        handlers: all
          .filter((el) => Array.from(el.attributes).some((a) => a.name.toLowerCase().startsWith('on')))
          .map((el) => el.outerHTML),
        jsUrls: all
          .filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? ''))
          .map((el) => el.outerHTML),
      };
    }, selector);
    expect(found).toEqual({ missing: false, scripts: 0, handlers: [], jsUrls: [] });
  }

  test('the welcome screen, then alice signs in through the local provider and sees her feed', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'welcome');
    await screenshot(page, 'welcome');

    await signIn(page, rt.url, 'alice');
    await expect(
      page.getByRole('button', { name: /Account menu: Alice Andersen/ }).isVisible(),
    ).resolves.toBe(true);
    await page.getByRole('link', { name: 'Why we moved our builds to arm64' }).waitFor();
    // Partner authors are marked as external in the feed.
    await page
      .locator('.post-card', { hasText: 'Globex pilot kick-off' })
      .getByText('External · globex')
      .waitFor();
    await expectAccessible(page, 'home');
    await screenshot(page, 'home');
  }, 60_000);

  test('spaces: my spaces, the directory, join and leave, a blog, members and sharing', async () => {
    const { page } = alice;
    expect(
      (await rt.api('admin', 'POST', '/spaces', { id: 'design', name: 'Design', audience: 'employees' }))
        .status,
    ).toBe(201);
    expect(
      (
        await rt.api('alice', 'POST', '/spaces', {
          id: 'vendor-review',
          name: 'Vendor review',
          audience: 'members',
        })
      ).status,
    ).toBe(201);

    await page.getByRole('link', { name: 'Spaces' }).click();
    await page.getByRole('link', { name: 'Globex pilot', exact: true }).waitFor();
    await expectAccessible(page, 'spaces-mine');
    await screenshot(page, 'spaces');

    await page.getByRole('button', { name: 'New space' }).click();
    await page.getByRole('form', { name: 'New space' }).waitFor();
    await expectAccessible(page, 'spaces-new-space-form');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'Directory' }).click();
    const join = page.getByRole('button', { name: 'Join Design' });
    await join.click();
    await page.getByRole('button', { name: 'Leave Design' }).waitFor();
    await expectAccessible(page, 'spaces-directory');
    await page.getByRole('button', { name: 'Leave Design' }).click();
    await join.waitFor();

    await page.goto(`${rt.url}/spaces/engineering`);
    await page.getByRole('heading', { level: 1, name: 'Engineering' }).waitFor();
    await page.getByRole('link', { name: 'Incident review: the Tuesday search outage' }).waitFor();
    await expectAccessible(page, 'space-blog');
    await screenshot(page, 'space-blog');

    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('combobox', { name: 'Role of Bob Baker' }).waitFor();
    await expectAccessible(page, 'space-members');

    // Sharing with a partner organisation, as the owner.
    await page.goto(`${rt.url}/spaces/vendor-review/sharing`);
    await page.getByRole('checkbox', { name: /Acme Supplies/ }).check();
    await page.getByRole('button', { name: 'Save sharing' }).click();
    await page.getByText('Sharing saved.').waitFor();
    await page.locator('.page-header').getByText('External · acme').waitFor();
    await expectAccessible(page, 'space-sharing');
    await screenshot(page, 'space-sharing');
    expect((await rt.api('alice', 'GET', '/spaces/vendor-review')).body).toMatchObject({
      partnerOrgs: ['acme'],
      audience: 'partners',
    });
  }, 60_000);

  test('alice writes a post with hostile Markdown: the preview and the post are inert and match', async () => {
    const { page, dialogs } = alice;
    await page.goto(`${rt.url}/spaces/engineering`);
    await page.getByRole('link', { name: 'Write a post' }).click();
    await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Body', { exact: true }).fill(HOSTILE_BODY);
    await page.getByTestId('preview').getByRole('heading', { name: 'Inert by design' }).waitFor();
    await expectInert(page, '[data-testid="preview"]');
    const previewHtml = await page.getByTestId('preview').innerHTML();
    await expectAccessible(page, 'editor');
    await screenshot(page, 'editor');

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    postUrl = new URL(page.url()).pathname;
    expect(postUrl).toMatch(/^\/spaces\/engineering\/posts\/[\w-]+$/);
    await expectInert(page, '.post-body');
    await page.locator('.post-body a.mention', { hasText: '@bob' }).waitFor();
    // The preview ran the server's own renderer: what was previewed is what was stored.
    expect(await page.locator('.post-body').innerHTML()).toBe(previewHtml);
    await page.waitForTimeout(300); // give a broken sanitizer's onerror a chance to fire
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('#main script').length)).toBe(0);
    await expectAccessible(page, 'post');
  }, 60_000);

  test('likes, comments and replies on the post', async () => {
    const { page, dialogs } = alice;
    await page.getByRole('button', { name: /^Like/, pressed: false }).click();
    await page.getByRole('button', { name: 'Like · 1 like', pressed: true }).waitFor();

    await page.getByLabel('Add a comment').fill('Checked it: nothing runs. <img src=x onerror=alert(7)>');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByRole('article', { name: 'Comment by Alice Andersen' }).waitFor();
    await page.getByRole('button', { name: 'Reply to Alice Andersen' }).click();
    await page.getByLabel('Reply to Alice Andersen').fill('And the reply stays threaded.');
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    await page
      .getByRole('list', { name: 'Replies to Alice Andersen' })
      .getByText('And the reply stays threaded.')
      .waitFor();
    await expectInert(page, '.comments');

    await page.reload();
    await page.getByRole('button', { name: 'Like · 1 like', pressed: true }).waitFor();
    await page.getByText('And the reply stays threaded.').waitFor();
    await expect(page.getByRole('heading', { name: /Comments/ }).textContent()).resolves.toContain('(2)');
    expect(dialogs).toEqual([]);
    await expectAccessible(page, 'post-with-comments');
    await screenshot(page, 'post');
  }, 60_000);

  test('a second tab editing the same post gets the conflict message and keeps its text', async () => {
    const first = alice.page;
    const second = await alice.context.newPage();
    await first.goto(`${rt.url}${postUrl}/edit`);
    await second.goto(`${rt.url}${postUrl}/edit`);
    for (const page of [first, second])
      await page.getByRole('heading', { level: 1, name: 'Edit post' }).waitFor();

    const body = (page: Page) => page.getByLabel('Body', { exact: true });
    await body(first).fill(`${HOSTILE_BODY}\n\nEdited in the first tab.`);
    await first.getByRole('button', { name: 'Update post' }).click();
    await first.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await first.getByText('Edited in the first tab.').waitFor();

    const mine = `${HOSTILE_BODY}\n\nMy precious edit from the second tab.`;
    await body(second).fill(mine);
    await second.getByRole('button', { name: 'Update post' }).click();
    const alert = second.getByRole('alert').filter({ hasText: 'Someone else changed this post' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('not saved');
    await expect(body(second).inputValue()).resolves.toBe(mine);
    // ...and it is also kept on this device, should the tab close.
    const stored = await second.evaluate(() =>
      Object.entries(localStorage)
        .filter(([key]) => key.startsWith('commonplace:unsaved:post:'))
        .map(([, value]) => value),
    );
    expect(stored.some((value) => value.includes('My precious edit'))).toBe(true);
    await expectAccessible(second, 'edit-conflict');
    await screenshot(second, 'edit-conflict');

    // Loading the latest version shows the other tab's text, and still shows mine beside it.
    await second.getByRole('button', { name: 'Load the latest version' }).click();
    await expect(second.getByLabel('Your version of the body').inputValue()).resolves.toBe(mine);
    await expect(body(second).inputValue()).resolves.toContain('Edited in the first tab.');
    await second.getByRole('button', { name: 'Put my text back in the editor' }).click();
    await second.getByRole('button', { name: 'Update post' }).click();
    await second.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await second.getByText('My precious edit from the second tab.').waitFor();
    await second.close();
  }, 60_000);

  test('the wiki: a page, a [[link]] to a page created from it, backlinks, history with a diff, restore, and a conflict', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/engineering/pages`);
    await page.getByText('No wiki pages yet').waitFor();
    await page.getByRole('link', { name: 'New page' }).click();
    await page.getByRole('heading', { level: 1, name: 'New page' }).waitFor();
    await page.getByLabel('Title').fill('Team Handbook');
    await page.getByLabel('Text', { exact: true }).fill('Start here. See [[Release Process]].');
    await page.getByTestId('preview').locator('a.page', { hasText: 'Release Process' }).waitFor();
    await expectAccessible(page, 'wiki-editor');
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Team Handbook' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/spaces/engineering/pages/team-handbook');
    await expectAccessible(page, 'wiki-page');
    await screenshot(page, 'wiki-page');

    // The link leads to a page that does not exist yet, which offers to create it under that id.
    await page.locator('.post-body a.page', { hasText: 'Release Process' }).click();
    await page.getByRole('heading', { name: 'This page does not exist yet' }).waitFor();
    await page.getByRole('link', { name: 'Create it' }).click();
    await page.getByLabel('Title').fill('Release Process');
    await page.getByLabel('Text', { exact: true }).fill('Ship on Tuesdays.');
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Release Process' }).waitFor();
    await page
      .getByRole('region', { name: 'Pages that link here' })
      .getByRole('link', { name: 'Team Handbook' })
      .waitFor();

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit page' }).waitFor();
    await page.getByLabel('Text', { exact: true }).fill('Ship on Thursdays.');
    await page.getByLabel('What did you change? (optional)').fill('Moved the day');
    // The place in the tree is found by the start of a title, not picked from every page of the space.
    await page.getByLabel('Find a page to place it below').fill('team h');
    await page.getByRole('button', { name: 'Place below Team Handbook' }).click();
    await page.getByText('Now below Team Handbook').waitFor();
    await page.getByRole('button', { name: 'Save page' }).click();
    await page.locator('.post-body', { hasText: 'Ship on Thursdays.' }).waitFor();

    await page.getByRole('link', { name: 'History' }).click();
    await page.getByText('Moved the day').waitFor();
    await page.getByRole('button', { name: 'Version 1' }).click();
    const diff = page.getByLabel('Changes, line by line');
    await diff.locator('del', { hasText: 'Ship on Tuesdays.' }).waitFor();
    await diff.locator('ins', { hasText: 'Ship on Thursdays.' }).waitFor();
    await expectAccessible(page, 'wiki-history');
    await screenshot(page, 'wiki-history');
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 1 is now the current version (3)' }).waitFor();
    await page.getByRole('link', { name: 'Back to the page' }).click();
    await page.locator('.post-body', { hasText: 'Ship on Tuesdays.' }).waitFor();

    // Two tabs edit the page: the second save is refused and keeps its text, with the latest beside it.
    const second = await alice.context.newPage();
    await page.goto(`${rt.url}/spaces/engineering/pages/release-process/edit`);
    await second.goto(`${rt.url}/spaces/engineering/pages/release-process/edit`);
    for (const tab of [page, second])
      await tab.getByRole('heading', { level: 1, name: 'Edit page' }).waitFor();
    await page.getByLabel('Text', { exact: true }).fill('Ship on Mondays.');
    await page.getByRole('button', { name: 'Save page' }).click();
    await page.locator('.post-body', { hasText: 'Ship on Mondays.' }).waitFor();
    await second.getByLabel('Text', { exact: true }).fill('Ship on Fridays, says the second tab.');
    await second.getByRole('button', { name: 'Save page' }).click();
    await second.getByRole('alert').filter({ hasText: 'Someone else changed this page' }).waitFor();
    await expect(second.getByLabel('Text', { exact: true }).inputValue()).resolves.toBe(
      'Ship on Fridays, says the second tab.',
    );
    await second.getByRole('button', { name: 'Show the latest version' }).click();
    await expect(second.getByLabel('Its text').inputValue()).resolves.toBe('Ship on Mondays.');
    await second.getByRole('button', { name: 'Save page' }).click();
    await second.locator('.post-body', { hasText: 'Ship on Fridays, says the second tab.' }).waitFor();
    await second.close();

    await page.goto(`${rt.url}/spaces/engineering/pages`);
    const tree = page.getByRole('navigation', { name: /Wiki pages of/ });
    // Release Process was moved below Team Handbook while it was edited. The tree shows the top
    // level; the pages below a page appear when its expander is opened (from the keyboard here).
    const expander = tree.getByRole('button', { name: 'Pages below Team Handbook' });
    await expect(expander.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(tree.getByRole('link', { name: 'Release Process' }).count()).resolves.toBe(0);
    await expander.focus();
    await page.keyboard.press('Enter');
    await expect(expander.getAttribute('aria-expanded')).resolves.toBe('true');
    await tree
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: 'Team Handbook' }) })
      .getByRole('list')
      .getByRole('link', { name: 'Release Process' })
      .waitFor();
    await expectAccessible(page, 'wiki-tree');

    // Search finds the page by its newest text.
    await rt.drain();
    await page.goto(`${rt.url}/search?q=fridays`);
    const hit = page
      .getByRole('article')
      .filter({ has: page.getByRole('link', { name: 'Release Process' }) });
    await hit.getByText('Wiki page', { exact: true }).waitFor();
  }, 90_000);

  test('wiki text restored after a reload is still checked against the version it was based on', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/engineering/pages/team-handbook/edit`);
    await page.getByRole('heading', { level: 1, name: 'Edit page' }).waitFor();
    await page.getByLabel('Text', { exact: true }).fill('Alice’s unsaved rewrite.');
    await page.getByText('Unsaved changes are kept on this device.').waitFor();
    // Meanwhile bob saves a new version.
    const current = await rt.api('bob', 'GET', '/spaces/engineering/pages/team-handbook');
    const bob = await rt.api('bob', 'PUT', '/spaces/engineering/pages/team-handbook', {
      title: 'Team Handbook',
      body: 'Bob’s edit, which must not be lost.',
      version: current.body.version,
    });
    expect(bob.status).toBe(200);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Edit page' }).waitFor();
    await expect(page.getByLabel('Text', { exact: true }).inputValue()).resolves.toBe(
      'Alice’s unsaved rewrite.',
    );
    await page.getByRole('button', { name: 'Save page' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this page' }).waitFor();
    const stored = await rt.api('alice', 'GET', '/spaces/engineering/pages/team-handbook');
    expect(stored.body.body).toBe('Bob’s edit, which must not be lost.');
  }, 60_000);

  test('wiki text typed in a tab that was closed unsaved is offered in the next editor', async () => {
    const closing = await alice.context.newPage();
    await closing.goto(`${rt.url}/spaces/engineering/pages/release-process/edit`);
    await closing.getByRole('heading', { level: 1, name: 'Edit page' }).waitFor();
    await closing.getByLabel('Text', { exact: true }).fill('Left behind in a closed tab.');
    await closing.getByText('Unsaved changes are kept on this device.').waitFor();
    await closing.close();

    const next = await alice.context.newPage();
    await next.goto(`${rt.url}/spaces/engineering/pages/release-process/edit`);
    const offer = next.getByRole('status').filter({ hasText: 'There is unsaved text for this page' });
    await offer.waitFor();
    await expect(next.getByLabel('Text', { exact: true }).inputValue()).resolves.not.toContain('Left behind');
    await offer.getByRole('button', { name: 'Restore it' }).click();
    await expect(next.getByLabel('Text', { exact: true }).inputValue()).resolves.toBe(
      'Left behind in a closed tab.',
    );
    await next.getByRole('button', { name: 'Save page' }).click();
    await next.locator('.post-body', { hasText: 'Left behind in a closed tab.' }).waitFor();
    await next.close();
  }, 60_000);

  test('alice edits her profile, and her skills lead to the people who have them', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/people/alice`);
    await page.getByRole('button', { name: 'Edit profile' }).click();
    const form = page.getByRole('form', { name: 'Edit your profile' });
    await form.getByLabel('Job title').fill('Staff engineer');
    await form.getByLabel('Department').fill('Platform');
    await form.getByLabel('Skills').fill('Kubernetes, release engineering');
    await expectAccessible(page, 'profile-edit');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Staff engineer').waitFor();
    const skills = page.getByRole('region', { name: 'Skills' });
    // Skills are shown as written (issue 10: "AWS" stays "AWS"); people are found by the normalised key.
    await skills.getByRole('link', { name: 'release engineering', exact: true }).waitFor();
    await skills.getByRole('link', { name: 'Kubernetes', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'People who know Kubernetes', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Alice Andersen' }).waitFor();
    await expectAccessible(page, 'people-with-skill');
  }, 60_000);

  test('a failed save keeps what was typed, on the page and across a reload', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/engineering/new`);
    await page.getByLabel('Title').fill('Written while the network was down');
    await page.getByLabel('Body', { exact: true }).fill('Every word of this must survive.');
    await page.route('**/api/spaces/engineering/posts', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
    );
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    await expect(page.getByLabel('Body', { exact: true }).inputValue()).resolves.toBe(
      'Every word of this must survive.',
    );
    await expectAccessible(page, 'editor-save-failed');
    await page.unroute('**/api/spaces/engineering/posts');

    await page.reload();
    await page.getByText('Your unsaved changes were restored.').waitFor();
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Written while the network was down');
    await expect(page.getByLabel('Body', { exact: true }).inputValue()).resolves.toBe(
      'Every word of this must survive.',
    );

    // Drafts lists it as unsaved on this device.
    await page.goto(`${rt.url}/drafts`);
    await page.getByRole('link', { name: 'Written while the network was down' }).waitFor();
    await page.getByRole('link', { name: 'Draft: service ownership' }).waitFor();
    // One region of that name (landmarks must be told apart), not a region inside a region.
    await expect(page.getByRole('region', { name: 'Saved drafts' }).count()).resolves.toBe(1);
    await expectAccessible(page, 'drafts');
    await screenshot(page, 'drafts');

    await page.getByRole('link', { name: 'Written while the network was down' }).click();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Written while the network was down' }).waitFor();
    await page.goto(`${rt.url}/drafts`);
    await page.getByText('Nothing unsaved').waitFor();
  }, 60_000);

  test('keyboard: skip link, account menu and the header search box', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');

    const account = page.getByRole('button', { name: /Account menu/ });
    await account.focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Your profile');
    await page.keyboard.press('ArrowUp');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Sign out');
    await expectAccessible(page, 'account-menu-open');
    await page.keyboard.press('Escape');
    await expect(account.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-haspopup'))).resolves.toBe(
      'menu',
    );

    const search = page.getByRole('combobox', { name: 'Search Commonplace' });
    await search.focus();
    await page.keyboard.type('arm64');
    await page.getByRole('option', { name: /Search for “arm64”/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=arm64/);
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
  }, 60_000);

  test('drafts: save one, find it under Drafts, publish it', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/spaces/~alice/new`);
    await page.getByLabel('Title').fill('Half-finished thoughts');
    await page.getByLabel('Body', { exact: true }).fill('To be continued.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    expect(page.url()).toMatch(/\/spaces\/~alice\/posts\/[\w-]+\/edit$/);
    await page.getByRole('heading', { level: 1, name: 'Edit draft' }).waitFor();

    await page.goto(`${rt.url}/drafts`);
    await page.getByRole('link', { name: 'Half-finished thoughts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit draft' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Half-finished thoughts' }).waitFor();
    await page.goto(`${rt.url}/drafts`);
    await page.getByRole('link', { name: 'Draft: service ownership' }).waitFor();
    expect(await page.getByRole('link', { name: 'Half-finished thoughts' }).count()).toBe(0);
  }, 60_000);

  test('an expired session says so and signs in again without losing the page', async () => {
    const { page } = alice;
    await page.route('**/api/feed*', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'https://commonplace.dev/problems/unauthenticated',
          title: 'Unauthenticated',
          status: 401,
          detail: 'The token has expired',
        }),
      }),
    );
    await page.goto(`${rt.url}/`);
    const banner = page.getByRole('alert').filter({ hasText: 'Your session has expired' });
    await banner.waitFor();
    await expectAccessible(page, 'session-expired');
    await page.unroute('**/api/feed*');
    // The provider still has a session: signing in again comes straight back, no account chooser.
    await banner.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('link', { name: 'Why we moved our builds to arm64' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await banner.count()).toBe(0);
  }, 60_000);

  test('an admin also sees every space', async () => {
    const admin = await newSession(browser);
    try {
      await signIn(admin.page, rt.url, 'admin');
      await admin.page.goto(`${rt.url}/spaces`);
      await admin.page.getByRole('link', { name: 'All spaces' }).click();
      await admin.page.getByRole('link', { name: 'Vendor review', exact: true }).waitFor();
      await admin.page.getByRole('link', { name: 'Acme supply chain', exact: true }).waitFor();
      await expectAccessible(admin.page, 'spaces-all');
    } finally {
      await admin.context.close();
    }
  }, 60_000);

  test('the home feed loads older posts as you scroll, to the end', async () => {
    const { page } = alice;
    for (let i = 1; i <= 22; i++) {
      const created = await rt.api('alice', 'POST', '/spaces/~alice/posts', {
        title: `Feed filler ${i}`,
        body: `Number ${i}.`,
      });
      expect(created.status).toBe(201);
    }
    await rt.drain(); // the home feed is derived from the table stream
    await page.goto(`${rt.url}/`);
    await page.getByRole('link', { name: 'Feed filler 22', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Why we moved our builds to arm64' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    // Scrolling near the end fetches the next page by itself.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.getByRole('link', { name: 'Why we moved our builds to arm64' }).waitFor();
    await page.getByText('You have reached the end.').waitFor();
    await expect(page.getByRole('link', { name: /^Feed filler \d+$/ }).count()).resolves.toBe(22);
  }, 60_000);

  test('people, tags and a page that does not exist', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/people/bob`);
    await page.getByRole('heading', { level: 1, name: 'Bob Baker' }).waitFor();
    await page
      .getByRole('region', { name: 'Posts by Bob Baker' })
      .getByRole('link', { name: 'Incident review: the Tuesday search outage' })
      .waitFor();
    await expectAccessible(page, 'person');

    await page.goto(`${rt.url}/tags/devops`);
    await page.getByRole('link', { name: 'Why we moved our builds to arm64' }).waitFor();
    await expectAccessible(page, 'tag');

    await page.goto(`${rt.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await expectAccessible(page, 'not-found');
  }, 60_000);

  test('alice finds the post through the header type-ahead and the search page', async () => {
    const { page } = alice;
    await rt.drain();
    await page.goto(`${rt.url}/`);
    const search = page.getByRole('combobox', { name: 'Search Commonplace' });
    await search.fill('inert');
    await page.getByRole('option', { name: new RegExp(TITLE) }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=inert/);
    const hit = page.locator('.hit').filter({ has: page.getByRole('link', { name: TITLE, exact: true }) });
    await hit.waitFor();
    await hit.locator('mark').first().waitFor();
    await expectInert(page, '.results');
    await page
      .getByRole('complementary', { name: 'Refine results' })
      .getByRole('link', { name: /Posts/ })
      .click();
    await page.waitForURL(/type=post/);
    await hit.waitFor();
    // Headings go down one level at a time (the facets' h3 are not straight under the h1).
    const levels = await page
      .locator('main')
      .locator('h1, h2, h3, h4, h5, h6')
      .evaluateAll((headings) => headings.map((h) => Number(h.tagName[1])));
    const skips = levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1);
    expect({ levels, skips }).toEqual({ levels, skips: [] });
    await expectAccessible(page, 'search');
    await screenshot(page, 'search');
    await hit.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();

    // A comment result opens the post at that comment.
    await page.goto(`${rt.url}/search?q=threaded&type=comment`);
    const comment = page.locator('.hit').filter({ hasText: 'And the reply stays threaded.' });
    await comment.locator('.hit-title a').click();
    await page.waitForURL(/#comment-/, { waitUntil: 'commit' });
    await page.locator('.comment-target', { hasText: 'And the reply stays threaded.' }).waitFor();
  }, 60_000);

  test('gus, a Globex partner, is marked external and cannot open the post', async () => {
    const gus = await newSession(browser);
    try {
      await signIn(gus.page, rt.url, 'gus');
      const { page } = gus;
      await page.getByRole('button', { name: /Account menu: Gus Guest External \(globex\)/ }).waitFor();
      await page.locator('.profile-button').getByText('External').waitFor();

      await page.goto(`${rt.url}${postUrl}`);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      expect(await page.content()).not.toContain(TITLE);
      await expectAccessible(page, 'partner-not-found');
      await screenshot(page, 'partner-not-found');

      await page.goto(`${rt.url}/spaces`);
      await page.getByRole('link', { name: 'Globex pilot', exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Engineering' }).count()).toBe(0);
      await expectAccessible(page, 'partner-spaces');
      await screenshot(page, 'partner-spaces');
    } finally {
      await gus.context.close();
    }
  }, 60_000);

  test('gus cannot find the post through search either', async () => {
    const gus = await newSession(browser);
    try {
      await rt.drain();
      await signIn(gus.page, rt.url, 'gus');
      await gus.page.goto(`${rt.url}/search?q=inert`);
      await gus.page.getByRole('heading', { name: /0 results/ }).waitFor();
      expect(await gus.page.content()).not.toContain(TITLE);
      await gus.page.goto(`${rt.url}/`);
      await gus.page.getByRole('combobox', { name: 'Search Commonplace' }).fill('Hostile');
      await gus.page.getByRole('option', { name: /Search for/ }).waitFor();
      expect(await gus.page.getByRole('option', { name: new RegExp(TITLE) }).count()).toBe(0);
    } finally {
      await gus.context.close();
    }
  }, 60_000);

  test('375 px wide and dark: no sideways scrolling, still accessible', async () => {
    /** Signed in as `account` on a 375 px dark phone, checks each page for sideways scrolling. */
    const onPhone = async (account: string, pages: readonly (readonly [name: string, path: string])[]) => {
      const phone = await newSession(browser, {
        viewport: { width: 375, height: 812 },
        colorScheme: 'dark',
        isMobile: true,
        hasTouch: true,
      });
      try {
        await signIn(phone.page, rt.url, account);
        for (const [name, path] of pages) await expectNoSidewaysScroll(phone.page, name, path);
      } finally {
        await phone.context.close();
      }
    };
    await onPhone('alice', [
      ['home', '/'],
      ['spaces', '/spaces'],
      ['post', postUrl],
      ['editor', '/spaces/engineering/new'],
      ['search', '/search?q=arm64'],
      ['profile', '/people/bob'],
    ]);
    // The administration tables scroll inside their own box.
    await onPhone('admin', [['admin-partners', '/admin/partners']]);
    // A partner's account button is wider (their organisation's badge).
    await onPhone('gus', [['partner-home', '/']]);
  }, 120_000);

  /**
   * Against the layout width (`clientWidth`, 375), not `innerWidth`: on a mobile viewport Chromium
   * widens the window to fit content that overflows, so `innerWidth` grows with the overflow.
   */
  async function expectNoSidewaysScroll(page: Page, name: string, path: string) {
    await page.goto(`${rt.url}${path}`);
    await settled(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect({ name, overflow }).toEqual({ name, overflow: 0 });
    await expectAccessible(page, `mobile-dark-${name}`);
    await screenshot(page, `mobile-dark-${name}`);
  }

  test('sign-out from the account menu ends the session and comes back to the app', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/`);
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    // The app forgets the tokens, the provider ends its session and sends the browser back.
    await page.getByText('You have signed out.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('oidc.user:'))),
    ).toEqual([]);
  }, 60_000);
});
