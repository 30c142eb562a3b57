/**
 * Half-open TCP: the peer is gone but nothing ever fires `close`. Only the
 * application-level heartbeat can notice. The server's first connection
 * plays a dead peer (stops reading, never answers); later connections
 * answer 'ping' with 'pong'.
 */

import { describe, expect, it } from 'vitest';
import type { ResilientCloseEvent } from '../../src/index.js';
import { fastReconnect, useHarness } from '../support/harness.js';
import { nextEvent, recordEvents, waitUntil } from '../support/wait.js';

const h = useHarness();

describe('the heartbeat', () => {
  it('should declare a silent peer dead with 1006 "heartbeat timeout" and reconnect to the answering server', async () => {
    const server = await h.server({ behaviour: { kind: 'dead' } });
    // A short interval, so pings come often; a timeout that a pong delayed on a busy machine (client
    // and server share this process's event loop) stays well inside.
    const heartbeat = { intervalMs: 200, timeoutMs: 1_000 };
    const client = h.client(server.url, { reconnect: fastReconnect, heartbeat });
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup', 'message']);

    await nextEvent(client, 'open');
    const dead = await server.connection(1);
    // Only connections from now on answer.
    server.behaviour = { kind: 'echo' };

    const close = await nextEvent(client, 'close');
    expect(close.code).toBe(1006);
    expect(close.reason).toBe('heartbeat timeout');
    expect(close.wasClean).toBe(false);
    expect(close.report).toMatchObject({ libraryCause: 'heartbeat-timeout', initiator: 'library', phase: 'open', decision: { action: 'reconnect' } });
    // interval (a ping after 200 ms of silence) + timeout (1 s): at least that much silence; the lower bound allows for timer rounding.
    expect(close.report.sinceLastMessageMs).toBeGreaterThanOrEqual(heartbeat.intervalMs + heartbeat.timeoutMs - 50);
    expect(close.report.sinceLastPongMs).toBeNull();
    // The dead peer read nothing (not even the ping), and as far as the
    // server knows its connection is still open: only the heartbeat could tell.
    expect(dead.messages).toEqual([]);
    expect(dead.closed).toBeNull();

    await nextEvent(client, 'open');
    const live = await server.connection(2);

    // On the live connection pings are answered: two heartbeat rounds pass
    // without a drop, and pongs never reach message listeners.
    await waitUntil(() => live.messages.filter((m) => m === 'ping').length >= 2, 'the live connection has received two pings');
    expect(live.messages.every((m) => m === 'ping')).toBe(true);
    expect(client.state).toBe('open');
    expect(events.of<ResilientCloseEvent>('close')).toHaveLength(1);
    expect(events.of<MessageEvent>('message').map((event) => event.data as unknown)).toEqual([]);

    client.send('still here');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'still here' });
    expect(server.connectionCount).toBe(2);
  });
});
