/**
 * Page lifecycle helpers for the browser suite: firing `freeze` and
 * `resume` on a page, recording the lifecycle events the page itself sees, and
 * what the back/forward cache needs, which the rest of the suite does not
 * give it:
 *
 * - Playwright launches Chromium with `--disable-back-forward-cache`
 *   (CDP `Page.backForwardCacheNotUsed` reports
 *   `BackForwardCacheDisabledByCommandLine`), so a bfcache test needs a
 *   browser launched without that default switch.
 * - The suite's page server answers `Cache-Control: no-store`, which keeps
 *   a page out of the cache (`MainResourceHasCacheControlNoStore`, and with
 *   a WebSocket `WebSocketUsedWithCCNS`), so a bfcache test needs pages
 *   served without it.
 */

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { Page } from 'playwright-core';
import { harnessScript } from './page-scripts.js';
import type { LibraryBuild, PageServer } from './page-server.js';
import { listenOnLoopback } from '../../support/listen.js';

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

/** The lifecycle events the page recorded so far (see {@link lifecycleRecorderScript}). */
export async function lifecycleEntries(page: Page): Promise<LifecycleEntry[]> {
  return page.evaluate(() => (globalThis as unknown as { __lifecycle: LifecycleEntry[] }).__lifecycle);
}

/**
 * Fires `freeze` (or `resume`) on the page's document, as Chromium does when
 * it freezes (or resumes) a page. CDP `Page.setWebLifecycleState` cannot be
 * used here: on the visible pages of headless Chromium 156 it returns
 * success and does nothing (no `freeze` event, timers keep running,
 * `document.visibilityState` stays `visible`). A page that enters the
 * back/forward cache does get real `freeze` / `resume` events.
 */
export async function dispatchLifecycleEvent(page: Page, type: 'freeze' | 'resume'): Promise<void> {
  await page.evaluate((name) => document.dispatchEvent(new Event(name)), type);
}

/** A {@link PageServer} whose pages may enter the back/forward cache, plus a second page to navigate to. */
export interface CacheablePageServer extends PageServer {
  /** A plain page of the same origin, with no script: somewhere to navigate to and come back from. */
  readonly elsewhereUrl: string;
}

const umdBundle = new URL('../../../dist/resilient-websocket.umd.js', import.meta.url);

/** The script-tag page of `page-server.ts`, served without `no-store` (so only the `umd` build). */
const cacheablePage = `<!doctype html><meta charset="utf-8"><title>umd</title>
<script src="/dist/resilient-websocket.umd.js"></script>
<script src="/harness.js"></script>
<script>harness.install(window.ResilientWebSocket, 'umd');</script>`;

/**
 * Serves the `umd` test page, the harness and the library bundle on
 * 127.0.0.1 port 0 with no `Cache-Control` header, so the page is eligible
 * for the back/forward cache.
 */
export async function startCacheablePageServer(): Promise<CacheablePageServer> {
  const bundle = await readFile(umdBundle);
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (type: string, body: string | Buffer): void => {
      response.writeHead(200, { 'content-type': type }).end(body);
    };
    if (pathname === '/umd.html') return send('text/html; charset=utf-8', cacheablePage);
    if (pathname === '/elsewhere.html') return send('text/html; charset=utf-8', '<!doctype html><meta charset="utf-8"><title>elsewhere</title>elsewhere');
    if (pathname === '/harness.js') return send('text/javascript; charset=utf-8', harnessScript);
    if (pathname === '/dist/resilient-websocket.umd.js') return send('text/javascript; charset=utf-8', bundle);
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const port = await listenOnLoopback(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    elsewhereUrl: `${origin}/elsewhere.html`,
    pageUrl: (build: LibraryBuild) => {
      if (build !== 'umd') throw new Error('the cacheable page server serves the umd build only');
      return `${origin}/umd.html`;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
