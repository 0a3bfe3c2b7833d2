// E-mail in the web client and the local outbox, end to end over the real local runtime in Debian's
// Chromium: bob opens the e-mail preferences from his inbox, changes a kind and saves; alice mentions
// him and the local outbox page shows the e-mail, its HTML part in a sandboxed frame; its unsubscribe
// link's page needs a click, then the kind is "never" on the preferences page. axe-core checks them.

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { TestRuntime } from '../helpers/runtime';
import { browserSuite, expectAccessible, type Session, screenshot } from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('mail.test.ts');

describeInChromium('e-mail preferences and the outbox in Chromium', () => {
  let rt: TestRuntime;
  let bob: Session;

  let env: BrowserRuntime;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!, {
      runtime: { digestIntervalMs: 0 },
      prepare: async (started) => {
        for (const account of ['alice', 'bob']) await started.api(account, 'GET', '/me');
      },
    });
    rt = env.rt;
    bob = await env.signedIn('bob');
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('preferences: from the inbox, one select per kind, saved; watching settings save at once', async () => {
    const { page } = bob;
    await page.goto(`${rt.url}/notifications`);
    await page.getByRole('link', { name: 'Preferences', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Preferences' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'E-mail' }).waitFor();

    const onComment = page.getByRole('checkbox', { name: 'Watch the posts I comment on' });
    await expect(onComment.isChecked()).resolves.toBe(true);
    await onComment.uncheck();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect((await rt.api('bob', 'GET', '/me/subscription-settings')).body).toEqual({
      watchOnCreate: true,
      watchOnComment: false,
      watchOnEdit: true,
    });
    await page.reload();
    await expect(
      page.getByRole('checkbox', { name: 'Watch the posts I comment on' }).isChecked(),
    ).resolves.toBe(false);

    const posts = page.getByRole('combobox', { name: /New and edited posts/ });
    await expect(posts.inputValue()).resolves.toBe('daily');
    await expect(page.getByRole('combobox', { name: 'Mentions of you' }).inputValue()).resolves.toBe(
      'immediately',
    );
    await posts.selectOption('hourly');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const saved = await rt.api('bob', 'GET', '/me/notification-preferences');
    expect(saved.body.preferences.post).toBe('hourly');
    await expectAccessible(page, 'mail-preferences');
    await screenshot(page, 'mail-preferences');
    expect(bob.errors).toEqual([]);
  }, 60_000);

  test('the outbox shows the mention e-mail; its unsubscribe page needs a click', async () => {
    const { page } = bob;
    const post = await rt.api('alice', 'POST', '/spaces/engineering/posts', {
      title: 'Outbox <check>',
      body: 'Have a look, @bob',
    });
    expect(post.status).toBe(201);
    await rt.drain();
    await page.goto(`${rt.url}/dev/outbox`);
    await page.getByRole('heading', { level: 1, name: 'Mail outbox' }).waitFor();
    await page
      .getByRole('link', { name: /mentioned you/ })
      .first()
      .click();
    await page
      .frameLocator('iframe[title="HTML part"]')
      .getByText(/Outbox <check>/)
      .first()
      .waitFor();
    await expectAccessible(page, 'mail-outbox-message');
    await screenshot(page, 'mail-outbox-message');

    const mail = rt.outbox.list().find((m) => m.to === 'bob@commonplace.example' && m.tag === 'immediate')!;
    const link = /<(.+)>/.exec(mail.headers['List-Unsubscribe'])![1];
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Stop these e-mails?' }).waitFor();
    expect((await rt.api('bob', 'GET', '/me/notification-preferences')).body.preferences.mention).toBe(
      'immediately',
    );
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { level: 1, name: 'Unsubscribed' }).waitFor();
    expect((await rt.api('bob', 'GET', '/me/notification-preferences')).body.preferences.mention).toBe(
      'never',
    );

    await page.goto(`${rt.url}/preferences`);
    await expect(page.getByRole('combobox', { name: 'Mentions of you' }).inputValue()).resolves.toBe('never');
  }, 60_000);
});
