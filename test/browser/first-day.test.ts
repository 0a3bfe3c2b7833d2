// What a new user hit on the first day (issue 10), in Chromium against the real local runtime:
// nothing typed is ever cut, and every form shows what is wrong the same way, in plain words,
// cleared as the field changes. axe-core checks each screen in the state it is tested in.

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

const { chromiumPath, describeInChromium } = browserSuite('first-day.test.ts');

// Over the 100,000-character limit of a post body and a wiki page, by a paragraph's worth.
const BIG = `${'All of this was pasted at once. '.repeat(3_200)}The end.`;

describeInChromium('first-day problems in Chromium (issue 10)', () => {
  let env: BrowserRuntime;
  let rt: TestRuntime;
  let browser: Browser;
  let alice: Session;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!);
    ({ rt, browser } = env);
    alice = await env.signedIn('alice');
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  /** Counts the write requests a page sends to an API path. */
  function writesTo(page: Page, pathname: string) {
    const seen: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET' && new URL(request.url()).pathname === `/api${pathname}`)
        seen.push(request.method());
    });
    return seen;
  }

  /** Pastes text as a person would: one insertion into the focused field (maxlength applies to it). */
  async function paste(page: Page, label: string, text: string) {
    await page.getByLabel(label, { exact: true }).focus();
    await page.keyboard.insertText(text);
  }

  /** Compares lengths first, so a failure does not print 100 KB of text. */
  async function expectValue(page: Page, label: string, text: string) {
    const value = await page.getByLabel(label, { exact: true }).inputValue();
    expect(value.length).toBe(text.length);
    expect(value === text).toBe(true);
  }

  async function expectFieldError(page: Page, label: string, message: string | null) {
    const field = page.getByLabel(label, { exact: true });
    // The server's answer, or React's re-render, may still be on its way: wait for the field's state.
    await field.evaluate(
      (element, invalid) =>
        new Promise<void>((resolve, reject) => {
          const started = Date.now();
          const check = () => {
            if ((element.getAttribute('aria-invalid') === 'true') === invalid) resolve();
            else if (Date.now() - started > 10_000) reject(new Error(`aria-invalid never became ${invalid}`));
            else setTimeout(check, 50);
          };
          check();
        }),
      message !== null,
    );
    if (message === null) {
      await expect(field.getAttribute('aria-invalid')).resolves.not.toBe('true');
      return;
    }
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    // The message is under the field and is what the field is described by.
    const described = (await field.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const errorId = described.find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    await expect(page.evaluate((id) => document.getElementById(id)?.textContent, errorId!)).resolves.toBe(
      message,
    );
  }

  describe('item 2: a large paste is never cut', () => {
    test('a post body over the limit keeps every character, shows its size and is not sent', async () => {
      const { page } = alice;
      const posts = writesTo(page, '/spaces/engineering/posts');
      await page.goto(`${rt.url}/spaces/engineering/new`);
      await page.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
      await page.getByLabel('Title').fill('A very long paste');
      await paste(page, 'Body', BIG);
      await expectValue(page, 'Body', BIG);
      await page.getByText('102,408 of 100,000 characters: 2,408 over the limit').waitFor();

      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('alert').filter({ hasText: 'Not saved: one field needs attention.' }).waitFor();
      await expectFieldError(
        page,
        'Body',
        'The text is too long: 102,408 characters, at most 100,000. Shorten it to save; nothing was cut.',
      );
      expect(posts).toEqual([]);
      await expectValue(page, 'Body', BIG);
      await expectAccessible(page, 'editor-too-long');
      await screenshot(page, 'editor-too-long');

      // Shortening it clears the message at once; then it saves.
      await page.getByLabel('Body', { exact: true }).fill(BIG.slice(0, 99_000));
      await expectFieldError(page, 'Body', null);
      await expect(page.getByRole('alert').filter({ hasText: 'Not saved' }).count()).resolves.toBe(0);
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('heading', { level: 1, name: 'A very long paste' }).waitFor();
      expect(posts).toEqual(['POST']);
    }, 90_000);

    test('the wiki editor does the same', async () => {
      const { page } = alice;
      const pages = writesTo(page, '/spaces/engineering/pages');
      await page.goto(`${rt.url}/spaces/engineering/new-page`);
      await page.getByRole('heading', { level: 1, name: 'New page' }).waitFor();
      await page.getByLabel('Title').fill('Pasted handbook');
      await paste(page, 'Text', BIG);
      await expectValue(page, 'Text', BIG);
      await page.getByText('102,408 of 100,000 characters: 2,408 over the limit').waitFor();
      await page.getByRole('button', { name: 'Create page' }).click();
      await expectFieldError(
        page,
        'Text',
        'The text is too long: 102,408 characters, at most 100,000. Shorten it to save; nothing was cut.',
      );
      expect(pages).toEqual([]);
      await expectAccessible(page, 'wiki-editor-too-long');
    }, 90_000);
  });

  describe('item 3: one field-error presentation, in plain words, cleared as the field changes', () => {
    test('an empty title in the post editor and in the wiki editor', async () => {
      // A fresh browser: the unsaved text of the tests above would otherwise be restored.
      const { page } = await newSession(browser);
      await signIn(page, rt.url, 'alice');
      for (const [url, heading, button] of [
        ['/spaces/engineering/new', 'New post', 'Publish'],
        ['/spaces/engineering/new-page', 'New page', 'Create page'],
      ] as const) {
        const writes = writesTo(
          page,
          url.endsWith('page') ? '/spaces/engineering/pages' : '/spaces/engineering/posts',
        );
        await page.goto(`${rt.url}${url}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.getByRole('button', { name: button }).click();
        await expectFieldError(page, 'Title', 'The title cannot be empty.');
        await page.getByRole('alert').filter({ hasText: 'one field needs attention' }).waitFor();
        await expect(page.locator('body').textContent()).resolves.not.toMatch(/character\(s\)|json\./);
        expect(writes).toEqual([]);
        await expectAccessible(page, `${heading} empty title`);
        await page.getByLabel('Title').fill('N');
        await expectFieldError(page, 'Title', null);
        await expect(page.getByRole('alert').filter({ hasText: 'Not saved' }).count()).resolves.toBe(0);
      }
    }, 60_000);

    test('an error only the server finds shows the same way, from the API’s sentence', async () => {
      const { page } = alice;
      await page.goto(`${rt.url}/spaces/engineering/new`);
      await page.getByLabel('Title').fill('Tagged oddly');
      await page.getByLabel('Tags').fill('ops c++');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expectFieldError(
        page,
        'Tags',
        'Entry 2 of the tags: tags start with a letter and hold letters, digits, - and _.',
      );
      await expect(page.locator('body').textContent()).resolves.not.toMatch(/json\.tags/);
      await expectAccessible(page, 'editor-server-field-error');
      await page.getByLabel('Tags').fill('ops cpp');
      await expectFieldError(page, 'Tags', null);

      // The profile form too.
      await page.goto(`${rt.url}/people/alice`);
      await page.getByRole('button', { name: 'Edit profile' }).click();
      await page.getByLabel('Skills').fill('Kubernetes, C++');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await expectFieldError(
        page,
        'Skills',
        'Entry 2 of the skills: skills start with a letter and hold letters, digits, spaces, - and _.',
      );
      await expectAccessible(page, 'profile-field-error');
      await page.getByLabel('Skills').fill('Kubernetes');
      await expectFieldError(page, 'Skills', null);
      await settled(page);
    }, 60_000);
  });

  describe('item 4: text previews keep blocks apart and drop Markdown syntax', () => {
    test('a feed excerpt shows list items on their own lines', async () => {
      const { page } = alice;
      const created = await rt.api('alice', 'POST', '/spaces/engineering/posts', {
        title: 'Incident review: the stuck queue',
        body: 'What we learned:\n\n- detection took 4 minutes\n- the fix was **one line**\n\nThanks all.',
      });
      expect(created.status).toBe(201);
      await page.goto(`${rt.url}/spaces/engineering`);
      const excerpt = page
        .locator('.post-card', { hasText: 'Incident review: the stuck queue' })
        .locator('.excerpt');
      await excerpt.waitFor();
      await expect(excerpt.innerText()).resolves.toBe(
        'What we learned:\ndetection took 4 minutes\nthe fix was one line\nThanks all.',
      );
      await expectAccessible(page, 'space-feed-excerpts');
    }, 60_000);

    test('a search snippet shows a wiki link as its text and bold as text', async () => {
      const { page } = alice;
      const created = await rt.api('alice', 'POST', '/spaces/engineering/pages', {
        title: 'Release checklist',
        body: 'Before a release, **CI** must be green.\n\nPrint [[Shipping Labels]] and read [[Runbook|the runbook]].',
      });
      expect(created.status).toBe(201);
      await rt.drain();
      await page.goto(`${rt.url}/search?q=checklist%20green%20runbook`);
      const hit = page.locator('.hit', { hasText: 'Release checklist' });
      await hit.waitFor();
      const snippet = await hit.locator('.snippet').innerText();
      expect(snippet).toContain('CI must be green.');
      expect(snippet).toMatch(/Shipping Labels and read the runbook/);
      expect(snippet).not.toMatch(/\[\[|\]\]|\*\*/);
      await expectAccessible(page, 'search-snippets');
    }, 60_000);

    test('a profile’s About is rendered as Markdown, and a person found by search has no byline', async () => {
      const { page } = alice;
      const me = await rt.api('alice', 'GET', '/people/alice');
      const saved = await rt.api('alice', 'PATCH', '/me', {
        about: 'I look after **build pipelines**.\n\n- arm64 migrations\n- flaky-test triage',
        version: me.body.version ?? 1,
      });
      expect(saved.status).toBe(200);
      await rt.drain();
      await page.goto(`${rt.url}/people/alice`);
      const about = page.getByTestId('about');
      await about.getByText('build pipelines').waitFor();
      await expect(about.locator('strong').innerText()).resolves.toBe('build pipelines');
      await expect(about.locator('li').count()).resolves.toBe(2);
      await expect(about.innerText()).resolves.not.toContain('**');
      await expectAccessible(page, 'profile-about-markdown');

      await page.goto(`${rt.url}/search?q=pipelines&type=profile`);
      const person = page.locator('.hit', {
        has: page.getByRole('link', { name: 'Alice Andersen', exact: true }),
      });
      await person.waitFor();
      await expect(person.locator('.meta').count()).resolves.toBe(0);
      await expect(person.locator('.snippet').innerText()).resolves.not.toContain('**');
      await expectAccessible(page, 'search-person-hit');
    }, 60_000);
  });

  describe('item 5: sign-in works when the app is opened on 127.0.0.1', () => {
    test('the app moves to localhost before sign-in starts, and signing in succeeds', async () => {
      const session = await newSession(browser);
      const { page, errors } = session;
      const loopback = rt.url.replace('//localhost:', '//127.0.0.1:');
      // A link to a screen starts sign-in at once; the welcome screen waits for the button.
      await page.goto(`${loopback}/spaces/engineering`);
      await page.locator('button[name="account"][value="bob"]').click();
      await page.getByRole('button', { name: /Account menu: Bob Baker/ }).waitFor();
      expect(page.url()).toBe(`${rt.url}/spaces/engineering`);
      await page.goto(`${loopback}/`);
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      expect(new URL(page.url()).origin).toBe(new URL(rt.url).origin);
      await expect(page.getByText('No matching state found').count()).resolves.toBe(0);
      expect(errors).toEqual([]);
      await session.context.close();
    }, 60_000);
  });

  describe('item 7: the app runs under the production Content-Security-Policy', () => {
    test('the document carries the policy, and no screen violates it', async () => {
      const session = await newSession(browser);
      const { page, context } = session;
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      const response = await page.goto(`${rt.url}/`);
      expect(response?.headers()['content-security-policy']).toContain("img-src 'self' data: blob:");
      await signIn(page, rt.url, 'alice');
      for (const screen of [
        '/',
        '/spaces',
        '/spaces/engineering',
        '/spaces/engineering/new',
        '/spaces/engineering/pages',
        '/people/alice',
        '/search?q=arm64',
      ]) {
        await page.goto(`${rt.url}${screen}`);
        await page.locator('h1').first().waitFor();
        await settled(page);
      }
      expect(violations).toEqual([]);
      await context.close();
    }, 90_000);
  });

  describe('item 8: images from other hosts become links, under the real CSP', () => {
    test('a post with an external image and a tracking pixel loads nothing from another host', async () => {
      const session = await newSession(browser);
      const { page, context } = session;
      const offsite: string[] = [];
      const violations: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).hostname.endsWith('.example')) offsite.push(request.url());
      });
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await signIn(page, rt.url, 'alice');
      await page.goto(`${rt.url}/spaces/engineering/new`);
      await page.getByLabel('Title').fill('Our new logo');
      await page
        .getByLabel('Body', { exact: true })
        .fill(
          'Here it is: ![the new logo](https://cdn.example/logo.png)\n\n<img src="https://track.example/p.gif?u=alice" alt="">',
        );
      const preview = page.getByTestId('preview');
      await preview.getByRole('link', { name: 'the new logo' }).waitFor();
      await expect(preview.locator('img').count()).resolves.toBe(0);

      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('heading', { level: 1, name: 'Our new logo' }).waitFor();
      const body = page.locator('.post-body');
      const logo = body.getByRole('link', { name: 'the new logo' });
      await expect(logo.getAttribute('href')).resolves.toBe('https://cdn.example/logo.png');
      await expect(
        body.getByRole('link', { name: 'https://track.example/p.gif?u=alice' }).getAttribute('rel'),
      ).resolves.toBe('noopener noreferrer nofollow');
      await expect(body.locator('img').count()).resolves.toBe(0);
      await settled(page);
      expect(offsite).toEqual([]);
      expect(violations).toEqual([]);
      await expectAccessible(page, 'post-external-images');
      await context.close();
    }, 60_000);
  });

  describe('item 10: the smaller things', () => {
    test('a partner sees no Blog link to a blog they cannot read, and no member count without a number', async () => {
      const session = await newSession(browser);
      const { page } = session;
      await signIn(page, rt.url, 'pat');
      await page.goto(`${rt.url}/people/alice`);
      await page.getByRole('heading', { level: 1, name: /Alice Andersen/ }).waitFor();
      await settled(page);
      await expect(page.getByRole('link', { name: 'Blog', exact: true }).count()).resolves.toBe(0);
      await expectAccessible(page, 'partner-sees-employee');
      await page.goto(`${rt.url}/spaces/acme-supply-chain`);
      await page.getByRole('heading', { level: 1, name: 'Acme supply chain' }).waitFor();
      const meta = await page.locator('.page-header .meta').innerText();
      expect(meta).not.toMatch(/\bmembers?\b/);
      expect(meta).not.toContain('undefined');
      await expectAccessible(page, 'partner-space-header');
      await session.context.close();
    }, 60_000);

    test('skills keep the form they were written in, and still find people', async () => {
      const { page } = alice;
      const me = await rt.api('alice', 'GET', '/people/alice');
      expect(
        (
          await rt.api('alice', 'PATCH', '/me', {
            skills: ['AWS', 'Machine learning'],
            version: me.body.version,
          })
        ).status,
      ).toBe(200);
      await page.goto(`${rt.url}/people/alice`);
      const skills = page.getByRole('region', { name: 'Skills' });
      await skills.getByRole('link', { name: 'Machine learning', exact: true }).waitFor();
      await skills.getByRole('link', { name: 'AWS', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'People who know AWS', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Alice Andersen' }).waitFor();
    }, 60_000);

    test('wiki: breadcrumbs name the space, links to missing pages read as "create", restore goes away with the differences', async () => {
      const { page } = alice;
      const written = await rt.api('alice', 'POST', '/spaces/engineering/pages', {
        title: 'Breadcrumb home',
        body: 'one',
      });
      expect(written.status).toBe(201);
      const linking = await rt.api('alice', 'POST', '/spaces/engineering/pages', {
        title: 'Link board',
        body: 'See [[Breadcrumb home]] and [[Release notes 2030]].',
      });
      expect(linking.status).toBe(201);

      await page.goto(`${rt.url}/spaces/engineering/pages/link-board`);
      await page.getByRole('heading', { level: 1, name: 'Link board' }).waitFor();
      await page.locator('.breadcrumb').getByRole('link', { name: 'Engineering', exact: true }).waitFor();
      const missing = page.locator('.post-body a.page-missing');
      await missing.waitFor();
      await expect(missing.innerText()).resolves.toMatch(/^Release notes 2030/);
      await expect(missing.getAttribute('href')).resolves.toBe(
        '/spaces/engineering/pages/release-notes-2030',
      );
      await expect(missing.locator('.visually-hidden').innerText()).resolves.toBe('(not written yet)');
      await expect(
        page.locator('.post-body a.page', { hasText: 'Breadcrumb home' }).getAttribute('class'),
      ).resolves.toBe('page');
      await expectAccessible(page, 'wiki-missing-link');

      await page.goto(`${rt.url}/spaces/engineering/new-page`);
      await page.getByRole('heading', { level: 1, name: 'New page' }).waitFor();
      await expect(page.locator('.breadcrumb').innerText()).resolves.toBe('Engineering / Wiki');

      // Version 2 changes the text; restoring version 1 makes it the same as the current one.
      expect(
        (
          await rt.api('alice', 'PUT', '/spaces/engineering/pages/breadcrumb-home', {
            title: 'Breadcrumb home',
            body: 'two',
            version: written.body.version,
          })
        ).status,
      ).toBe(200);
      await page.goto(`${rt.url}/spaces/engineering/pages/breadcrumb-home/history`);
      await page.getByRole('button', { name: 'Version 1', exact: true }).click();
      await page.getByRole('button', { name: 'Restore version 1' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Version 1 is now the current version (3).' })
        .waitFor();
      await page.getByText('No differences.').waitFor();
      await expect(page.getByRole('button', { name: /^Restore version/ }).count()).resolves.toBe(0);
      await expectAccessible(page, 'wiki-restored');
    }, 60_000);

    test('a task list has named checkboxes (axe: no unlabelled control)', async () => {
      const { page } = alice;
      const created = await rt.api('alice', 'POST', '/spaces/engineering/posts', {
        title: 'Release tasks',
        body: '- [ ] write the test\n- [x] fix the bug',
      });
      expect(created.status).toBe(201);
      await page.goto(`${rt.url}/spaces/engineering/posts/${created.body.id}`);
      await page.getByRole('heading', { level: 1, name: 'Release tasks' }).waitFor();
      await expect(page.locator('.post-body input[type="checkbox"]').count()).resolves.toBe(2);
      await expectAccessible(page, 'post-task-list');
    }, 60_000);
  });
});
