/**
 * Any page by URL (an example app, a user's page), read through its DOM:
 * text of an element, a click, waiting until an element shows a text.
 * Only `goto`, `evaluate` and `waitForFunction`, so it ports to any engine
 * the suite drives.
 */

import type { BrowserContext, Page } from 'playwright-core';
import { defaultWaitMs } from './test-page.js';

/** How long a page may take to load. */
const loadTimeoutMs = 20_000;

/** A page opened at a URL, read by CSS selectors. */
export class AppPage {
  /** Uncaught errors in the page, in order. */
  readonly errors: string[] = [];

  private constructor(
    /** The Playwright page. */
    readonly page: Page,
    /** The URL it was opened at. */
    readonly url: string,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /** Opens `url` in a new page of `context` and waits for its `load`. */
  static async open(context: BrowserContext, url: string): Promise<AppPage> {
    const app = new AppPage(await context.newPage(), url);
    await app.page.goto(url, { timeout: loadTimeoutMs });
    return app;
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
      throw new Error(
        `${this.url}: ${selector} did not show ${JSON.stringify(expected)} within ${timeoutMs} ms (it shows ${JSON.stringify(actual)}).` +
          `\nPage errors: ${this.errors.join('; ') || 'none'}`,
        { cause: error },
      );
    }
  }
}
