// Who knows about Kubernetes, in Chromium (issue 15, items 3–6): a user goes from a search to the
// expertise screen and sees why each person is listed; a profile shows what its person knows about,
// their endorsements and recent activity, and downloads as a vCard; the post editor offers @mentions
// of the people who may read the space. axe-core checks each screen.

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { TestRuntime } from '../helpers/runtime';
import { browserSuite, expectAccessible, type Session, screenshot, settled } from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('expertise.test.ts');

describeInChromium('expertise in Chromium', () => {
  let rt: TestRuntime;
  let bob: Session;

  const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

  let env: BrowserRuntime;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!, {
      prepare: async (started) => {
        rt = started;
        const me = await ok('alice', 'GET', '/me');
        await ok('alice', 'PATCH', '/me', { skills: ['Kubernetes'], version: me.version });
        await ok('alice', 'POST', '/spaces/engineering/posts', {
          title: 'Kubernetes upgrade guide',
          body: 'How we upgraded the cluster without downtime. #kubernetes',
        });
        await ok('bob', 'POST', '/spaces/engineering/pages', {
          title: 'Kubernetes runbook',
          body: 'Drain, cordon, upgrade.',
        });
        // Bob may not read the leadership space: the admin must not be listed for him.
        await ok('admin', 'POST', '/spaces/leadership/posts', {
          title: 'Kubernetes budget',
          body: 'What the clusters cost.',
        });
      },
    });
    bob = await env.signedIn('bob', { acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('bob finds who knows about Kubernetes from a search and sees why for each person', async () => {
    const { page } = bob;
    await page.goto(`${rt.url}/search?q=kubernetes`);
    await page.getByRole('link', { name: 'Who knows about “kubernetes”?' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Who knows about kubernetes' }).waitFor();
    await settled(page);
    const list = page.getByRole('list', { name: 'People who know about kubernetes' });
    const experts = list.getByTestId('expert');
    await expect(experts.first().getByRole('link', { name: 'Alice Andersen' }).count()).resolves.toBe(1);
    // The evidence beside each name: what they did, linked.
    const why = page.getByRole('list', { name: 'Why Alice Andersen' });
    await expect(why.textContent()).resolves.toMatch(/Wrote: Kubernetes upgrade guide in Engineering/);
    await expect(why.getByRole('link', { name: 'Kubernetes upgrade guide' }).count()).resolves.toBe(1);
    await expect(page.getByRole('list', { name: 'Why Bob Baker' }).textContent()).resolves.toMatch(
      /Edited: Kubernetes runbook/,
    );
    // Work bob cannot read lists nobody.
    await expect(list.textContent()).resolves.not.toMatch(/Ada Admin|Kubernetes budget/);
    await expectAccessible(page, 'expertise');
    await screenshot(page, 'expertise-kubernetes');

    // Another topic through the form; nobody's work yet is said so.
    await page.getByRole('textbox', { name: 'Topic' }).fill('quantum basket weaving');
    await page.getByRole('button', { name: 'Find people' }).click();
    await page.getByText('Nobody’s work about “quantum basket weaving” that you can read').waitFor();
    await expectAccessible(page, 'expertise-empty');
    // Listed skills do not rank here, but the empty page leads to the people who list the topic.
    await page.getByRole('link', { name: 'people who list quantum basket weaving as a skill' }).click();
    await page.getByRole('heading', { level: 1, name: 'People who know quantum basket weaving' }).waitFor();
  });

  test('a profile shows what the person knows about, endorsements, activity, and downloads as a vCard', async () => {
    const { page } = bob;
    await page.goto(`${rt.url}/people/alice`);
    await page.getByRole('heading', { level: 1, name: 'Alice Andersen' }).waitFor();
    await settled(page);
    const knows = page.getByRole('region', { name: 'Knows about' });
    await expect(knows.getByRole('link', { name: 'kubernetes' }).count()).resolves.toBe(1);
    const activity = page.getByRole('list', { name: 'Recent activity of Alice Andersen' });
    await expect(activity.textContent()).resolves.toMatch(/Wrote: Kubernetes upgrade guide/);

    await page.getByRole('button', { name: 'Endorse Kubernetes' }).click();
    await page.getByText('Endorsed by 1 person').waitFor();
    await page.getByText('Endorsed by 1 person').click();
    await expect(
      page
        .getByRole('list', { name: 'Who endorsed Kubernetes' })
        .getByRole('link', { name: 'Bob Baker' })
        .count(),
    ).resolves.toBe(1);
    await expectAccessible(page, 'profile-expertise');
    await screenshot(page, 'profile-expertise');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download vCard of Alice Andersen' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('alice.vcf');
    const card = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(card).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(card).toContain('FN:Alice Andersen\r\n');
  });

  test('the post editor offers @mentions of the people who may read the space', async () => {
    const { page } = bob;
    await page.goto(`${rt.url}/spaces/engineering/new`);
    const body = page.getByLabel('Body');
    await body.waitFor();
    await body.fill('Thanks ');
    await body.pressSequentially('@ali');
    const options = page.getByRole('listbox', { name: 'People to mention' });
    await options.getByRole('option', { name: /Alice Andersen/ }).waitFor();
    await expect(body.getAttribute('aria-activedescendant')).resolves.toBeTruthy();
    await expectAccessible(page, 'mention-autocomplete');
    await screenshot(page, 'mention-autocomplete');
    await body.press('Enter');
    await expect(body.inputValue()).resolves.toBe('Thanks @alice ');
    await options.waitFor({ state: 'detached' });
    // Partners cannot read the engineering space: Pat is never offered there.
    await body.pressSequentially('@pa');
    await page.waitForTimeout(600);
    await expect(page.getByRole('listbox', { name: 'People to mention' }).count()).resolves.toBe(0);
    // Leave nothing behind for other tests: the draft text is the page's own.
    await body.fill('');
  });
});
