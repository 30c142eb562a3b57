/**
 * The driver-neutral layer of the browser suite: what the fixture needs
 * from a browser, whichever engine and automation protocol is behind it.
 * Three implementations: `chromium.ts` (playwright-core over CDP),
 * `firefox.ts` (puppeteer-core over WebDriver BiDi) and `webkit.ts`
 * (webdriverio over classic WebDriver, WebKitGTK on a Broadway display).
 *
 * {@link DriverPage}'s `evaluate`, `waitForFunction` and `goto` have
 * Playwright's shapes, so fixture code written against a Playwright `Page`
 * with only those three keeps working in every engine.
 */

import type { EngineName } from '../../../scripts/browsers.js';

/** A function run in the page: its source is sent, so it may use nothing from the test's scope. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

/** How an engine takes a page offline. */
export type OfflineMode =
  /** The browser's own network emulation: `navigator.onLine` false, `offline` fired, new connections fail. */
  | 'emulated'
  /** No network emulation: `navigator.onLine` overridden and `offline` dispatched in the page; the test cuts the line itself. */
  | 'simulated';

/** What an engine can do, for a scenario to adapt and to say so in its output. */
export interface EngineCapabilities {
  /** How {@link DriverPage.setOffline} works in this engine. */
  readonly offline: OfflineMode;
}

/** The bound of {@link DriverPage.waitForFunction} when none is given (Playwright's default). */
export const defaultFunctionTimeoutMs = 30_000;

/** Options of {@link DriverPage.waitForFunction}. */
export interface WaitOptions {
  readonly timeout?: number;
}

/** What each engine can do here, known before it is launched. */
export const engineCapabilities: Readonly<Record<EngineName, EngineCapabilities>> = {
  chromium: { offline: 'emulated' },
  firefox: { offline: 'emulated' },
  webkit: { offline: 'simulated' },
};

/** A page opened by a driver, on a blank document until {@link goto}. */
export interface DriverPage {
  /** Runs `fn(arg)` (or a script's source text) in the page and returns its JSON-serializable result. */
  evaluate<R, A = undefined>(fn: PageFunction<A, R> | string, arg?: A): Promise<R>;
  /** Polls `fn(arg)` in the page until it returns a truthy value (at most `timeout` ms, default {@link defaultFunctionTimeoutMs}), then hands that value over. */
  waitForFunction<R, A = undefined>(fn: PageFunction<A, R>, arg?: A, options?: WaitOptions): Promise<{ jsonValue(): Promise<R> }>;
  /** Navigates to `url` and waits for its `load`. */
  goto(url: string): Promise<void>;
  /** Goes back one history entry and returns once the navigation is committed (a page restored from the cache fires no `load`). */
  goBack(): Promise<void>;
  /** Takes the page offline, or brings it back; see {@link EngineCapabilities.offline}. */
  setOffline(offline: boolean): Promise<void>;
  /** Closes the page and whatever was opened for it alone. */
  close(): Promise<void>;
}

/** Options of {@link BrowserDriver.newPage}. */
export interface NewPageOptions {
  /** Open the page in a browser whose back/forward cache is on (Chromium needs a browser of its own for that). */
  readonly backForwardCache?: boolean;
}

/** One engine, launched for one test file. */
export interface BrowserDriver {
  readonly engine: EngineName;
  readonly capabilities: EngineCapabilities;
  /** A page isolated from the others (its own network state, cookies and web process where the engine allows). */
  newPage(options?: NewPageOptions): Promise<DriverPage>;
  /** Stops everything the driver started, each process by its own id. */
  close(): Promise<void>;
}

/**
 * Takes a page offline without network emulation: `navigator.onLine` is
 * overridden on `Navigator.prototype` and `offline` / `online` dispatched
 * on `window`, as the browser would.
 */
export const simulateOnLine = (online: boolean): void => {
  Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => online });
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
};

/** Polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes (then throws). */
export async function pollUntil<R>(check: () => Promise<R | null | undefined | false>, timeoutMs: number, intervalMs = 50): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
