/**
 * Any page by URL (an example app, a user's page), read through its DOM:
 * text of an element, a click, waiting until an element shows a text.
 * Built on the driver-neutral page (`evaluate`, `waitForFunction`), so it
 * runs in every engine the suite drives.
 */

import type { DriverPage } from './driver.js';
import { defaultWaitMs } from './test-page.js';

/** What the error recorder installed after `load` keeps in the page. */
interface RecorderGlobals {
  __appErrors?: string[];
}

/** A page opened at a URL, read by CSS selectors. */
export class AppPage {
  private constructor(
    /** The engine's page. */
    readonly page: DriverPage,
    /** The URL it was opened at. */
    readonly url: string,
  ) {}

  /**
   * Wraps `page`, already at `url`, and starts recording its uncaught errors
   * and unhandled rejections. An app page carries no probe script of its own,
   * and classic WebDriver has no init scripts, so errors thrown before `load`
   * are not recorded; an app broken at load shows as a page that never
   * reaches the state a test waits for.
   */
  static async open(page: DriverPage, url: string): Promise<AppPage> {
    await page.evaluate(() => {
      const errors: string[] = ((globalThis as RecorderGlobals).__appErrors = []);
      window.addEventListener('error', (event) => errors.push(String(event.message || event.error)));
      window.addEventListener('unhandledrejection', (event) => errors.push(`unhandled rejection: ${String(event.reason)}`));
    });
    return new AppPage(page, url);
  }

  /** Uncaught errors recorded in the page since it was opened, in order. */
  async errors(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as RecorderGlobals).__appErrors ?? []);
  }

  /** The text of the first element that matches `selector`, or `null` if none does. */
  async text(selector: string): Promise<string | null> {
    return this.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
  }

  /** Clicks the first element that matches `selector`. */
  async click(selector: string): Promise<void> {
    await this.page.evaluate((s) => {
      const element = document.querySelector(s);
      if (!(element instanceof HTMLElement)) throw new Error(`no element matches ${s}`);
      element.click();
    }, selector);
  }

  /**
   * Waits until the first element that matches `selector` has exactly the
   * text `expected` (trimmed).
   *
   * @throws Error with the text it had, and the page's errors, when it does not come within `timeoutMs`
   */
  async waitForText(selector: string, expected: string, timeoutMs = defaultWaitMs): Promise<void> {
    try {
      await this.page.waitForFunction(([s, e]) => document.querySelector(s)?.textContent?.trim() === e, [selector, expected] as const, { timeout: timeoutMs });
    } catch (error) {
      const actual = await this.text(selector).catch(() => null);
      const errors = await this.errors().catch(() => []);
      throw new Error(
        `${this.url}: ${selector} did not show ${JSON.stringify(expected)} within ${timeoutMs} ms (it shows ${JSON.stringify(actual)}).` +
          `\nPage errors: ${errors.join('; ') || 'none'}`,
        { cause: error },
      );
    }
  }
}
