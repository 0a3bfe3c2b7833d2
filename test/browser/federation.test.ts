// Federation end to end in Chromium: the web client sends pat to the local broker (Cognito's part),
// which routes his work e-mail's domain to Acme's own identity provider; Acme signs him in and sends him
// back through the broker, which links him and runs the deployed pre-token trigger. gus goes the same
// way through Globex's button. Each then sees exactly the spaces shared with their organisation; and a
// suspended organisation's sign-in ends with the trigger's message in the app.

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { keys } from '../../functions/data/keys';
import type { TestRuntime } from '../helpers/runtime';
import { browserSuite, expectAccessible, newSession, screenshot, signIn } from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('federation.test.ts');

describeInChromium('partners sign in through their own identity provider', () => {
  let env: BrowserRuntime;
  let rt: TestRuntime;
  let browser: Browser;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!);
    ({ rt, browser } = env);
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  /** The names of the spaces shared with an organisation, from the table (GSI1 of share items). */
  async function sharedWith(org: string): Promise<string[]> {
    const shares = await rt.table.query({ index: 'GSI1', partition: keys.sharedWith(org), limit: 100 });
    const spaces = await rt.table.getMany(shares.items.map((share) => keys.space(String(share.spaceId))));
    return spaces.map((space) => String(space?.name)).sort();
  }

  /** The space names listed under "Shared with my organisation". */
  async function listedSpaces(page: Page): Promise<string[]> {
    await page.goto(`${rt.url}/spaces?scope=directory`);
    await page.locator('.space-list .space-card h2').first().waitFor();
    return (await page.locator('.space-list .space-card h2').allInnerTexts()).map((t) => t.trim()).sort();
  }

  test('pat: app → broker → work e-mail → Acme’s own IdP → broker → app, seeing exactly the spaces shared with Acme', async () => {
    const { page, context, errors } = await newSession(browser);
    const hops: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) hops.push(new URL(frame.url()).pathname);
    });
    await page.goto(`${rt.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { level: 1, name: 'Sign in to Commonplace' }).waitFor();
    await expectAccessible(page, 'broker-sign-in');
    await screenshot(page, 'broker-sign-in');
    await page.getByLabel('Work e-mail').fill('pat@acme.example');
    await page.getByRole('button', { name: 'Continue with my organisation' }).click();

    await page.getByRole('heading', { level: 1, name: 'Acme Supplies sign-in' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/idp\/acme\/interaction\//);
    await expectAccessible(page, 'acme-idp-sign-in');
    await screenshot(page, 'acme-idp-sign-in');
    await page.getByRole('button', { name: /Pat Partner/ }).click();

    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    await page.getByRole('button', { name: /Account menu: Pat Partner External \(acme\)/ }).waitFor();
    // The whole chain: the broker's page, Acme's page, Acme's answer to the broker, the app's callback.
    expect(hops).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/oidc\/interaction\//),
        expect.stringMatching(/^\/idp\/acme\/interaction\//),
        '/auth/callback',
      ]),
    );
    expect(hops.indexOf(hops.find((h) => h.startsWith('/idp/acme/'))!)).toBeGreaterThan(
      hops.indexOf(hops.find((h) => h.startsWith('/oidc/interaction/'))!),
    );

    const shared = await sharedWith('acme');
    expect(shared).toEqual(['Acme supply chain']);
    expect(await listedSpaces(page)).toEqual(shared);
    // A partner gets no member count (it would reveal people they may not see), so none is shown.
    await expect(page.locator('.space-list .space-card .meta').first().innerText()).resolves.not.toMatch(
      /members?\b/,
    );
    await expectAccessible(page, 'pat-shared-spaces');
    await screenshot(page, 'pat-shared-spaces');
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  test('gus: through the "Sign in with Globex Partners" button, seeing exactly the spaces shared with Globex', async () => {
    const { page, context, errors } = await newSession(browser);
    await page.goto(`${rt.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in with Globex Partners' }).click();
    await page.getByRole('heading', { level: 1, name: 'Globex Partners sign-in' }).waitFor();
    await page.getByRole('button', { name: /Gus Guest/ }).click();
    await page.getByRole('button', { name: /Account menu: Gus Guest External \(globex\)/ }).waitFor();

    const shared = await sharedWith('globex');
    expect(shared).toEqual(['Globex pilot']);
    expect(await listedSpaces(page)).toEqual(shared);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  test('a suspended organisation: the app says why sign-in did not complete', async () => {
    await rt.table.update({
      Key: keys.organisation('globex'),
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'suspended' },
    });
    const { page, context } = await newSession(browser);
    try {
      await page.goto(`${rt.url}/`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign in with Globex Partners' }).click();
      await page.getByRole('button', { name: /Gus Guest/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign-in did not complete' }).waitFor();
      await expect(page.getByRole('alert').innerText()).resolves.toMatch(
        /Access for Globex Partners is suspended/,
      );
      await expectAccessible(page, 'partner-refused');
      await screenshot(page, 'partner-refused');
    } finally {
      await context.close();
      await rt.table.update({
        Key: keys.organisation('globex'),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'active' },
      });
    }
  }, 90_000);

  /** The access token the web client holds (its OIDC user, kept in localStorage). */
  async function tokenIn(page: Page): Promise<string> {
    return page.evaluate(() => {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i)!;
        if (key.startsWith('oidc.user:'))
          return JSON.parse(localStorage.getItem(key)!).access_token as string;
      }
      throw new Error('not signed in');
    });
  }

  test('an admin adds a third organisation in the UI; its user signs in through its own IdP with no restart; suspended, his next request fails', async () => {
    const admin = await newSession(browser);
    const ian = await newSession(browser);
    try {
      // Before: Initech is no organisation, so its IdP is offered nowhere.
      await ian.page.goto(`${rt.url}/`);
      await ian.page.getByRole('button', { name: 'Sign in' }).click();
      await ian.page.getByRole('heading', { level: 1, name: 'Sign in to Commonplace' }).waitFor();
      await expect(ian.page.getByRole('button', { name: 'Sign in with Initech' }).count()).resolves.toBe(0);

      await signIn(admin.page, rt.url, 'admin');
      await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
      await admin.page.getByRole('heading', { level: 1, name: 'Partner organisations' }).waitFor();
      await admin.page.getByLabel('Id (lower case, used in URLs)').fill('initech');
      await admin.page.getByLabel('Name', { exact: true }).fill('Initech');
      await admin.page.getByLabel('E-mail domains (comma-separated)').fill('initech.example');
      await admin.page.getByLabel('Issuer URL').fill(`${rt.url}/idp/initech`);
      await admin.page.getByLabel('Client id').fill('commonplace-broker');
      await admin.page.getByLabel('Client secret (stored, never shown again)').fill('local-demo-secret');
      await admin.page.getByRole('button', { name: 'Add organisation' }).click();
      await admin.page.getByRole('heading', { level: 1, name: 'Initech' }).waitFor();

      // Ian, by his work e-mail: the broker finds Initech's domain and provider in the table.
      await ian.page.goto(`${rt.url}/`);
      await ian.page.getByRole('button', { name: 'Sign in' }).click();
      await ian.page.getByLabel('Work e-mail').fill('ian@initech.example');
      await ian.page.getByRole('button', { name: 'Continue with my organisation' }).click();
      await ian.page.getByRole('heading', { level: 1, name: 'Initech sign-in' }).waitFor();
      await ian.page.getByRole('button', { name: /Ian Initech/ }).click();
      await ian.page
        .getByRole('button', { name: /Account menu: Ian Initech External \(initech\)/ })
        .waitFor();
      const token = await tokenIn(ian.page);
      expect((await rt.api(token, 'GET', '/me')).status).toBe(200);

      // Suspended in the UI: the same, unexpired token is refused on its very next request.
      await admin.page.getByRole('button', { name: 'Suspend' }).click();
      await admin.page.getByRole('button', { name: 'Reactivate' }).waitFor();
      const refused = await rt.api(token, 'GET', '/me');
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/suspended/);

      // The audit trail has both changes.
      const audit = await rt.api('admin', 'GET', '/audit?target=organisation%3Ainitech');
      expect(audit.status).toBe(200);
      expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
      expect(ian.errors).toEqual([]);
    } finally {
      await admin.context.close();
      await ian.context.close();
    }
  }, 120_000);
});
