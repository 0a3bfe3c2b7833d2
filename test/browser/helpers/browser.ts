/**
 * Chromium for browser tests: Debian's package (never a downloaded browser), driven by playwright-core,
 * plus the checks every screen gets: axe-core (no serious or critical violation) and a screenshot.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { PARTNER_IDPS } from '../../../local/identity/demo-accounts';
import { noteSkipped } from '../../helpers/skipped';

const require = createRequire(import.meta.url);

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
];

export const INSTALL_HINT = "Install Debian's Chromium with: apt-get update && apt-get install -y chromium";

export function findChromium(): string | undefined {
  return CANDIDATES.find((candidate): candidate is string => !!candidate && fs.existsSync(candidate));
}

/**
 * What every browser suite does first: find Chromium; without it, note the suite as skipped (with the
 * command that installs it) — except on CI, where a missing Chromium fails the run. Returns the path
 * (undefined when missing) and the `describe` to use (`describe.skip` when missing).
 */
export function browserSuite(file: string): {
  chromiumPath: string | undefined;
  describeInChromium: (name: string, body: () => void) => void;
} {
  const chromiumPath = findChromium();
  const inCi = process.env.CI === 'true';
  if (!chromiumPath && !inCi)
    noteSkipped(file, 'Chromium was not found', 'apt-get update && apt-get install -y chromium');
  test('Chromium is installed for the browser tests', () => {
    if (!chromiumPath && inCi) throw new Error(`Chromium is missing on CI. ${INSTALL_HINT}`);
  });
  return { chromiumPath, describeInChromium: chromiumPath ? describe : describe.skip };
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Messages of every JavaScript dialog (alert, confirm, prompt) the pages opened. */
  dialogs: string[];
  /** Uncaught errors in the pages. */
  errors: string[];
}

/** A fresh browser profile (own cookies and storage) with one page, watching for dialogs and errors. */
export async function newSession(browser: Browser, options: BrowserContextOptions = {}): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const dialogs: string[] = [];
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    page.on('pageerror', (error) => errors.push(error.message));
    trackRequests(page);
  };
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page, dialogs, errors };
}

/**
 * Signs in through the app's button: an employee picks their account at the local broker; a partner
 * presses "Sign in with <organisation>" there and picks their account at the organisation's own IdP.
 */
export async function signIn(page: Page, baseUrl: string, account: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const partner = PARTNER_IDPS.find((idp) => idp.users.some((user) => user.id === account));
  if (partner) {
    await page.getByRole('button', { name: `Sign in with ${partner.name}` }).click();
    await page.getByRole('heading', { level: 1, name: `${partner.name} sign-in` }).waitFor();
  }
  await page.locator(`button[name="account"][value="${account}"]`).click();
  await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact?: string;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core on the page as it is now; fails on any serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol, not added as a <script>: the page's Content-Security-Policy
  // (the production one, script-src 'self') rightly refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  expect({ screen, violations: report }).toEqual({ screen, violations: [] });
}

export const screenshotDir = path.join(process.cwd(), 'test-artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Requests in flight per page, without the live notification stream: that one stays open as long as the
 * app runs, so Playwright's 'networkidle' (no request for 500 ms) would never come.
 */
const inFlight = new WeakMap<Page, Set<unknown>>();
const LONG_LIVED = /\/api\/me\/notifications\/stream$/;

function trackRequests(page: Page) {
  const pending = new Set<unknown>();
  inFlight.set(page, pending);
  page.on('request', (request) => {
    if (!LONG_LIVED.test(new URL(request.url()).pathname)) pending.add(request);
  });
  page.on('requestfinished', (request) => pending.delete(request));
  page.on('requestfailed', (request) => pending.delete(request));
}

/** Like 'networkidle', not counting the live stream: no request in flight for 500 ms. */
async function networkIdle(page: Page, timeoutMs = 30_000) {
  const pending = inFlight.get(page);
  if (!pending) return page.waitForLoadState('networkidle');
  await page.waitForLoadState('load');
  const deadline = Date.now() + timeoutMs;
  let idleSince = pending.size === 0 ? Date.now() : 0;
  while (!idleSince || Date.now() - idleSince < 500) {
    if (Date.now() > deadline)
      throw new Error(`${pending.size} requests still in flight after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (pending.size > 0) idleSince = 0;
    else if (!idleSince) idleSince = Date.now();
  }
}

/** Waits until nothing on the page says it is loading. */
export async function settled(page: Page): Promise<void> {
  await networkIdle(page);
  await page
    .locator('.state-loading')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
}
