/**
 * Tabs for the browser suite: several pages of one origin in one browser
 * context, so they share Web Locks and BroadcastChannel as a user's tabs
 * do (the suite's own pages are isolated from each other on purpose).
 *
 * - Chromium (playwright-core): one browser context per group, a page per tab.
 * - Firefox (puppeteer-core over BiDi): one browser context (user context) per group, a page per tab.
 * - WebKitGTK (classic WebDriver): one session per group, a window per tab,
 *   each opened from the group's first tab by activating a `target=_blank`
 *   link (windows the driver opens with `newWindow` share BroadcastChannel
 *   but not the lock queue: every window got the same Web Locks `clientId`
 *   and each was granted the held lock); `switchToWindow` before each
 *   command: a session runs commands in one window at a time, so the group
 *   serializes them.
 *
 * Also the page server of the tab pages: `/tabs.html` loads
 * `resilient-websocket/tabs` from dist/ through an import map.
 */

import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium as playwright, type Browser as ChromiumBrowser } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { engineHelp, findFirefox, findWebKit, type EngineName } from '../../../scripts/browsers.js';
import { chromiumFlags, chromiumHelp, findChromium } from '../../../scripts/chromium.js';
import { listenOnLoopback } from '../../support/listen.js';
import { pollUntil, type PageFunction } from './driver.js';
import { freePort, runInPage, startProcess, stopProcess, withRetries, type Session } from './webkit.js';

/** One tab of a group. */
export interface BrowserTab {
  /** Runs `fn(arg)` in the tab and returns its JSON-serializable result. */
  evaluate<R, A = undefined>(fn: PageFunction<A, R>, arg?: A): Promise<R>;
  /** Polls `fn(arg)` until it returns a truthy value (at most `timeoutMs`), and returns it. */
  waitFor<R, A = undefined>(fn: PageFunction<A, R>, arg?: A, timeoutMs?: number): Promise<R>;
  /** Navigates the tab to `url` (its `load` awaited), as a user follows a link. */
  goto(url: string): Promise<void>;
  /** Goes back in the tab's history; the caller waits for what the page shows (a page restored from the cache fires no `load`). */
  goBack(): Promise<void>;
  /** Closes the tab, as a user closes it. */
  close(): Promise<void>;
}

/** Tabs sharing one browser context. */
export interface TabGroup {
  /** Opens `url` in a new tab of the group and waits for its `load`. */
  open(url: string): Promise<BrowserTab>;
  /** Closes every tab and the context. */
  close(): Promise<void>;
}

/** A launched browser that makes tab groups. */
export interface TabBrowser {
  group(): Promise<TabGroup>;
  close(): Promise<void>;
}

const defaultWaitMs = 15_000;

/** Serializes calls: a WebDriver session runs one window's commands at a time. */
function serial(): <T>(run: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
}

function tabOf(evaluate: BrowserTab['evaluate'], navigation: Pick<BrowserTab, 'goto' | 'goBack' | 'close'>): BrowserTab {
  return {
    evaluate,
    waitFor: (fn, arg, timeoutMs = defaultWaitMs) => pollUntil(() => evaluate(fn, arg), timeoutMs),
    ...navigation,
  };
}

/** `history.back()` in the page, for drivers whose own "back" waits for a `load` that a restored page never fires. */
const historyBack = (evaluate: BrowserTab['evaluate']) => (): Promise<void> =>
  evaluate(() => {
    history.back();
  });

async function chromiumTabs(): Promise<TabBrowser> {
  const executablePath = findChromium();
  if (executablePath === undefined) throw new Error(`The browser tests need Chromium and none was found. ${chromiumHelp}`);
  // With the back/forward cache on (Playwright turns it off), so that a tab can enter it.
  const browser: ChromiumBrowser = await playwright.launch({ executablePath, args: [...chromiumFlags], ignoreDefaultArgs: ['--disable-back-forward-cache'], timeout: 60_000 });
  return {
    async group() {
      const context = await browser.newContext();
      return {
        async open(url) {
          const page = await context.newPage();
          await page.goto(url);
          return tabOf((fn, arg) => page.evaluate(fn as (arg: unknown) => never, arg), {
            goto: async (target) => {
              await page.goto(target);
            },
            goBack: async () => {
              await page.goBack({ waitUntil: 'commit' });
            },
            close: () => page.close(),
          });
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function firefoxTabs(): Promise<TabBrowser> {
  const executablePath = findFirefox();
  if (executablePath === undefined) throw new Error(`The browser tests need Firefox and none was found. ${engineHelp.firefox}`);
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true, timeout: 60_000 });
  return {
    async group() {
      const context = await browser.createBrowserContext();
      return {
        async open(url) {
          const page = await context.newPage();
          await page.goto(url, { waitUntil: 'load' });
          const evaluate: BrowserTab['evaluate'] = (fn, arg) => page.evaluate(fn as (arg: unknown) => never, arg);
          const goto = async (target: string): Promise<void> => {
            await page.goto(target, { waitUntil: 'load' });
          };
          return tabOf(evaluate, { goto, goBack: historyBack(evaluate), close: () => page.close() });
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function webkitTabs(): Promise<TabBrowser> {
  const executables = findWebKit();
  if (executables === undefined) throw new Error(`The browser tests need WebKitGTK and it was not found. ${engineHelp.webkit}`);
  const runtimeDir = await mkdtemp(path.join(tmpdir(), 'webkit-runtime-'));
  await chmod(runtimeDir, 0o700);
  const baseEnv = { ...process.env, XDG_RUNTIME_DIR: runtimeDir };
  let display = '';
  const broadway = await withRetries(async () => {
    const port = await freePort();
    display = `:${(port % 30_000) + 1_000}`;
    return startProcess(executables.broadwayd, ['-a', '127.0.0.1', '-p', String(port), display], baseEnv, 'Listening on');
  });
  const driverEnv = { ...baseEnv, GDK_BACKEND: 'broadway', BROADWAY_DISPLAY: display };
  const groups = new Set<TabGroup>();
  return {
    async group() {
      const { driver, session } = await withRetries(async () => {
        const port = await freePort();
        const started: ChildProcess = await startProcess(executables.driver, [`--port=${port}`, '--host=127.0.0.1'], driverEnv, port);
        try {
          const opened: Session = await remote({
            hostname: '127.0.0.1',
            port,
            path: '/',
            logLevel: 'error',
            connectionRetryCount: 0,
            capabilities: {
              browserName: 'MiniBrowser',
              'wdio:enforceWebDriverClassic': true,
              ...{ 'webkitgtk:browserOptions': { binary: executables.browser, args: ['--automation'] } },
            },
          });
          await opened.setTimeout({ script: 120_000 });
          return { driver: started, session: opened };
        } catch (error) {
          await stopProcess(started);
          throw error;
        }
      });
      const run = serial();
      let blank: string | undefined = await session.getWindowHandle(); // the session's first window is the first tab
      const open = new Set<string>();
      let first: string | undefined;
      /**
       * Opens `url` from the group's first tab, by a click on a `target=_blank` link, and waits
       * for its `load`. A window the driver opens (`newWindow`) is a web
       * view of its own, whose Web Locks the browser confuses with the
       * other windows' (every window became leader, one connection each);
       * a window opened from a page shares its web process and browsing
       * context group, as a tab opened from a link does.
       */
      const openFromFirst = async (url: string): Promise<string> => {
        if (first === undefined || !open.has(first)) throw new Error('WebKit tabs are opened from the group’s first tab, and it is closed');
        await session.switchToWindow(first);
        await session.setWindowRect(0, 0, 800, 600).catch(() => undefined); // a window on the Broadway display may have no size, and nothing in it is clickable
        const before = new Set(await session.getWindowHandles());
        // A click on a link, as a user opens a tab: a script's window.open() without a gesture is blocked.
        await session.execute((target: string) => {
          const link = document.createElement('a');
          link.id = 'open-tab';
          link.href = target;
          link.target = '_blank';
          link.textContent = 'open a tab';
          link.style.cssText = 'position:fixed;left:0;top:0;z-index:2147483647;display:block;width:200px;height:40px;background:#fff';
          document.body.append(link);
        }, url);
        await session.execute(() => document.getElementById('open-tab')?.focus());
        await session.performActions([{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: '\uE007' }, { type: 'keyUp', value: '\uE007' }] }]);
        await session.execute(() => document.getElementById('open-tab')?.remove());
        const handle = await pollUntil(async () => (await session.getWindowHandles()).find((candidate) => !before.has(candidate)), defaultWaitMs);
        await session.switchToWindow(handle);
        await pollUntil(() => session.execute(() => document.readyState === 'complete' && location.href !== 'about:blank'), defaultWaitMs);
        return handle;
      };
      const group: TabGroup = {
        open: (url) =>
          run(async () => {
            let handle = blank;
            blank = undefined;
            if (handle === undefined) handle = await openFromFirst(url);
            else {
              await session.switchToWindow(handle);
              await session.url(url);
              first = handle;
            }
            open.add(handle);
            const window = handle;
            const evaluate = <R, A>(fn: PageFunction<A, R>, arg?: A): Promise<R> =>
              run(async () => {
                await session.switchToWindow(window);
                const payload: unknown = arg ?? null;
                const result = (await session.execute(runInPage, String(fn), true, payload)) as { value?: R; error?: string };
                if (result.error !== undefined) throw new Error(`evaluate failed in WebKit: ${result.error}`);
                return result.value as R;
              });
            return tabOf(evaluate, {
              goto: (target) =>
                run(async () => {
                  await session.switchToWindow(window);
                  await session.url(target);
                }),
              goBack: historyBack(evaluate),
              close: () =>
                run(async () => {
                  await session.switchToWindow(window);
                  await session.closeWindow();
                  open.delete(window);
                }),
            });
          }),
        async close() {
          groups.delete(group);
          try {
            await session.deleteSession();
          } finally {
            await stopProcess(driver);
          }
        },
      };
      groups.add(group);
      return group;
    },
    async close() {
      await Promise.allSettled([...groups].map((group) => group.close()));
      await stopProcess(broadway);
      await rm(runtimeDir, { recursive: true, force: true });
    },
  };
}

/** Launches `engine` for tab groups. */
export function launchTabs(engine: EngineName): Promise<TabBrowser> {
  return { chromium: chromiumTabs, firefox: firefoxTabs, webkit: webkitTabs }[engine]();
}

const distDir = fileURLToPath(new URL('../../../dist/', import.meta.url));

/**
 * The tab page: a `TabSharedWebSocket` to `?ws=`, recording into
 * `window.tab` its mode (and when it changed), state, messages (binary
 * ones as `<Blob n>`), close reports, `reconnecting` events, and its
 * `pagehide` / `pageshow` events (a page restored from the back/forward
 * cache still has them).
 *
 * With `?probe`, the page also tells the other tabs, on a channel of its
 * own, when it starts a navigation (`tab.navigate(url)`) and each
 * `beforeunload`, `pagehide`, `visibilitychange` and `pageshow` it sees,
 * with its `Date.now()`; every tab records what it heard, and when, in
 * `tab.heard`. That timeline shows where a hand-over's time goes after
 * the leading page is gone. (Without `?probe` no listener is added: a
 * page meant for the back/forward cache has no channel of its own left open.)
 */
const tabsPage = `<!doctype html><meta charset="utf-8"><title>tab</title>
<script type="importmap">{ "imports": { "resilient-websocket": "/dist/index.js" } }</script>
<script type="module">
import { TabSharedWebSocket } from '/dist/tabs/index.js';
const ws = new TabSharedWebSocket(new URLSearchParams(location.search).get('ws'), undefined, { reconnect: { minDelayMs: 200, maxDelayMs: 1000 } });
const describe = (data) => typeof data === 'string' ? data : '<' + data.constructor.name + ' ' + (data.size ?? data.byteLength) + '>';
const tab = { ws, messages: [], closes: [], reconnecting: [], opens: 0, modes: [ws.mode], modeTimes: [Date.now()], errors: [], heard: [], lifecycle: [] };
for (const type of ['pagehide', 'pageshow']) addEventListener(type, (event) => tab.lifecycle.push({ type, persisted: event.persisted, at: Date.now() }));
if (new URLSearchParams(location.search).has('probe')) {
  const probe = new BroadcastChannel('tabs-probe');
  const tell = (type, extra = {}) => probe.postMessage({ type, mode: ws.mode, at: Date.now(), visibility: document.visibilityState, ...extra });
  probe.onmessage = (event) => tab.heard.push({ ...event.data, heardAt: Date.now() });
  ws.addEventListener('modechange', () => tab.heard.push({ type: 'modechange:' + ws.mode, at: Date.now(), heardAt: Date.now() }));
  for (const type of ['beforeunload', 'pagehide', 'pageshow']) addEventListener(type, (event) => tell(type, { persisted: event.persisted ?? null }));
  document.addEventListener('visibilitychange', () => tell('visibilitychange'));
  tab.navigate = (url) => { tell('navigate'); location.assign(url); };
}
ws.addEventListener('message', (event) => tab.messages.push(describe(event.data)));
ws.addEventListener('open', () => tab.opens++);
ws.addEventListener('close', (event) => tab.closes.push(event.report));
ws.addEventListener('reconnecting', (event) => tab.reconnecting.push({ attempt: event.attempt, delayMs: event.delayMs }));
ws.addEventListener('modechange', () => { tab.modes.push(ws.mode); tab.modeTimes.push(Date.now()); });
addEventListener('error', (event) => tab.errors.push(String(event.message)));
addEventListener('unhandledrejection', (event) => tab.errors.push(String(event.reason)));
tab.status = () => ({ mode: ws.mode, state: ws.state, opens: tab.opens, messages: tab.messages.length, errors: tab.errors });
window.tab = tab;
</script>`;

/** A running server of tab pages. */
export interface TabsPageServer {
  /** The tab page connecting to `wsUrl`; `probe` and `bfcache` (served without `no-store`) are flags of the page's query. */
  pageUrl(wsUrl: string, flags?: readonly ('probe' | 'bfcache')[]): string;
  /** A page of the same origin without the library, to navigate to (`?delayMs=` answers that much later, at most 10 s). */
  readonly elsewhereUrl: string;
  close(): Promise<void>;
}

/** Starts the server of tab pages on 127.0.0.1, port 0. */
export async function startTabsPageServer(): Promise<TabsPageServer> {
  const server = http.createServer((request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://127.0.0.1');
    // `no-store` keeps a page out of Chromium's back/forward cache: a tab page with `?bfcache` is served without it.
    const cacheable = pathname === '/elsewhere.html' || searchParams.has('bfcache');
    const send = (status: number, type: string, body: string | Buffer): void =>
      void response.writeHead(status, { 'content-type': type, ...(cacheable ? {} : { 'cache-control': 'no-store' }) }).end(body);
    if (pathname === '/tabs.html') return send(200, 'text/html; charset=utf-8', tabsPage);
    if (pathname === '/elsewhere.html') {
      // `?delayMs=` answers late, as a slow server does: the old page stays until the new one's response arrives.
      const delayMs = Math.min(Math.max(Number(searchParams.get('delayMs')) || 0, 0), 10_000);
      setTimeout(() => send(200, 'text/html; charset=utf-8', '<!doctype html><meta charset="utf-8"><title>elsewhere</title>elsewhere'), delayMs);
      return;
    }
    const relative = path.posix.normalize(pathname.replace(/^\/dist\//, ''));
    if (!pathname.startsWith('/dist/') || relative.startsWith('..') || !relative.endsWith('.js')) return send(404, 'text/plain', 'not found');
    readFile(path.join(distDir, relative)).then(
      (body) => send(200, 'text/javascript; charset=utf-8', body),
      () => send(404, 'text/plain', `dist/${relative} is missing: run \`npm run build\``),
    );
  });
  const port = await listenOnLoopback(server);
  return {
    pageUrl: (wsUrl, flags = []) => `http://127.0.0.1:${port}/tabs.html?ws=${encodeURIComponent(wsUrl)}${flags.map((flag) => `&${flag}`).join('')}`,
    elsewhereUrl: `http://127.0.0.1:${port}/elsewhere.html`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
