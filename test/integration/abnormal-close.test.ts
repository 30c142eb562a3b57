/**
 * A server that dies without a close frame (crash, OOM kill, cut cable):
 * the client must say so truthfully (1006, not a clean 1000) and recover.
 */

import { describe, expect, it } from 'vitest';
import { fastReconnect, useHarness } from '../support/harness.js';
import { delay, nextEvent, recordEvents } from '../support/wait.js';

const h = useHarness();

describe('a connection dropped without a close frame', () => {
  it('should report 1006, wasClean false, initiated by the network while open, then reconnect and carry messages again', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup', 'message']);

    await nextEvent(client, 'open');
    const first = await server.connection(1);
    client.send('before');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'before' });

    const closed = nextEvent(client, 'close');
    server.crash();
    const close = await closed;

    expect(close.code).toBe(1006);
    expect(close.wasClean).toBe(false);
    expect(close.report).toMatchObject({
      code: 1006,
      wasClean: false,
      initiator: 'network',
      phase: 'open',
      libraryCause: null,
      class: 'abnormal',
      decision: { action: 'reconnect' },
    });
    // The server side saw no close frame either.
    expect(await first.whenClosed).toMatchObject({ code: 1006 });

    const reconnecting = events.of<Event & { delayMs: number; attempt: number }>('reconnecting');
    expect(reconnecting).toHaveLength(1);
    // The fast path after losing an open connection: the first retry is uniform in [0, 1 s].
    expect(reconnecting[0]?.delayMs).toBeGreaterThanOrEqual(0);
    expect(reconnecting[0]?.delayMs).toBeLessThanOrEqual(1_000);

    await nextEvent(client, 'open');
    const second = await server.connection(2);
    expect(server.connectionCount).toBe(2);
    expect(client.readyState).toBe(client.OPEN);

    client.send('after');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'after' });
    expect(second.messages).toEqual(['after']);
    expect(server.messages).toEqual(['before', 'after']);

    // Exactly one drop was reported, and it never masqueraded as a clean 1000.
    expect(events.filter((e) => e.type === 'close')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'giveup')).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['open', 'message', 'close', 'reconnecting', 'open', 'message']);
  });
});

describe('what a drop leaves in place', () => {
  it('should keep binaryType across a reconnect', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    client.binaryType = 'arraybuffer';
    server.crash();
    await nextEvent(client, 'close');
    await nextEvent(client, 'open');
    expect(server.connectionCount).toBe(2);

    const echoed = nextEvent(client, 'message');
    client.send(new Uint8Array([1, 2, 3]));
    const { data } = await echoed;
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(data as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(client.binaryType).toBe('arraybuffer');
  });

  it('should not reconnect when a close listener calls preventDefault()', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);
    client.addEventListener('close', (event) => event.preventDefault(), { once: true });

    server.crash();
    const close = await nextEvent(client, 'close');
    expect(close.code).toBe(1006);
    expect(close.defaultPrevented).toBe(true);
    expect(client.state).toBe('closed');
    // Longer than the longest possible fast-path retry (1 s), with margin.
    await delay(1_500);
    expect(server.connectionCount).toBe(1);
    expect(events.map((event) => event.type)).toEqual(['close']);

    client.reconnect();
    await nextEvent(client, 'open');
    expect(server.connectionCount).toBe(2);
  });
});
