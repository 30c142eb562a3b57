/**
 * Page lifecycle in the browser suite: the recorder every test page runs
 * first (see `page-server.ts`), and what it records. Tests reach it through
 * `TestPage.lifecycle()`, fire `freeze` / `resume` with
 * `TestPage.dispatchLifecycleEvent()`, and put a page in the back/forward
 * cache with `suite.page(build, { backForwardCache: true })`, `goto` and
 * `goBack`.
 *
 * - `freeze` / `resume` are dispatched on the document, in every engine: CDP
 *   `Page.setWebLifecycleState` does nothing to the visible pages of
 *   headless Chromium 156 (no event, timers keep running), and neither
 *   WebDriver BiDi nor classic WebDriver can freeze a page.
 * - The back/forward cache: Playwright launches Chromium with
 *   `--disable-back-forward-cache`, so a page that needs the cache gets a
 *   browser launched without it; and `Cache-Control: no-store` keeps a
 *   page out of Chromium's cache, so such pages come from a page server
 *   that does not send it.
 */

/** A lifecycle event as the page recorded it. */
export interface LifecycleEntry {
  /** `pageshow`, `pagehide`, `freeze`, `resume` or `visibilitychange`. */
  readonly type: string;
  /** `event.persisted` for `pageshow` / `pagehide`, else `null`. */
  readonly persisted: boolean | null;
  /** `document.visibilityState` when it was recorded. */
  readonly visibility: string;
  /** `performance.now()` in the page. */
  readonly t: number;
  /** `Date.now()` in the page. */
  readonly at: number;
}

/**
 * Installs `window.__lifecycle`: every `pageshow`, `pagehide`, `freeze`,
 * `resume` and `visibilitychange` the page sees, in order. Idempotent; run
 * it as an init script (before the page's own scripts) or by `evaluate`.
 */
export const lifecycleRecorderScript = String.raw`(() => {
  if (window.__lifecycle) return;
  const entries = [];
  Object.defineProperty(window, '__lifecycle', { value: entries });
  const record = (event) => entries.push({
    type: event.type,
    persisted: typeof event.persisted === 'boolean' ? event.persisted : null,
    visibility: document.visibilityState,
    t: performance.now(),
    at: Date.now(),
  });
  for (const type of ['pageshow', 'pagehide']) window.addEventListener(type, record);
  for (const type of ['freeze', 'resume', 'visibilitychange']) document.addEventListener(type, record);
})();`;
