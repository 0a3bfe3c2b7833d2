// Partner organisations in the web client, end to end over the real local runtime in Debian's Chromium
// (issue 16b's "done when"): the admin adds a third organisation in the UI with its e-mail domain and
// OIDC provider; a user of that organisation can call the API; the admin suspends the organisation and
// that user's very next request fails; the audit trail lists all of it. The third organisation's
// user gets a token minted with the local provider's key (their federated sign-in is the broker's).

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { partnerToken } from '../helpers/partner-token';
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

const { chromiumPath, describeInChromium } = browserSuite('partner-admin.test.ts');

describeInChromium('partner organisations in Chromium', () => {
  let rt: TestRuntime;
  let browser: Browser;
  let admin: Session;
  let vera: string;

  let env: BrowserRuntime;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!);
    ({ rt, browser } = env);
    admin = await env.signedIn('admin');
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('the admin adds a third organisation; its user can call the API', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Partner organisations' }).waitFor();
    await page.getByRole('link', { name: 'Acme Supplies' }).waitFor();
    await settled(page);
    await expectAccessible(page, 'admin-partners');

    await page.getByLabel('Id (lower case, used in URLs)').fill('vandelay');
    await page.getByLabel('Name', { exact: true }).fill('Vandelay Industries');
    await page.getByLabel('E-mail domains (comma-separated)').fill('vandelay.example');
    await page.getByLabel('Issuer URL').fill('https://login.vandelay.example/oidc');
    await page.getByLabel('Client id').fill('commonplace');
    await page.getByLabel('Client secret (stored, never shown again)').fill('latex');
    await page.getByRole('button', { name: 'Add organisation' }).click();

    await page.getByRole('heading', { level: 1, name: 'Vandelay Industries' }).waitFor();
    await expect(page.getByTestId('org-status').textContent()).resolves.toBe('active');
    await expect(page.getByText('vandelay.example', { exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('body').textContent()).resolves.not.toContain('latex');
    await settled(page);
    await expectAccessible(page, 'admin-partner');
    await screenshot(page, 'admin-partner');

    vera = await partnerToken(rt, {
      sub: 'vera',
      email: 'vera@vandelay.example',
      org: 'vandelay',
      name: 'Vera V',
    });
    expect((await rt.api(vera, 'GET', '/me')).status).toBe(200);
  });

  test('an owner invites a person of the new organisation into a shared space; accepted at first sign-in', async () => {
    const { page } = admin;
    const created = await rt.api('admin', 'POST', '/spaces', {
      id: 'vandelay-deal',
      name: 'Vandelay deal',
      audience: 'members',
    });
    await rt.api('admin', 'PUT', '/spaces/vandelay-deal/sharing', {
      partnerOrgs: ['vandelay'],
      version: created.body.version,
    });
    await page.goto(`${rt.url}/spaces/vandelay-deal/sharing`);
    const section = page.getByRole('region', { name: 'Invite people of a partner organisation' });
    await section.waitFor();
    await section.getByLabel('E-mail address').fill('kel@nowhere.example');
    await section.getByRole('button', { name: 'Invite' }).click();
    await section
      .getByRole('alert')
      .getByText(/No partner organisation uses the e-mail domain nowhere\.example/)
      .waitFor();
    await section.getByLabel('E-mail address').fill('walt@vandelay.example');
    await section.getByLabel('Role').selectOption('editor');
    await section.getByRole('button', { name: 'Invite' }).click();
    await section.getByText('walt@vandelay.example').waitFor();
    await settled(page);
    await expectAccessible(page, 'space-invitations');

    const walt = await partnerToken(rt, { sub: 'walt', email: 'walt@vandelay.example', org: 'vandelay' });
    const mine = await rt.api(walt, 'GET', '/spaces?scope=mine');
    expect(mine.body.items.map((space: { id: string; myRole: string }) => [space.id, space.myRole])).toEqual([
      ['vandelay-deal', 'editor'],
    ]);
  });

  test('the admin suspends it in the UI and its user’s next request fails', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Vandelay Industries' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vandelay Industries' }).waitFor();
    await page.getByRole('link', { name: 'Vera V' }).waitFor();
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Reactivate' }).waitFor();
    await expect(page.getByTestId('org-status').textContent()).resolves.toBe('suspended');

    const refused = await rt.api(vera, 'GET', '/me');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/suspended/);
    // The other organisations' people are not affected.
    expect((await rt.api('pat', 'GET', '/me')).status).toBe(200);
  });

  test('the audit trail lists all of it, filters by kind and exports', async () => {
    const { page } = admin;
    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Audit trail' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    const rows = page.locator('table.audit-table tbody tr');
    await rows.first().waitFor();
    await expect(
      page.locator('tr[data-kind="organisation.added"]', { hasText: 'organisation:vandelay' }).count(),
    ).resolves.toBe(1);
    await expect(
      page.locator('tr[data-kind="organisation.suspended"]', { hasText: 'organisation:vandelay' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('tr[data-kind="invitation.accepted"]').count()).resolves.toBe(1);
    // Newest first: the suspension comes before the addition.
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
    expect(kinds.indexOf('organisation.suspended')).toBeLessThan(kinds.lastIndexOf('organisation.added'));
    await settled(page);
    await expectAccessible(page, 'admin-audit');

    await page.getByLabel('Kind').selectOption('organisation.suspended');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('table.audit-table tbody tr')).every(
        (tr) => tr.getAttribute('data-kind') === 'organisation.suspended',
      ),
    );
    await expect(rows.count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('link', { name: 'Download audit.csv' }).waitFor();
    await screenshot(page, 'admin-audit');
  });

  test('an employee who is not an admin has no Admin link and is refused the page', async () => {
    const alice = await newSession(browser);
    await signIn(alice.page, rt.url, 'alice');
    await expect(
      alice.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
    ).resolves.toBe(0);
    await alice.page.goto(`${rt.url}/admin/audit`);
    await alice.page.getByText('Only admins can open the administration pages.').waitFor();
    // Said as a page of its own (a heading, a way home), not as "Something went wrong".
    await alice.page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    expect(await alice.page.getByText('Something went wrong').count()).toBe(0);
    await expectAccessible(alice.page, 'admin-refused');
    await alice.context.close();
  });
});
