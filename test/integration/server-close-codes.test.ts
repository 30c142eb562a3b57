/**
 * A server that closes with a close frame: the client reports the exact
 * code and reason, clean, and schedules the retry its class calls for.
 */

import { describe, expect, it } from 'vitest';
import type { ReconnectingEvent } from '../../src/index.js';
import { fastReconnect, useHarness, warpedClock } from '../support/harness.js';
import { nextEvent } from '../support/wait.js';

const h = useHarness();

/**
 * Delay bounds per code, in ms of the client's clock. Policy floors (1011,
 * 1012, 1013) deliberately exceed the configured 200 ms cap. For 1011 and
 * 1012 the client's clock runs `speed` times fast (see warpedClock), so the
 * library schedules and reports its real 2 s / 1 s floors while the test
 * waits a tenth of that; the connect timeout is scaled to stay 10 s real.
 */
const speed = 10;
const cases = [
  { code: 1001, minMs: 0, maxMs: fastReconnect.maxDelayMs, speed: 1 },
  { code: 1011, minMs: 2_000, maxMs: Infinity, speed },
  { code: 1012, minMs: 1_000, maxMs: 1_000, speed },
  { code: 4000, minMs: 0, maxMs: fastReconnect.maxDelayMs, speed: 1 },
] as const;

describe('a server that closes with a close frame', () => {
  it.each(cases)('should report $code exactly, wasClean true, then reconnect after a delay in [$minMs, $maxMs] ms', async ({ code, minMs, maxMs, speed }) => {
    const server = await h.server();
    const clock = speed === 1 ? {} : { clock: warpedClock(speed), connectTimeoutMs: 10_000 * speed };
    const client = h.client(server.url, { reconnect: fastReconnect, ...clock });
    await nextEvent(client, 'open');
    const first = await server.connection(1);

    const closed = nextEvent(client, 'close');
    const reconnecting = nextEvent(client, 'reconnecting');
    first.socket.close(code, `server says ${code}`);
    const close = await closed;

    expect(close.code).toBe(code);
    expect(close.reason).toBe(`server says ${code}`);
    expect(close.wasClean).toBe(true);
    expect(close.report).toMatchObject({ code, wasClean: true, initiator: 'server', phase: 'open', libraryCause: null, decision: { action: 'reconnect' } });

    const { delayMs, attempt, report } = await reconnecting;
    // The first retry since the last stable connection; the report counts the retries before this connection.
    expect(attempt).toBe(1);
    expect(report.attempt).toBe(0);
    expect(report.delayMs).toBe(delayMs);
    expect(close.report.delayMs).toBe(delayMs);
    expect(delayMs).toBeGreaterThanOrEqual(minMs);
    expect(delayMs).toBeLessThanOrEqual(maxMs);
    expect(client.state).toBe('waiting');

    // The retry really happens, and the new connection works. Bound: 5x the scheduled delay (in real ms), at least 10 s.
    await nextEvent(client, 'open', { timeoutMs: Math.max(10_000, (5 * delayMs) / speed) });
    await server.connection(2);
    expect(server.connectionCount).toBe(2);
    client.send('again');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'again' });
  }, 60_000);

  it('should wait at least 5 s after 1013 (try again later)', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    const first = await server.connection(1);

    const closed = nextEvent(client, 'close');
    const reconnecting = nextEvent(client, 'reconnecting');
    first.socket.close(1013, 'overloaded');
    const close = await closed;
    expect(close.code).toBe(1013);
    expect(close.reason).toBe('overloaded');
    expect(close.wasClean).toBe(true);
    expect(close.report).toMatchObject({ initiator: 'server', class: 'try-again-later', decision: { action: 'reconnect' } });

    const event: ReconnectingEvent = await reconnecting;
    expect(event.delayMs).toBeGreaterThanOrEqual(5_000);
    expect(event.delayMs).toBeLessThanOrEqual(60_000);
    expect(event.report.delayMs).toBe(event.delayMs);
    expect(client.state).toBe('waiting');
    // Not waiting 5 s for the retry: the scheduled delay is the assertion.
    client.dispose();
    expect(client.state).toBe('closed');
    expect(server.connectionCount).toBe(1);
  });
});
