/**
 * A page frozen during a retry wait makes no attempt while frozen, even
 * with the server back, and connects soon after it resumes. The page gets
 * `freeze` / `resume` dispatched on its document, in every engine: CDP
 * `Page.setWebLifecycleState` does nothing to a visible page of headless
 * Chromium 156 (no event, timers keep running), and neither WebDriver BiDi
 * (Firefox) nor classic WebDriver (WebKit) can freeze a page; see
 * `support/lifecycle.ts`. Timers keep running here, so no attempt means
 * the library cancelled its wait, not that the browser stopped it.
 */

import { describe, expect, it } from 'vitest';
import { delay } from '../support/wait.js';
import type { LifecycleEntry } from './support/lifecycle.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import { defaultWaitMs } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

/**
 * Waits of at least 3 s after the first retry, so the freeze surely lands inside one, even when a
 * busy machine's driver takes seconds to deliver it; the frozen window outlasts the longest.
 */
const slowReconnect = { minDelayMs: 3_000, maxDelayMs: 3_500 } as const;
const frozenWindowMs = 5_000;
/** The library spreads a signal-triggered attempt over [0, 500 ms]; the bound keeps headroom for a busy machine. */
const afterResumeBoundMs = 3_000;
/** The library's jitter window for signal-triggered attempts. */
const signalJitterMs = 500;

const entryOf = (entries: readonly LifecycleEntry[], type: string, persisted: boolean | null = null): LifecycleEntry | undefined =>
  entries.find((entry) => entry.type === type && entry.persisted === persisted);

describe(`a frozen page, seen from ${suite.engineTitle}`, () => {
  it('should make no attempt while the page is frozen and connect soon after it resumes', async () => {
    const server = await suite.server();
    const proxy = await suite.proxy(server.port);
    const page = await suite.page();
    const client = await page.client('sleeper', `ws://127.0.0.1:${proxy.port}/`, { reconnect: slowReconnect });
    const open = await client.waitFor({ type: 'open' });

    await server.stop(); // refused from now on, behind the proxy
    // The first retry after a drop is quick and fails against the stopped server; the next wait is the long one.
    const wait = await client.waitFor({ type: 'reconnecting', attempt: 2 }, { after: open.index });
    expect(wait.entry.delayMs).toBeGreaterThanOrEqual(slowReconnect.minDelayMs);
    expect(wait.entry.state).toBe('waiting');
    await page.dispatchLifecycleEvent('freeze');
    const frozenAt = Date.now();
    const atFreeze = { accepted: proxy.stats().accepted, connections: server.connectionCount };
    expect(atFreeze.connections).toBe(1);

    await server.restart(); // a retry that ran now would connect, and be counted
    await delay(frozenWindowMs); // proving an absence: nothing reaches the network while frozen, though the page's timers run
    expect(proxy.stats().accepted).toBe(atFreeze.accepted);
    expect(server.connectionCount).toBe(atFreeze.connections);
    expect(Date.now() - frozenAt).toBeGreaterThan(wait.entry.delayMs); // the wait would have run out by now

    const resumedAt = Date.now();
    await page.dispatchLifecycleEvent('resume');
    const reopen = await client.waitFor({ type: 'open' }, { after: wait.index, timeoutMs: afterResumeBoundMs + defaultWaitMs });
    const backMs = reopen.entry.at - resumedAt;
    expect(backMs).toBeLessThanOrEqual(afterResumeBoundMs);
    expect(await client.send('awake')).toBe(true);
    await client.waitFor({ type: 'message', data: 'awake' }, { after: reopen.index });

    // The page saw freeze then resume, and the library ran no timer in between.
    const events = await page.lifecycle();
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
      `retry wait of ${ms(wait.entry.delayMs)} frozen for ${ms(resumedAt - frozenAt)} with the server back: 0 attempts at the proxy, 0 timer callbacks in the page (freeze/resume dispatched on the document: no engine's driver can freeze a page);` +
        ` on resume a new wait of ${ms(retries[0]!.delayMs)} (attempt ${retries[0]!.attempt}), open ${ms(backMs)} after resume`,
    );
  }, 60_000);
});
