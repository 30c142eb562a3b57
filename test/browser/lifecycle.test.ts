/**
 * Page lifecycle, seen from Chromium.
 *
 * - A page frozen during a retry wait makes no attempt while frozen, even
 *   with the server back, and connects soon after it resumes. The page gets
 *   `freeze` / `resume` dispatched on its document: CDP
 *   `Page.setWebLifecycleState` does nothing to a visible page of headless
 *   Chromium 156 (no event, timers keep running), see `support/lifecycle.ts`.
 *   Timers keep running here, so no attempt means the library cancelled
 *   its wait, not that Chromium stopped it.
 * - A page that enters the back/forward cache closes its socket cleanly on
 *   `pagehide` (so the socket does not keep it out of the cache) and
 *   reconnects as soon as it is shown again. Playwright turns the cache off
 *   and the suite's page server answers `no-store`, so this test runs its
 *   own browser and page server (see `support/lifecycle.ts`).
 */

import { describe, expect, it } from 'vitest';
import { delay } from '../support/wait.js';
import {
  dispatchLifecycleEvent,
  lifecycleEntries,
  lifecycleRecorderScript,
  startCacheablePageServer,
  type LifecycleEntry,
} from './support/lifecycle.js';
import { launchChromium } from './support/chromium.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import { defaultWaitMs, TestPage } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

/** Waits of at least 2 s after the first retry, so the freeze surely lands inside one; the frozen window outlasts the longest. */
const slowReconnect = { minDelayMs: 2_000, maxDelayMs: 2_500 } as const;
const frozenWindowMs = 4_000;
/** The library spreads a signal-triggered attempt over [0, 500 ms]; the bound keeps headroom for a busy machine. */
const afterResumeBoundMs = 3_000;
/** The library's jitter window for signal-triggered attempts. */
const signalJitterMs = 500;
/** How long the page stays in the back/forward cache: no attempt may come from it meanwhile. */
const inCacheMs = 1_500;
/** Reconnecting from the cache is immediate; the bound keeps headroom for a busy machine. */
const afterRestoreBoundMs = 3_000;

const entryOf = (entries: readonly LifecycleEntry[], type: string, persisted: boolean | null = null): LifecycleEntry | undefined =>
  entries.find((entry) => entry.type === type && entry.persisted === persisted);

describe('page lifecycle, seen from Chromium', () => {
  it('should make no attempt while the page is frozen and connect soon after it resumes', async () => {
    const server = await suite.server();
    const proxy = await suite.proxy(server.port);
    const page = await suite.page();
    await page.page.evaluate(lifecycleRecorderScript);
    const client = await page.client('sleeper', `ws://127.0.0.1:${proxy.port}/`, { reconnect: slowReconnect });
    const open = await client.waitFor({ type: 'open' });

    await server.stop(); // refused from now on, behind the proxy
    // The first retry after a drop is quick and fails against the stopped server; the next wait is the long one.
    const wait = await client.waitFor({ type: 'reconnecting', attempt: 2 }, { after: open.index });
    expect(wait.entry.delayMs).toBeGreaterThanOrEqual(slowReconnect.minDelayMs);
    expect(wait.entry.state).toBe('waiting');
    await dispatchLifecycleEvent(page.page, 'freeze');
    const frozenAt = Date.now();
    const atFreeze = { accepted: proxy.stats().accepted, connections: server.connectionCount };
    expect(atFreeze.connections).toBe(1);

    await server.restart(); // a retry that ran now would connect, and be counted
    await delay(frozenWindowMs); // proving an absence: nothing reaches the network while frozen, though the page's timers run
    expect(proxy.stats().accepted).toBe(atFreeze.accepted);
    expect(server.connectionCount).toBe(atFreeze.connections);
    expect(Date.now() - frozenAt).toBeGreaterThan(wait.entry.delayMs); // the wait would have run out by now

    const resumedAt = Date.now();
    await dispatchLifecycleEvent(page.page, 'resume');
    const reopen = await client.waitFor({ type: 'open' }, { after: wait.index, timeoutMs: afterResumeBoundMs + defaultWaitMs });
    const backMs = reopen.entry.at - resumedAt;
    expect(backMs).toBeLessThanOrEqual(afterResumeBoundMs);
    expect(await client.send('awake')).toBe(true);
    await client.waitFor({ type: 'message', data: 'awake' }, { after: reopen.index });

    // The page saw freeze then resume, and the library ran no timer in between.
    const events = await lifecycleEntries(page.page);
    const freeze = entryOf(events, 'freeze');
    const resume = entryOf(events, 'resume');
    expect(freeze).toBeDefined();
    expect(resume).toBeDefined();
    expect(resume!.t).toBeGreaterThan(freeze!.t);
    expect((await page.timers()).filter((run) => run.t > freeze!.t && run.t < resume!.t)).toEqual([]);
    const constructs = await client.constructs();
    expect(constructs.filter((construct) => construct.t > freeze!.t && construct.t < resume!.t)).toEqual([]);

    // After resume: one new, short, announced wait (the paused one is not resumed as it was), then one attempt that opened.
    const afterWait = (await client.timeline()).slice(wait.index + 1, reopen.index + 1);
    const retries = entriesOf(afterWait, 'reconnecting');
    expect(retries).toHaveLength(1);
    expect(retries[0]!.t).toBeGreaterThanOrEqual(resume!.t);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(signalJitterMs);
    expect(entriesOf(afterWait, 'close')).toEqual([]); // no failed attempt since the wait began
    expect(entriesOf(afterWait, 'statechange').map(({ from, to, cause }) => ({ from, to, cause }))).toEqual([
      { from: 'waiting', to: 'connecting', cause: 'timer' },
      { from: 'connecting', to: 'open', cause: 'open' },
    ]);
    expect(constructs.filter((construct) => construct.t > wait.entry.t)).toHaveLength(1);
    expect(proxy.stats().accepted).toBe(atFreeze.accepted + 1);
    expect(server.connectionCount).toBe(2);
    expect(server.connections[1]!.messages).toEqual(['awake']);
    printFigure(
      'lifecycle frozen',
      `retry wait of ${ms(wait.entry.delayMs)} frozen for ${ms(resumedAt - frozenAt)} with the server back: 0 attempts at the proxy, 0 timer callbacks in the page (freeze/resume dispatched on the document);` +
        ` on resume a new wait of ${ms(retries[0]!.delayMs)} (attempt ${retries[0]!.attempt}), open ${ms(backMs)} after resume`,
    );
  }, 60_000);

  it('should close cleanly on entering the back/forward cache and reconnect as soon as the page is restored from it', async () => {
    const server = await suite.server();
    const [browser, pageServer] = await Promise.all([launchChromium({ backForwardCache: true }), startCacheablePageServer()]);
    suite.defer(() => pageServer.close());
    suite.defer(() => browser.close());
    const context = await browser.newContext();
    await context.addInitScript({ content: lifecycleRecorderScript });
    const page = await TestPage.open(context, pageServer, 'umd');
    suite.defer(() => {
      if (page.errors.length > 0) throw new Error(`uncaught error(s) in the page: ${page.errors.join('; ')}`);
    });
    // Chromium says here why a page was not restored from the cache, if it was not.
    const cdp = await context.newCDPSession(page.page);
    const notRestored: unknown[] = [];
    cdp.on('Page.backForwardCacheNotUsed', (event) => notRestored.push(event.notRestoredExplanations));
    await cdp.send('Page.enable');

    const client = await page.client('cached', server.url);
    const open = await client.waitFor({ type: 'open' });
    expect(await client.send('before')).toBe(true);
    await client.waitFor({ type: 'message', data: 'before' }, { after: open.index });

    await page.page.goto(pageServer.elsewhereUrl);
    const serverClose = await server.connections[0]!.whenClosed;
    expect(serverClose).toEqual({ code: 1000, reason: 'page entered the back/forward cache' });
    await delay(inCacheMs); // proving an absence: no attempt from the cached page
    expect(server.connectionCount).toBe(1);

    const backAt = Date.now();
    await page.page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires no `load`
    await page.page.waitForFunction(
      () => (globalThis as unknown as { __lifecycle: LifecycleEntry[] }).__lifecycle.some((entry) => entry.type === 'pageshow' && entry.persisted),
      undefined,
      { timeout: defaultWaitMs },
    ).catch((error: unknown) => {
      throw new Error(`The page was not restored from the back/forward cache: ${JSON.stringify(notRestored)}`, { cause: error });
    });
    expect(notRestored).toEqual([]);
    const navigation = await page.page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming & { notRestoredReasons?: unknown };
      return { type: entry.type, notRestoredReasons: entry.notRestoredReasons ?? null };
    });
    expect(navigation.notRestoredReasons).toBeNull();

    const close = await client.waitFor({ type: 'close' }, { after: open.index });
    expect(close.entry).toMatchObject({ code: 1001, wasClean: true, phase: 'open', initiator: 'library', libraryCause: 'page-hidden', decision: 'reconnect' });
    const reopen = await client.waitFor({ type: 'open' }, { after: close.index, timeoutMs: afterRestoreBoundMs + defaultWaitMs });
    const backMs = reopen.entry.at - backAt;
    expect(backMs).toBeLessThanOrEqual(afterRestoreBoundMs);
    expect(await client.send('after')).toBe(true);
    await client.waitFor({ type: 'message', data: 'after' }, { after: reopen.index });

    // The page: hidden into the cache, shown from it, and the socket closed in between and reopened after.
    const events = await lifecycleEntries(page.page);
    const hide = entryOf(events, 'pagehide', true);
    const show = entryOf(events, 'pageshow', true);
    expect(hide).toBeDefined();
    expect(show).toBeDefined();
    expect(close.entry.t).toBeGreaterThanOrEqual(hide!.t);
    expect(close.entry.t).toBeLessThan(show!.t);
    const inBetween = (await client.timeline()).slice(close.index + 1, reopen.index);
    const connecting = entriesOf(inBetween, 'statechange').filter((entry) => entry.to === 'connecting');
    expect(connecting).toHaveLength(1);
    expect(connecting[0]!.t).toBeGreaterThanOrEqual(show!.t);
    expect((await client.constructs()).filter((construct) => construct.t > close.entry.t)).toHaveLength(1);

    // The server: the first connection closed cleanly by the page, one new one after the restore.
    expect(server.connectionCount).toBe(2);
    expect(server.openCount).toBe(1);
    expect(server.connections[0]!.messages).toEqual(['before']);
    expect(server.connections[1]!.messages).toEqual(['after']);
    // The pause keeps its cause through the freeze, resume and visibility changes of the cache: no retry is announced.
    const retries = entriesOf(inBetween, 'reconnecting');
    expect(retries).toEqual([]);
    printFigure(
      'lifecycle bfcache',
      `closed ${serverClose.code} "${serverClose.reason}" at the server on pagehide (page saw ${close.entry.code}, ${close.entry.libraryCause}); 0 attempts during ${ms(inCacheMs)} in the cache;` +
        ` restored (pageshow persisted), reconnect cause "${connecting[0]!.cause}", open ${ms(reopen.entry.t - show!.t)} after pageshow, ${ms(backMs)} after goBack()` +
        ` (page events: ${events.map((entry) => entry.type + (entry.persisted === null ? '' : `(${entry.persisted})`)).join(' ')}; reconnecting events: ${retries.map((entry) => `#${entry.attempt} ${ms(entry.delayMs)}`).join(', ') || 'none'})`,
    );
  }, 90_000);
});
