/**
 * Scenario 9: `close()` from the page ends everything: no further attempt,
 * no timer of the library fires afterwards (the page's timers are wrapped
 * before the library loads and every callback that runs is counted), and
 * `reconnect()` starts again. Both on an open socket (heartbeat timers
 * running) and during a backoff wait (the retry timer pending: the classic
 * leak that reconnects after `close()`).
 */

import { describe, expect, it } from 'vitest';
import { delay, waitUntil } from '../support/wait.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';

const suite = useBrowserSuite();

const quietWindowMs = 3_000;
/**
 * Waits of at least 3 s after the first retry, so `close()` surely lands inside one, even when a busy
 * machine's driver takes seconds to deliver it; the quiet window outlasts the longest.
 */
const slowReconnect = { minDelayMs: 3_000, maxDelayMs: 3_500 } as const;

describe(`close() from the page, in ${suite.engineTitle}`, () => {
  it('should leave no attempt and no timer behind, and reconnect() should work afterwards', async () => {
    const server = await suite.server();
    const page = await suite.page();
    // The heartbeat and the backoff are the library's timers: make sure they exist before closing.
    const client = await page.client('closer', server.url, { heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 } });
    await client.waitFor({ type: 'open' });
    const pings = (): number => server.connections[0]?.messages.filter((message) => message === 'ping').length ?? 0;
    await waitUntil(() => pings() >= 2, 'the heartbeat has pinged the server twice');
    const timersBeforeClose = (await page.timers()).length;
    expect(timersBeforeClose).toBeGreaterThan(0);

    const calledAt = await client.mark();
    await client.close(1000, 'bye');
    const close = await client.waitFor({ type: 'close' }, { after: calledAt });
    expect(close.entry).toMatchObject({ code: 1000, reason: 'bye', wasClean: true, initiator: 'client', decision: 'stop' });
    const connections = server.connectionCount;
    const attempts = (await client.constructs()).length;

    await delay(quietWindowMs); // proving an absence: there is no event to await

    // The library's timers here are all of 1 s or more (the heartbeat's 1 s, the 10 s connect timeout, retry waits of
    // 3 s and up; it has no shorter one). A shorter timer is not the library's: a 50 ms one from outside the page's
    // scripts was seen once in Chromium under automation.
    const timersAfterClose = (await page.timers()).filter((run) => run.t > close.entry.t && run.delay >= 1_000);
    expect(timersAfterClose).toEqual([]);
    expect((await client.timeline()).slice(close.index + 1)).toEqual([]);
    expect(await client.status()).toMatchObject({ state: 'closed', readyState: 3 });
    expect(server.connectionCount).toBe(connections);
    expect(await client.constructs()).toHaveLength(attempts);
    expect(server.connections[0]!.closed).toEqual({ code: 1000, reason: 'bye' });

    const reconnectAt = await client.mark();
    await client.reconnect();
    const called = await client.waitFor({ type: 'call', method: 'reconnect' }, { after: reconnectAt });
    const reopen = await client.waitFor({ type: 'open' }, { after: called.index });
    expect(await client.send('again')).toBe(true);
    await client.waitFor({ type: 'message', data: 'again' }, { after: reopen.index });
    expect(server.connectionCount).toBe(connections + 1);
    expect(server.connections.at(-1)!.messages.filter((message) => message !== 'ping')).toEqual(['again']);
    printFigure(
      '9 close()',
      `0 timer callbacks and 0 attempts in ${ms(quietWindowMs)} after close() (${timersBeforeClose} ran while open, heartbeat 1 s); reconnect() open ${ms(reopen.entry.t - called.entry.t)} after the call`,
    );
  }, 60_000);

  it('should cancel a pending retry when close() comes during a backoff wait', async () => {
    const server = await suite.server();
    const page = await suite.page();
    const client = await page.client('waiting', server.url, { reconnect: slowReconnect });
    const open = await client.waitFor({ type: 'open' });
    await server.stop();
    // The first retry after a drop is quick and fails against the stopped server; the next wait is the long one.
    const wait = await client.waitFor({ type: 'reconnecting', attempt: 2 }, { after: open.index });
    expect(wait.entry.delayMs).toBeGreaterThanOrEqual(slowReconnect.minDelayMs);
    expect(wait.entry.state).toBe('waiting');

    await client.close(1000, 'bye');
    const close = await client.waitFor({ type: 'close', code: 1000 }, { after: wait.index });
    expect(close.entry).toMatchObject({ reason: 'bye', initiator: 'client', decision: 'stop' });
    await server.restart(); // a retry that slipped through would now connect, and be counted
    const attempts = (await client.constructs()).length;

    await delay(Math.max(quietWindowMs, slowReconnect.maxDelayMs + 500)); // proving an absence: there is no event to await

    expect((await page.timers()).filter((run) => run.t > close.entry.t)).toEqual([]);
    expect((await client.timeline()).slice(close.index + 1)).toEqual([]);
    expect(await client.constructs()).toHaveLength(attempts);
    expect(server.connectionCount).toBe(1);

    const reconnectAt = await client.mark();
    await client.reconnect();
    await client.waitFor({ type: 'open' }, { after: reconnectAt });
    expect(server.connectionCount).toBe(2);
    printFigure('9 close() while waiting', `a ${ms(wait.entry.delayMs)} retry wait cancelled: 0 timer callbacks, 0 attempts, 0 server connections after close(); reconnect() connects`);
  }, 60_000);
});
