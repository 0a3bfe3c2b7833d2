// The people directory, the org chart and the HR import in the web client, end to end over the real
// local runtime in Debian's Chromium: the admin imports a small HR file (progress bar, the bad rows
// listed), alice filters the directory and finds a person by type-ahead, opens their org chart (boxes
// and lines), expands a box and re-centres the chart on someone else; the admin sets a manager there.
// axe-core checks every view.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { TestRuntime } from '../helpers/runtime';
import { browserSuite, expectAccessible, type Session, screenshot, settled } from './helpers/browser';
import { type BrowserRuntime, startBrowserRuntime } from './helpers/browser-runtime';

const { chromiumPath, describeInChromium } = browserSuite('people.test.ts');

const HR_FILE = [
  'Work Email,First Name,Last Name,Job Title,Department,Office,Manager Email,Badge Colour',
  'cleo@corp.example,Cleo,Chief,CEO,Board,Oslo,,red',
  'vera@corp.example,Vera,Vice,VP Engineering,Engineering,Oslo,cleo@corp.example,red',
  'walt@corp.example,Walt,Worker,Engineer,Engineering,Bergen,vera@corp.example,red',
  'wendy@corp.example,Wendy,Worker,Engineer,Engineering,Oslo,vera@corp.example,red',
  'walt@corp.example,Walt,Twice,Engineer,Engineering,Oslo,vera@corp.example,red',
  'olly@corp.example,Olly,Orphan,Engineer,Engineering,Oslo,ghost@corp.example,red',
].join('\n');

describeInChromium('people in Chromium', () => {
  let rt: TestRuntime;
  let admin: Session;
  let alice: Session;

  let env: BrowserRuntime;

  beforeAll(async () => {
    env = await startBrowserRuntime(chromiumPath!);
    rt = env.rt;
    admin = await env.signedIn('admin');
    alice = await env.signedIn('alice');
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  test('the admin imports an HR file: a progress bar, the bad rows listed, the rest imported', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByRole('link', { name: 'Import people' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import people' }).waitFor();
    await expectAccessible(page, 'people-import');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hr-')), 'people.csv');
    fs.writeFileSync(file, HR_FILE);
    await page.getByLabel('People file (CSV)').setInputFiles(file);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('progress').getAttribute('value')).resolves.toBe('5');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(
      /5 created, 0 updated, 0 unchanged/,
    );
    const problems = page.getByRole('table', { name: 'Rows not imported as they are' });
    await expect(problems.locator('tbody tr').count()).resolves.toBe(3);
    await expect(problems.textContent()).resolves.toMatch(
      /Badge Colour.*duplicate e-mail.*ghost@corp\.example/s,
    );
    await expectAccessible(page, 'people-import-done');
  });

  test('alice filters the directory, finds a person by type-ahead and opens their org chart', async () => {
    const { page } = alice;
    await page.goto(`${rt.url}/people`);
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByRole('list', { name: 'People' }).waitFor();
    await settled(page);
    await expectAccessible(page, 'people-directory');
    await page.getByLabel('Department').fill('engineering');
    await page.getByLabel('Location').fill('oslo');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/department=engineering/);
    const rows = page.getByRole('list', { name: 'People' }).getByRole('listitem');
    await expect(rows.first().textContent()).resolves.toMatch(/Olly Orphan/);
    await expect(rows.count()).resolves.toBe(3);

    await page.getByRole('combobox', { name: 'Find a person' }).fill('vera');
    await page.getByRole('option', { name: /Vera Vice/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Vera Vice' }).waitFor();
    await page.getByRole('link', { name: 'Org chart' }).click();
    const chart = page.getByRole('navigation', { name: 'Org chart around Vera Vice' });
    await chart.waitFor();
    // Drawn: boxes joined by lines (the tree's pseudo-elements), the person in the middle.
    await expect(chart.locator('.org-box').count()).resolves.toBe(4);
    await expect(chart.locator('.org-current').textContent()).resolves.toMatch(/Vera Vice/);
    // Walt, the first of Vera's two reports: the line over the siblings and the one down to his box.
    const line = await chart
      .locator('li li li')
      .first()
      .evaluate((li) => [
        getComputedStyle(li, '::after').borderTopWidth,
        getComputedStyle(li, '::after').borderLeftWidth,
      ]);
    expect(line).toEqual(['2px', '2px']);
    await screenshot(page, 'org-chart');
    await settled(page);
    await expectAccessible(page, 'org-chart');
    // Re-centre on the CEO, then expand her reports' reports.
    await chart.getByRole('link', { name: 'Cleo Chief' }).click();
    const top = page.getByRole('navigation', { name: 'Org chart around Cleo Chief' });
    await top.waitFor();
    await top.getByRole('button', { name: /Show 2 reports of Vera Vice/ }).click();
    await top.getByRole('link', { name: 'Wendy Worker' }).waitFor();
    await expectAccessible(page, 'org-chart-expanded');
  });

  test('the admin puts a person below a manager from the chart; a cycle is refused', async () => {
    const { page } = admin;
    const olly = (await rt.api('admin', 'GET', '/people/suggest?q=olly')).body.items[0].userId;
    await page.goto(`${rt.url}/people/${olly}/org`);
    await page.getByRole('heading', { level: 1, name: 'Org chart: Olly Orphan' }).waitFor();
    await page.getByRole('combobox', { name: 'New manager' }).fill('vera');
    await page.getByRole('option', { name: /Vera Vice/ }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const chart = page.getByRole('navigation', { name: 'Org chart around Olly Orphan' });
    await chart.getByRole('link', { name: 'Vera Vice' }).waitFor();
    await chart.getByRole('link', { name: 'Cleo Chief' }).click();
    await page.getByRole('heading', { level: 1, name: 'Org chart: Cleo Chief' }).waitFor();
    await page.getByRole('combobox', { name: 'New manager' }).fill('olly');
    await page.getByRole('option', { name: /Olly Orphan/ }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/cycle/);
    await expectAccessible(page, 'org-chart-set-manager-refused');
  });
});
