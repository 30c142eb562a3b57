/**
 * Chromium for the browser suite: the system's headless Chromium through `playwright-core` (never
 * Playwright's own download). A missing Chromium is an error, not a skip:
 * a browser suite that silently does not run proves nothing.
 */

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumFlags, chromiumHelp, findChromium } from '../../../scripts/chromium.js';
import { defaultFunctionTimeoutMs, engineCapabilities, type BrowserDriver, type DriverPage, type PageFunction, type WaitOptions } from './driver.js';

/**
 * Starts headless Chromium.
 *
 * @param options - `backForwardCache`: leave the back/forward cache on
 *   (Playwright turns it off by default)
 * @throws Error saying how to get a Chromium when none is found
 */
export async function launchChromium(options: { readonly backForwardCache?: boolean } = {}): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error(`The browser tests need Chromium and none was found. ${chromiumHelp} Or run \`BROWSERS=chromium npx tsx scripts/ensure-browsers.ts\`.`);
  }
  const ignoreDefaultArgs = options.backForwardCache === true ? ['--disable-back-forward-cache'] : [];
  return chromium.launch({ executablePath, args: [...chromiumFlags], ignoreDefaultArgs, timeout: 60_000 });
}

/** A Chromium page: a Playwright page in a browser context of its own. */
class ChromiumPage implements DriverPage {
  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {}

  async evaluate<R, A = undefined>(fn: PageFunction<A, R> | string, arg?: A): Promise<R> {
    return (typeof fn === 'string' ? this.page.evaluate(fn) : this.page.evaluate(fn as (arg: unknown) => R, arg));
  }

  async waitForFunction<R, A = undefined>(fn: PageFunction<A, R>, arg?: A, options: WaitOptions = {}): Promise<{ jsonValue(): Promise<R> }> {
    const handle = await this.page.waitForFunction(fn as (arg: unknown) => R, arg, { timeout: options.timeout ?? defaultFunctionTimeoutMs, polling: 50 });
    return { jsonValue: async () => (await handle.jsonValue()) };
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async goBack(): Promise<void> {
    await this.page.goBack({ waitUntil: 'commit' });
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * Chromium through playwright-core: one browser for the file, one context
 * per page; a page that needs the back/forward cache gets a second browser
 * launched with it on, started the first time one is asked for.
 */
export async function chromiumDriver(): Promise<BrowserDriver> {
  const browser = await launchChromium();
  let cached: Promise<Browser> | undefined;
  return {
    engine: 'chromium',
    capabilities: engineCapabilities.chromium,
    async newPage(options = {}) {
      const owner = options.backForwardCache === true ? await (cached ??= launchChromium({ backForwardCache: true })) : browser;
      const context = await owner.newContext();
      return new ChromiumPage(await context.newPage(), context);
    },
    async close() {
      const second = await cached?.catch(() => undefined);
      await Promise.all([browser.close(), second?.close()]);
    },
  };
}
