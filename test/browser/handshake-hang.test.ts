/**
 * Scenario 7: the proxy accepts TCP but never answers the upgrade. Each
 * attempt is abandoned after `connectTimeoutMs` (which also frees
 * Chromium's one-pending-handshake-per-host:port slot for the next one),
 * and the page connects once the proxy behaves.
 */

import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

const connectTimeoutMs = 2_000;
const reconnect = { baseDelayMs: 250, maxDelayMs: 1_000 } as const;
/**
 * Headroom for late timers, a slow browser and the handshake on a busy machine: as much again as
 * the longest path the library allows (a hung attempt's timeout, then the longest wait). An
 * attempt that is never abandoned fails the waits above long before.
 */
const headroomMs = connectTimeoutMs + reconnect.maxDelayMs;
/**
 * How long the browser may take to drop the TCP connection of an abandoned
 * handshake. Chromium and WebKit drop it at once; Firefox keeps it (more
 * than 40 s here), which the test reports rather than waits for.
 */
const abandonedTcpBoundMs = 10_000;

describe(`a handshake that never answers, seen from ${suite.engineTitle}`, () => {
  it('should abandon each attempt after connectTimeoutMs and connect once the proxy behaves', async () => {
    const server = await suite.server();
    const proxy = await suite.proxy(server.port);
    proxy.hang(true);
    const page = await suite.page();
    const client = await page.client('hang', `ws://127.0.0.1:${proxy.port}/`, { connectTimeoutMs, reconnect });

    const timeoutMatch = { type: 'close', code: 1006, wasClean: false, phase: 'handshake', initiator: 'library', libraryCause: 'connect-timeout' } as const;
    const first = await client.waitFor(timeoutMatch, { timeoutMs: connectTimeoutMs + 15_000 });
    const second = await client.waitFor(timeoutMatch, { after: first.index + 1, timeoutMs: connectTimeoutMs + reconnect.maxDelayMs + 15_000 });
    const [firstAttempt, secondAttempt] = await client.constructs();
    const firstAbandonMs = first.entry.t - firstAttempt!.t;
    const secondAbandonMs = second.entry.t - secondAttempt!.t;
    for (const abandonMs of [firstAbandonMs, secondAbandonMs]) {
      // Measured from the native constructor, which runs just after the library starts its timer.
      expect(abandonMs).toBeGreaterThanOrEqual(connectTimeoutMs * 0.9);
      expect(abandonMs).toBeLessThanOrEqual(connectTimeoutMs + headroomMs);
    }
    // The second attempt reached the proxy: abandoning the first freed the endpoint.
    expect(proxy.stats().accepted).toBeGreaterThanOrEqual(2);
    expect(server.connectionCount).toBe(0);

    const behavingAt = Date.now();
    proxy.hang(false);
    const open = await client.waitFor({ type: 'open' }, { after: second.index, timeoutMs: connectTimeoutMs + reconnect.maxDelayMs + 15_000 });
    const backMs = open.entry.at - behavingAt;
    expect(backMs).toBeLessThanOrEqual(connectTimeoutMs + reconnect.maxDelayMs + headroomMs);
    expect(await client.send('through')).toBe(true);
    await client.waitFor({ type: 'message', data: 'through' }, { after: open.index });

    // The server saw only the attempt that got through; the browser closed every hung one, sooner or later.
    expect(server.connectionCount).toBe(1);
    expect(server.connections[0]!.messages).toEqual(['through']);
    const heldAtOpen = proxy.stats().live - 1;
    const released = await waitUntil(() => proxy.stats().live === 1, 'the proxy holds only the live connection', abandonedTcpBoundMs).then(
      () => true,
      () => false,
    );
    if (suite.engine !== 'firefox') expect(released, `the proxy still holds ${proxy.stats().live - 1} abandoned connection(s)`).toBe(true);
    const releasedMs = Date.now() - behavingAt;
    const timeline = await client.timeline();
    const abandoned = entriesOf(timeline, 'close').filter((entry) => entry.libraryCause === 'connect-timeout').length;
    expect(await client.constructs()).toHaveLength(abandoned + 1);
    expect(proxy.stats().accepted).toBe(abandoned + 1);
    printFigure(
      '7 handshake hang',
      `attempts abandoned ${ms(firstAbandonMs)} and ${ms(secondAbandonMs)} after they started (connectTimeoutMs ${connectTimeoutMs}); ${abandoned} abandoned in all; open ${ms(backMs)} after the proxy behaved;` +
        ` the browser still held ${heldAtOpen} abandoned TCP connection(s) then, ${released ? `all released ${ms(releasedMs)}` : `STILL HELD ${proxy.stats().live - 1} ${ms(releasedMs)}`} after the proxy behaved`,
    );
  }, 90_000);
});
