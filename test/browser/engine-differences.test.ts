/**
 * What differs between engines where this library works, measured on the
 * library's own events (which pass the native ones through unchanged):
 * whether `error` precedes the `close` of an open connection that drops,
 * what a handshake reset by the network looks like, how long a half-open
 * connection goes unnoticed without the heartbeat, and how long `close()`
 * on a half-open connection takes to fire `close`. The figures go into the
 * README's browser table; the assertions hold in every engine.
 */

import { describe, expect, it } from 'vitest';
import { delay } from '../support/wait.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import type { PageClient } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

/** How long a half-open connection is watched without the heartbeat. */
const halfOpenWatchMs = 25_000;
/** No retry: each client's first connection is what is measured. */
const noRetry = { reconnect: false } as const;

/** The types of the client's entries from `after` up to and including its first close, leaving out state changes. */
async function eventsUntilClose(client: PageClient, after: number): Promise<string[]> {
  const timeline = (await client.timeline()).slice(after);
  const closeAt = timeline.findIndex((entry) => entry.type === 'close');
  return timeline.slice(0, closeAt + 1).filter((entry) => entry.type !== 'statechange').map((entry) => entry.type);
}

describe(`engine differences, measured in ${suite.engineTitle}`, () => {
  it('should report drops, resets and half-open connections as the engine does, and say how long it took', async () => {
    const server = await suite.server();
    const [dropProxy, resetProxy, darkProxy, closingProxy] = [await suite.proxy(server.port), await suite.proxy(server.port), await suite.proxy(server.port), await suite.proxy(server.port)];
    const page = await suite.page();
    const url = (port: number): string => `ws://127.0.0.1:${port}/`;
    const [dropped, dark, closing] = await Promise.all([
      page.client('dropped', url(dropProxy.port), noRetry),
      page.client('dark', url(darkProxy.port), noRetry),
      page.client('closing', url(closingProxy.port), noRetry),
    ]);
    const opens = await Promise.all([dropped, dark, closing].map((client) => client.waitFor({ type: 'open' })));

    // An open connection that drops (both TCP sockets destroyed, no close frame).
    const droppedAt = Date.now();
    dropProxy.dropAll();
    const dropClose = await dropped.waitFor({ type: 'close' }, { after: opens[0]!.index });
    expect(dropClose.entry).toMatchObject({ code: 1006, wasClean: false, phase: 'open' });
    const dropEvents = await eventsUntilClose(dropped, opens[0]!.index + 1);
    expect(dropEvents.at(-1)).toBe('close');

    // A handshake reset by the network (the proxy destroys the TCP connection as soon as it is accepted).
    resetProxy.refuse(true);
    const reset = await page.client('reset', url(resetProxy.port), noRetry);
    const resetClose = await reset.waitFor({ type: 'close' });
    expect(resetClose.entry).toMatchObject({ code: 1006, wasClean: false, phase: 'handshake' });
    expect(entriesOf(await reset.timeline(), 'open')).toEqual([]);
    const resetEvents = await eventsUntilClose(reset, 0);

    // Two half-open connections: one left alone without the heartbeat, one closed by the page.
    const darkAt = Date.now();
    darkProxy.blackhole();
    closingProxy.blackhole();
    const closeCalledAt = Date.now();
    await closing.close(1000, 'done');
    const closingClose = await closing.waitFor({ type: 'close' }, { after: opens[2]!.index, timeoutMs: halfOpenWatchMs }).catch(() => undefined);
    await delay(Math.max(0, darkAt + halfOpenWatchMs - Date.now())); // proving an absence, or timing a late close: no event to await
    const darkCloses = entriesOf((await dark.timeline()).slice(opens[1]!.index), 'close');
    for (const close of darkCloses) expect(close).toMatchObject({ wasClean: false });

    const closeCallMs = closingClose === undefined ? undefined : closingClose.entry.at - closeCalledAt;
    printFigure('differences drop', `open connection dropped without a close frame: ${dropEvents.join(' → ')} (${dropEvents.includes('error') ? 'error before close' : 'no error'}), close ${dropClose.entry.code} ${ms(dropClose.entry.at - droppedAt)} after the drop`);
    printFigure('differences reset', `handshake reset by the network: ${resetEvents.join(' → ')}, close ${resetClose.entry.code} wasClean ${resetClose.entry.wasClean}`);
    printFigure(
      'differences half-open',
      darkCloses.length === 0
        ? `half-open connection without the heartbeat: not noticed within ${ms(halfOpenWatchMs)}`
        : `half-open connection without the heartbeat: close ${darkCloses[0]!.code} ${ms(darkCloses[0]!.at - darkAt)} after the line went dark`,
    );
    printFigure('differences close()', closingClose === undefined
        ? `close(1000) on a half-open connection: no close event within ${ms(halfOpenWatchMs)} of the call`
        : `close(1000) on a half-open connection: close ${closingClose.entry.code} wasClean ${closingClose.entry.wasClean} ${ms(closeCallMs ?? 0)} after the call`);
  }, 120_000);
});
