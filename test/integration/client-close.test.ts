/**
 * `close()` from the application is final: the server gets the code and
 * reason as sent, and nothing reconnects until `reconnect()`.
 */

import { describe, expect, it } from 'vitest';
import { fastReconnect, useHarness } from '../support/harness.js';
import { delay, nextEvent, recordEvents } from '../support/wait.js';

const h = useHarness();

describe('close() from the client', () => {
  it('should send its code and reason to the server, stay closed, and open a new connection on reconnect()', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    const first = await server.connection(1);
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);

    client.close(4321, 'done for today');
    // Native semantics: CLOSING at once, the close event later.
    expect(client.readyState).toBe(client.CLOSING);
    expect(events).toHaveLength(0);

    const close = await nextEvent(client, 'close');
    expect(await first.whenClosed).toEqual({ code: 4321, reason: 'done for today' });
    expect(close.code).toBe(4321);
    expect(close.reason).toBe('done for today');
    expect(close.wasClean).toBe(true);
    expect(close.report).toMatchObject({ initiator: 'client', decision: { action: 'stop' }, delayMs: null });
    expect(client.readyState).toBe(client.CLOSED);
    expect(client.state).toBe('closed');

    // Proving an absence needs a wait: five times the longest backoff (200 ms).
    await delay(5 * fastReconnect.maxDelayMs);
    expect(server.connectionCount).toBe(1);
    expect(events.map((event) => event.type)).toEqual(['close']);

    client.reconnect();
    expect(client.readyState).toBe(client.CONNECTING);
    await nextEvent(client, 'open');
    await server.connection(2);
    expect(server.connectionCount).toBe(2);
    expect(server.openCount).toBe(1);
    client.send('back');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'back' });
    expect(server.connections[1]?.messages).toEqual(['back']);
  });

  it('should close with no code as 1005 at the server and not reconnect', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    const first = await server.connection(1);

    client.close();
    const close = await nextEvent(client, 'close');
    expect(await first.whenClosed).toEqual({ code: 1005, reason: '' });
    expect(close.code).toBe(1005);
    expect(close.wasClean).toBe(true);
    await delay(3 * fastReconnect.maxDelayMs);
    expect(server.connectionCount).toBe(1);
  });

  it('should stay closed when close() comes while waiting for a retry, even once the server is back', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    await server.stop();
    await nextEvent(client, 'reconnecting');
    expect(client.state).toBe('waiting');
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);

    client.close(4001, 'never mind');
    expect(client.readyState).toBe(client.CLOSING);
    const close = await nextEvent(client, 'close');
    expect(close).toMatchObject({ code: 4001, reason: 'never mind', wasClean: true });
    expect(close.report.initiator).toBe('client');
    expect(client.state).toBe('closed');

    await server.restart();
    await delay(3 * fastReconnect.maxDelayMs);
    expect(server.connectionCount).toBe(1);
    expect(events.map((event) => event.type)).toEqual(['close']);
  });

  it('should close with 1000 "disposed" on dispose(), fire no further event, and never reconnect', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    const first = await server.connection(1);
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup', 'error']);

    client.dispose();
    expect(client.state).toBe('closed');
    expect(await first.whenClosed).toEqual({ code: 1000, reason: 'disposed' });
    await delay(3 * fastReconnect.maxDelayMs);
    expect(server.connectionCount).toBe(1);
    expect(events).toHaveLength(0);
  });
});
