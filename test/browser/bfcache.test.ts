/**
 * The back/forward cache: a page that enters it closes its socket cleanly
 * on `pagehide` (so the socket does not keep it out of the cache) and
 * reconnects as soon as it is shown again. The page comes from a server
 * that does not answer `no-store`, and in Chromium from a browser with the
 * cache on (Playwright turns it off), see `support/lifecycle.ts`.
 *
 * Chromium must restore the page. An engine that does not restore it under
 * automation (the page is loaded again instead) says so in its output, and
 * the test asserts what that engine shows: no attempt while away, the old
 * connection closed by the browser, the new page connected.
 */

import { describe, expect, it } from 'vitest';
import { delay } from '../support/wait.js';
import type { LifecycleEntry } from './support/lifecycle.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import { defaultWaitMs } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

/** How long the page stays away: no attempt may come from it meanwhile. */
const awayMs = 1_500;
/** Reconnecting from the cache is immediate (from `pageshow`); the bound keeps headroom for a busy machine. */
const afterRestoreBoundMs = 3_000;

const entryOf = (entries: readonly LifecycleEntry[], type: string, persisted: boolean | null = null): LifecycleEntry | undefined =>
  entries.find((entry) => entry.type === type && entry.persisted === persisted);

const describeEvents = (events: readonly LifecycleEntry[]): string =>
  events.map((entry) => entry.type + (entry.persisted === null ? '' : `(${entry.persisted})`)).join(' ');

describe(`the back/forward cache, seen from ${suite.engineTitle}`, () => {
  it('should close cleanly on entering the cache and reconnect as soon as the page is restored from it', async () => {
    const server = await suite.server();
    const page = await suite.page('umd', { backForwardCache: true });
    const client = await page.client('cached', server.url);
    const open = await client.waitFor({ type: 'open' });
    expect(await client.send('before')).toBe(true);
    await client.waitFor({ type: 'message', data: 'before' }, { after: open.index });

    await page.goto(page.elsewhereUrl);
    const serverClose = await server.connections[0]!.whenClosed;
    await delay(awayMs); // proving an absence: no attempt from the page while it is away
    expect(server.connectionCount).toBe(1);

    const backAt = Date.now();
    const outcome = await page.goBack();
    if (outcome === 'reloaded') {
      expect(suite.engine).not.toBe('chromium'); // Chromium restores this page; a reload there is a regression
      // Not cached: the browser closed the socket as the page unloaded, and the page loaded afresh connects again.
      expect(serverClose?.code).toBe(1001);
      const fresh = await page.client('fresh', server.url);
      const reopen = await fresh.waitFor({ type: 'open' });
      expect(server.connectionCount).toBe(2);
      printFigure(
        'lifecycle bfcache',
        `NOT RESTORED: ${suite.engineTitle} loaded the page again instead of restoring it from the back/forward cache under automation; ` +
          `the socket was closed by the unloading page (${serverClose?.code} "${serverClose?.reason ?? ''}" at the server), 0 attempts during ${ms(awayMs)} away,` +
          ` the reloaded page open ${ms(reopen.entry.at - backAt)} after going back (page events: ${describeEvents(await page.lifecycle())})`,
      );
      return;
    }
    expect(serverClose).toEqual({ code: 1000, reason: 'page entered the back/forward cache' });

    const close = await client.waitFor({ type: 'close' }, { after: open.index });
    expect(close.entry).toMatchObject({ code: 1001, wasClean: true, phase: 'open', initiator: 'library', libraryCause: 'page-hidden', decision: 'reconnect' });
    const reopen = await client.waitFor({ type: 'open' }, { after: close.index, timeoutMs: afterRestoreBoundMs + defaultWaitMs });
    const backMs = reopen.entry.at - backAt;
    expect(await client.send('after')).toBe(true);
    await client.waitFor({ type: 'message', data: 'after' }, { after: reopen.index });

    // The page: hidden into the cache, shown from it, and the socket closed in between and reopened after.
    const events = await page.lifecycle();
    const hide = entryOf(events, 'pagehide', true);
    const show = entryOf(events, 'pageshow', true);
    expect(hide).toBeDefined();
    expect(show).toBeDefined();
    // Counted from the page's own pageshow: the driver's navigation back, before it, is the browser's and slow on a busy machine.
    expect(reopen.entry.t - show!.t).toBeLessThanOrEqual(afterRestoreBoundMs);
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
      `closed ${serverClose?.code} "${serverClose?.reason}" at the server on pagehide (page saw ${close.entry.code}, ${close.entry.libraryCause}); 0 attempts during ${ms(awayMs)} in the cache;` +
        ` restored (pageshow persisted), reconnect cause "${connecting[0]!.cause}", open ${ms(reopen.entry.t - show!.t)} after pageshow, ${ms(backMs)} after going back` +
        ` (page events: ${describeEvents(events)}; reconnecting events: ${retries.map((entry) => `#${entry.attempt} ${ms(entry.delayMs)}`).join(', ') || 'none'})`,
    );
  }, 90_000);
});
