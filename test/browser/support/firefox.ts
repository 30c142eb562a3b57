/**
 * Firefox for the browser suite: the system's Firefox ESR, headless,
 * through puppeteer-core over WebDriver BiDi (no geckodriver). One browser
 * per test file, one browser context (BiDi user context) per page. Its
 * offline mode is real network emulation.
 */

import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { engineHelp, findFirefox } from '../../../scripts/browsers.js';
import { defaultFunctionTimeoutMs, engineCapabilities, type BrowserDriver, type DriverPage, type PageFunction, type WaitOptions } from './driver.js';

/** Launching takes 4-5 s on the 2-core machine; the bound keeps headroom for a busy one. */
const launchTimeoutMs = 60_000;

/** A Firefox page in a browser context of its own. */
class FirefoxPage implements DriverPage {
  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {}

  async evaluate<R, A = undefined>(fn: PageFunction<A, R> | string, arg?: A): Promise<R> {
    return (typeof fn === 'string' ? this.page.evaluate(fn) : this.page.evaluate(fn as (arg: unknown) => R, arg)) as Promise<R>;
  }

  async waitForFunction<R, A = undefined>(fn: PageFunction<A, R>, arg?: A, options: WaitOptions = {}): Promise<{ jsonValue(): Promise<R> }> {
    const handle = await this.page.waitForFunction(fn as (arg: unknown) => R, { timeout: options.timeout ?? defaultFunctionTimeoutMs, polling: 50 }, arg);
    return { jsonValue: async () => (await handle.jsonValue()) as R };
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }

  async goBack(): Promise<void> {
    // A page restored from the cache fires no `load`; the test waits for its `pageshow` itself.
    await this.page.evaluate(() => {
      history.back();
    });
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.page.setOfflineMode(offline);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Launches headless Firefox ESR for one test file. */
export async function firefoxDriver(): Promise<BrowserDriver> {
  const executablePath = findFirefox();
  if (executablePath === undefined) throw new Error(`The browser tests need Firefox and none was found. ${engineHelp.firefox}`);
  const browser: Browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true, timeout: launchTimeoutMs });
  return {
    engine: 'firefox',
    capabilities: engineCapabilities.firefox,
    async newPage() {
      const context = await browser.createBrowserContext();
      return new FirefoxPage(await context.newPage(), context);
    },
    async close() {
      await browser.close();
    },
  };
}
