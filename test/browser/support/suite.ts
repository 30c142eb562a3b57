/**
 * The fixture of a browser test file: one Chromium and one page server
 * for the file, and servers, proxies and browser contexts per test, all
 * torn down after each test whether it passed or not.
 *
 * @example
 * ```ts
 * const suite = useBrowserSuite(); // at the top of a test file
 * it('...', async () => {
 *   const server = await suite.server();
 *   const proxy = await suite.proxy(server.port);
 *   const page = await suite.page('umd');
 *   const client = await page.client('a', `ws://127.0.0.1:${proxy.port}/`);
 *   await client.waitFor({ type: 'open' });
 * });
 * ```
 */

import type { Browser } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';
import { FaultProxy } from '../../../tools/fault-proxy.js';
import { startServer, type TestServer, type TestServerOptions } from '../../support/ws-server.js';
import { AppPage } from './app-page.js';
import { launchChromium } from './chromium.js';
import { startPageServer, type LibraryBuild, type PageServer } from './page-server.js';
import { TestPage } from './test-page.js';

/** What a browser test uses; everything it hands out is closed after the test. */
export interface BrowserSuite {
  /** A `ws` server on 127.0.0.1:0 (echo, `ping` → `pong`, crash, stop, restart...). */
  server(options?: TestServerOptions): Promise<TestServer>;
  /** A fault proxy on 127.0.0.1:0 forwarding to `targetPort`. */
  proxy(targetPort: number): Promise<FaultProxy>;
  /**
   * A page that loads `build`, in a browser context of its own (its own
   * network state, cookies and renderer), so pages act as separate browsers.
   * An uncaught error in it fails the test.
   */
  page(build?: LibraryBuild): Promise<TestPage>;
  /**
   * Any page by URL (an example app), in a browser context of its own, read
   * through its DOM. An uncaught error in it fails the test.
   */
  open(url: string): Promise<AppPage>;
  /** Runs `teardown` after the test (last registered, first run). */
  defer(teardown: () => unknown): void;
}

/**
 * Registers the hooks of a browser test file and returns its fixture.
 * Chromium and the page server start with the first page a test asks for
 * and serve the whole file; a missing Chromium fails every test that
 * needs it, with the error saying how to get one (a failing `beforeAll`
 * would only mark the tests skipped).
 */
export function useBrowserSuite(): BrowserSuite {
  let started: Promise<{ browser: Browser; pageServer: PageServer }> | undefined;
  const teardowns: (() => unknown)[] = [];

  const start = async (): Promise<{ browser: Browser; pageServer: PageServer }> => {
    const [browser, pageServer] = await Promise.allSettled([launchChromium(), startPageServer()]);
    if (browser.status === 'fulfilled' && pageServer.status === 'fulfilled') return { browser: browser.value, pageServer: pageServer.value };
    if (browser.status === 'fulfilled') await browser.value.close();
    if (pageServer.status === 'fulfilled') await pageServer.value.close();
    throw browser.status === 'rejected' ? browser.reason : (pageServer as PromiseRejectedResult).reason;
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
    await running?.browser.close();
    await running?.pageServer.close();
  });

  const defer = (teardown: () => unknown): void => {
    teardowns.push(teardown);
  };

  return {
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
    async page(build = 'umd') {
      started ??= start();
      const { browser, pageServer } = await started;
      const context = await browser.newContext();
      defer(() => context.close());
      const page = await TestPage.open(context, pageServer, build);
      // An uncaught error in the page (the library throwing from a timer or a listener) fails the test.
      defer(() => {
        if (page.errors.length > 0) throw new Error(`uncaught error(s) in the ${build} page: ${page.errors.join('; ')}`);
      });
      return page;
    },
    async open(url) {
      started ??= start();
      const { browser } = await started;
      const context = await browser.newContext();
      defer(() => context.close());
      const app = await AppPage.open(context, url);
      defer(() => {
        if (app.errors.length > 0) throw new Error(`uncaught error(s) in ${url}: ${app.errors.join('; ')}`);
      });
      return app;
    },
    defer,
  };
}

/**
 * Prints one measured figure, prefixed `[browser]`, so a run of the suite
 * doubles as evidence for the README's claims.
 */
export function printFigure(scenario: string, text: string): void {
  console.log(`[browser] ${scenario}: ${text}`);
}

/** Milliseconds, rounded, with the unit. */
export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
