/**
 * The fixture of a browser test file: one browser (of the file's engine)
 * and one page server for the file, and servers, proxies and pages per
 * test, all torn down after each test whether it passed or not.
 *
 * How a scenario runs in all three engines: it does nothing. Every
 * `test/browser/*.test.ts` file that calls `useBrowserSuite()` runs once
 * per engine, because `vitest.config.ts` declares one test project per
 * engine (`chromium`, `firefox`, `webkit`, one after another) over those
 * files and hands each its engine (`inject('engine')`). Write the scenario
 * against this fixture only (`suite.page()`, `TestPage`, `PageClient`, and
 * `page.page`'s `evaluate` / `waitForFunction` / `goto`), put
 * `suite.engineTitle` in its `describe` title, and where an engine cannot
 * do something (see `suite.capabilities`), print so with
 * {@link printFigure} and assert what the engine does show; never skip.
 * A browser test outside `test/browser/` must be added to
 * `browserTestFiles` in `vitest.config.ts`. `BROWSERS=firefox npm test`
 * (or `npx vitest run --project firefox <file>`) runs one engine.
 *
 * @example
 * ```ts
 * const suite = useBrowserSuite(); // at the top of a test file
 * describe(`a crash, seen from ${suite.engineTitle}`, () => {
 *   it('...', async () => {
 *     const server = await suite.server();
 *     const proxy = await suite.proxy(server.port);
 *     const page = await suite.page('umd');
 *     const client = await page.client('a', `ws://127.0.0.1:${proxy.port}/`);
 *     await client.waitFor({ type: 'open' });
 *   });
 * });
 * ```
 */

import { afterAll, afterEach, inject } from 'vitest';
import { engineTitles, type EngineName } from '../../../scripts/browsers.js';
import { FaultProxy } from '../../../tools/fault-proxy.js';
import { startServer, type TestServer, type TestServerOptions } from '../../support/ws-server.js';
import { AppPage } from './app-page.js';
import { chromiumDriver } from './chromium.js';
import { engineCapabilities, type BrowserDriver, type DriverPage, type EngineCapabilities } from './driver.js';
import { firefoxDriver } from './firefox.js';
import { startPageServer, type LibraryBuild, type PageServer } from './page-server.js';
import { TestPage } from './test-page.js';
import { webkitDriver } from './webkit.js';

declare module 'vitest' {
  /** What `vitest.config.ts` hands each browser test project. */
  export interface ProvidedContext {
    /** The engine the project's browser tests run in. */
    engine: EngineName;
  }
}

/** Options of {@link BrowserSuite.page}. */
export interface PageOptions {
  /** Serve the page so it may enter the back/forward cache (no `no-store`; in Chromium, a browser with the cache on). */
  readonly backForwardCache?: boolean;
}

/** What a browser test uses; everything it hands out is closed after the test. */
export interface BrowserSuite {
  /** The engine this run of the file is in. */
  readonly engine: EngineName;
  /** Its name for titles and printed lines: `Chromium`, `Firefox` or `WebKit`. */
  readonly engineTitle: string;
  /** What the engine can do under automation (offline emulated or simulated). */
  readonly capabilities: EngineCapabilities;
  /** A `ws` server on 127.0.0.1:0 (echo, `ping` → `pong`, crash, stop, restart...). */
  server(options?: TestServerOptions): Promise<TestServer>;
  /** A fault proxy on 127.0.0.1:0 forwarding to `targetPort`. */
  proxy(targetPort: number): Promise<FaultProxy>;
  /**
   * A page that loads `build`, isolated from the test's other pages (its own
   * network state and cookies; in WebKit its own browser), so pages act as
   * separate browsers. An uncaught error in it fails the test.
   */
  page(build?: LibraryBuild, options?: PageOptions): Promise<TestPage>;
  /**
   * A page of the file's engine at any `url` (an example app, say), with no
   * harness: drive it with `evaluate`, `waitForFunction` and `goto`.
   * Isolated like {@link BrowserSuite.page}; closed after the test.
   */
  openPage(url: string): Promise<DriverPage>;
  /**
   * Any page by URL (an example app) in the file's engine, read through its
   * DOM. An uncaught error in it after its `load` fails the test.
   */
  open(url: string): Promise<AppPage>;
  /** Runs `teardown` after the test (last registered, first run). */
  defer(teardown: () => unknown): void;
}

const drivers: Readonly<Record<EngineName, () => Promise<BrowserDriver>>> = { chromium: chromiumDriver, firefox: firefoxDriver, webkit: webkitDriver };

/** The engine of the running test project. */
function currentEngine(): EngineName {
  const engine = inject('engine') as EngineName | undefined;
  if (engine === undefined) {
    throw new Error('This file uses the browser suite but runs outside a browser test project: add it to browserTestFiles in vitest.config.ts.');
  }
  return engine;
}

/**
 * Registers the hooks of a browser test file and returns its fixture.
 * The browser and the page servers start with the first page a test asks
 * for and serve the whole file; a missing browser fails every test that
 * needs it, with the error saying how to get one (a failing `beforeAll`
 * would only mark the tests skipped).
 */
export function useBrowserSuite(): BrowserSuite {
  const engine = currentEngine();
  let started: Promise<{ driver: BrowserDriver; pageServer: PageServer; cacheable: PageServer }> | undefined;
  const teardowns: (() => unknown)[] = [];

  const start = async (): Promise<{ driver: BrowserDriver; pageServer: PageServer; cacheable: PageServer }> => {
    const [driver, pageServer, cacheable] = await Promise.allSettled([drivers[engine](), startPageServer(), startPageServer({ cacheable: true })]);
    if (driver.status === 'fulfilled' && pageServer.status === 'fulfilled' && cacheable.status === 'fulfilled') {
      return { driver: driver.value, pageServer: pageServer.value, cacheable: cacheable.value };
    }
    for (const running of [driver, pageServer, cacheable]) if (running.status === 'fulfilled') await running.value.close();
    throw [driver, pageServer, cacheable].map((result) => (result.status === 'rejected' ? (result.reason as unknown) : undefined)).find(Boolean);
  };

  afterEach(async () => {
    const failures: unknown[] = [];
    for (let teardown = teardowns.pop(); teardown; teardown = teardowns.pop()) {
      try {
        await teardown();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'teardown failed');
  });

  afterAll(async () => {
    const running = await started?.catch(() => undefined);
    await running?.driver.close();
    await running?.pageServer.close();
    await running?.cacheable.close();
  }, 60_000);

  const defer = (teardown: () => unknown): void => {
    teardowns.push(teardown);
  };

  const openPage = async (url: string): Promise<DriverPage> => {
    started ??= start();
    const { driver } = await started;
    const page = await driver.newPage();
    defer(() => page.close());
    await page.goto(url);
    return page;
  };

  return {
    engine,
    engineTitle: engineTitles[engine],
    capabilities: engineCapabilities[engine],
    async server(options) {
      const server = await startServer(options);
      defer(() => server.close());
      return server;
    },
    async proxy(targetPort) {
      const proxy = await FaultProxy.start({ targetPort });
      defer(() => proxy.close());
      return proxy;
    },
    async page(build = 'umd', options = {}) {
      started ??= start();
      const { driver, pageServer, cacheable } = await started;
      const driverPage = await driver.newPage(options);
      defer(() => driverPage.close());
      const page = await TestPage.open(driverPage, options.backForwardCache === true ? cacheable : pageServer, build, { name: engine, capabilities: driver.capabilities });
      // An uncaught error in the page (the library throwing from a timer or a listener) fails the test.
      defer(async () => {
        const errors = await page.pageErrors().catch(() => []); // a page that navigated away has no probe to ask
        if (errors.length > 0) throw new Error(`uncaught error(s) in the ${build} page (${engineTitles[engine]}): ${errors.join('; ')}`);
      });
      return page;
    },
    openPage,
    async open(url) {
      const app = await AppPage.open(await openPage(url), url);
      defer(async () => {
        const errors = await app.errors().catch(() => []); // a page that navigated away has no recorder to ask
        if (errors.length > 0) throw new Error(`uncaught error(s) in ${url} (${engineTitles[engine]}): ${errors.join('; ')}`);
      });
      return app;
    },
    defer,
  };
}

/**
 * Prints one measured figure, prefixed `[browser]` and the engine, so a run
 * of the suite doubles as evidence for the README's claims.
 */
export function printFigure(scenario: string, text: string): void {
  const engine = inject('engine') as EngineName | undefined;
  console.log(`[browser ${engine ?? '?'}] ${scenario}: ${text}`);
}

/** Milliseconds, rounded, with the unit. */
export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
