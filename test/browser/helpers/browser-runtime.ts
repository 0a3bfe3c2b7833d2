/**
 * What most browser suites set up first: the built web client, a local runtime with the demo data
 * (and whatever the suite adds), the stream drained, Chromium, and signed-in sessions on demand.
 */
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { ensureFrontendBuilt } from '../../../frontend/scripts/ensure-built';
import type { LocalRuntimeOptions } from '../../../local/runtime';
import { seedDemoData } from '../../../local/seed';
import { startTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { launchChromium, newSession, type Session, signIn } from './browser';

export interface BrowserRuntime {
  rt: TestRuntime;
  browser: Browser;
  /** A fresh browser profile signed in as the demo account. */
  signedIn(account: string, options?: BrowserContextOptions): Promise<Session>;
  close(): Promise<void>;
}

export async function startBrowserRuntime(
  chromiumPath: string,
  {
    runtime,
    prepare,
  }: {
    runtime?: LocalRuntimeOptions;
    /** Data the suite needs beyond the demo set, written before the stream is drained. */
    prepare?: (rt: TestRuntime) => Promise<void>;
  } = {},
): Promise<BrowserRuntime> {
  await ensureFrontendBuilt();
  const rt = await startTestRuntime(runtime);
  let browser: Browser | undefined;
  try {
    await seedDemoData(rt.table);
    await prepare?.(rt);
    await rt.drain();
    browser = await launchChromium(chromiumPath);
  } catch (error) {
    await rt.close();
    throw error;
  }
  const launched = browser;
  return {
    rt,
    browser: launched,
    async signedIn(account, options) {
      const session = await newSession(launched, options);
      await signIn(session.page, rt.url, account);
      return session;
    },
    async close() {
      await launched.close();
      await rt.close();
    },
  };
}
