/**
 * Messages sent while the server is down are queued and delivered once the
 * server is back: all of them, in order, each exactly once.
 */

import { describe, expect, it } from 'vitest';
import { fastReconnect, useHarness } from '../support/harness.js';
import { nextEvent, recordEvents } from '../support/wait.js';

const h = useHarness();

describe('the send buffer across an outage', () => {
  it('should deliver 100 messages sent while the server is down exactly once each, in order, after it restarts on the same port', async () => {
    const server = await h.server();
    // Heartbeat stays off (the default) so the server's log holds only our messages.
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'open');
    const { port } = server;

    const dropped = nextEvent(client, 'close');
    await server.stop();
    expect((await dropped).code).toBe(1006);

    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'drop', 'giveup']);
    const numbers = Array.from({ length: 100 }, (_, i) => String(i + 1));
    // Half now, half after at least one more failed attempt, so the queue
    // lives through retries and not just one wait.
    const sentNow = numbers.slice(0, 50).map((n) => client.send(n));
    await nextEvent(client, 'close', { filter: (event) => event.report.phase === 'handshake' });
    await nextEvent(client, 'reconnecting');
    const sentLater = numbers.slice(50).map((n) => client.send(n));

    // Nothing went to a live socket: every send was queued.
    expect([...sentNow, ...sentLater].every((live) => !live)).toBe(true);
    expect(client.bufferedAmount).toBe(numbers.join('').length);
    expect(server.connectionCount).toBe(1);

    const reopened = nextEvent(client, 'open');
    await server.restart();
    expect(server.port).toBe(port);
    await reopened;
    // A sentinel after the flush: once it arrives, everything queued before it has too.
    const echoed = nextEvent(client, 'message', { filter: (event) => event.data === 'end' });
    client.send('end');
    await server.messagesReceived(101);
    await echoed;

    expect(server.messages).toEqual([...numbers, 'end']);
    expect(server.connections[1]?.messages).toEqual([...numbers, 'end']);
    expect(server.connections[0]?.messages).toEqual([]);
    expect(server.connectionCount).toBe(2);
    expect(client.bufferedAmount).toBe(0);
    expect(events.of('drop')).toHaveLength(0);
    expect(events.of('giveup')).toHaveLength(0);
    expect(events.of('open')).toHaveLength(1);
  });
});
