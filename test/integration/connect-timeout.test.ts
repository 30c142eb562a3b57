/**
 * A handshake that never completes (a proxy or firewall that swallows the
 * upgrade) must not hang: the connect timeout abandons it, reports why, and
 * the next attempt re-asks the URL provider, so a client can be pointed
 * elsewhere.
 */

import { describe, expect, it } from 'vitest';
import type { ResilientCloseEvent } from '../../src/index.js';
import { fastReconnect, useHarness } from '../support/harness.js';
import { nextEvent, recordEvents, waitUntil } from '../support/wait.js';

const h = useHarness();

/**
 * Long enough for a loopback handshake on a busy machine (one that timed out would add a server
 * connection and fail the counts below), short enough to keep the test quick.
 */
const connectTimeoutMs = 1_000;

describe('the connect timeout', () => {
  it('should abandon a handshake the server never answers with 1006 "connect timeout", retry, and follow the URL provider to a working server', async () => {
    const blackhole = await h.blackhole();
    const server = await h.server();
    let target = blackhole.url;
    let asked = 0;
    const client = h.client(() => {
      asked += 1;
      return target;
    }, { reconnect: fastReconnect, connectTimeoutMs });
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);

    const close = await nextEvent(client, 'close');
    expect(close.code).toBe(1006);
    expect(close.reason).toBe('connect timeout');
    expect(close.wasClean).toBe(false);
    expect(close.report).toMatchObject({
      libraryCause: 'connect-timeout',
      initiator: 'library',
      phase: 'handshake',
      openDurationMs: null,
      decision: { action: 'reconnect' },
    });
    // A handshake failure uses normal backoff (here capped at 200 ms), not the post-open fast path.
    expect(close.report.delayMs).toBeGreaterThanOrEqual(fastReconnect.minDelayMs);
    expect(close.report.delayMs).toBeLessThanOrEqual(fastReconnect.maxDelayMs);

    // It tries again: a second TCP connection reaches the blackhole.
    await blackhole.connections(2);
    expect(server.connectionCount).toBe(0);

    target = server.url;
    await nextEvent(client, 'open');
    expect(server.connectionCount).toBe(1);
    expect(client.url).toBe(server.url);
    expect(asked).toBeGreaterThanOrEqual(3);

    client.send('through');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'through' });
    expect(server.messages).toEqual(['through']);

    // Every failure before the open was a connect timeout, never a clean close.
    const closes = events.of<ResilientCloseEvent>('close');
    expect(closes.length).toBeGreaterThanOrEqual(1);
    for (const each of closes) {
      expect(each).toMatchObject({ code: 1006, reason: 'connect timeout', wasClean: false });
      expect(each.report.libraryCause).toBe('connect-timeout');
    }
    expect(events.of('giveup')).toHaveLength(0);
    // The abandoned sockets are really gone: the client closed its side of every blackhole connection.
    await waitUntil(() => blackhole.openCount === 0, 'every blackhole connection is closed');
  });
});

describe('a URL provider that never answers', () => {
  // Token refresh is the provider's use case; a refresh request that hangs
  // must not leave the socket 'connecting' forever with no event at all.
  // Expected: the attempt fails within connectTimeoutMs (as a connect
  // timeout or a provider failure) and the next attempt asks again.
  it('should count a provider that has not answered within connectTimeoutMs as a failed attempt and ask again', async () => {
    const server = await h.server();
    let calls = 0;
    const client = h.client(() => {
      calls += 1;
      return calls === 1 ? new Promise<string>(() => undefined) : server.url;
    }, { reconnect: fastReconnect, connectTimeoutMs });

    // Bound: 5x the timeout.
    const close = await nextEvent(client, 'close', { timeoutMs: 5 * connectTimeoutMs });
    expect(close.code).toBe(1006);
    expect(close.wasClean).toBe(false);
    expect(['connect-timeout', 'provider-failed']).toContain(close.report.libraryCause);
    await nextEvent(client, 'open');
    expect(calls).toBe(2);
    expect(server.connectionCount).toBe(1);
  });
});
