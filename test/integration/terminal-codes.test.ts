/**
 * Close codes that must not be retried forever: 1008 (policy, usually a
 * bad token) gets two slow retries, 1003 and codes the application marks
 * terminal stop at once. The server closes every connection right after
 * the handshake, so each retry is a new connection it can count.
 */

import { describe, expect, it } from 'vitest';
import type { GiveUpEvent, ReconnectingEvent, ResilientCloseEvent } from '../../src/index.js';
import { fastReconnect, useHarness, warpedClock } from '../support/harness.js';
import { delay, nextEvent, recordEvents } from '../support/wait.js';

const h = useHarness();

/**
 * 1008's retries have a 5 s policy floor. Rather than wait 10 s of real
 * time, the client's clock runs 10x fast: the library still computes and
 * reports 5 s delays, the test waits 0.5 s for each. The connect timeout
 * is scaled up so it keeps a generous real-time meaning (10 s).
 */
const speed = 10;
const warped = { clock: warpedClock(speed), connectTimeoutMs: 100_000 } as const;

describe('terminal and limited close codes', () => {
  it('should retry 1008 at most twice, 5 s apart, then give up (3 connections in all)', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 1008, reason: 'bad token' } });
    const client = h.client(server.url, { reconnect: fastReconnect, ...warped });
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);

    const giveup = await nextEvent(client, 'giveup');

    expect(server.connectionCount).toBe(3);
    const closes = events.of<ResilientCloseEvent>('close');
    expect(closes.map((event) => [event.code, event.reason, event.wasClean])).toEqual([
      [1008, 'bad token', true],
      [1008, 'bad token', true],
      [1008, 'bad token', true],
    ]);
    expect(closes.map((event) => event.report.decision.action)).toEqual(['reconnect', 'reconnect', 'stop']);
    const retries = events.of<ReconnectingEvent>('reconnecting');
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    for (const retry of retries) expect(retry.delayMs).toBeGreaterThanOrEqual(5_000);
    expect(giveup.report).toMatchObject({ code: 1008, class: 'policy-violation', initiator: 'server', decision: { action: 'stop' } });
    expect(events.map((event) => event.type)).toEqual(['open', 'close', 'reconnecting', 'open', 'close', 'reconnecting', 'open', 'close', 'giveup']);
    expect(client.state).toBe('closed');
    expect(client.readyState).toBe(client.CLOSED);

    // Nothing is left scheduled: no 4th connection after two would-be retry periods (5 s each in the client's time).
    await delay((2 * 5_000) / speed);
    expect(server.connectionCount).toBe(3);
  });

  it('should give up on the first 4000 when the policy says stop', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 4000, reason: 'kicked' } });
    const client = h.client(server.url, { reconnect: fastReconnect, policy: { codes: { 4000: 'stop' } } });
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);

    const giveup: GiveUpEvent = await nextEvent(client, 'giveup');

    expect(giveup.report).toMatchObject({ code: 4000, reason: 'kicked', wasClean: true, initiator: 'server', decision: { action: 'stop' } });
    expect(events.map((event) => event.type)).toEqual(['open', 'close', 'giveup']);
    expect(events.of<ResilientCloseEvent>('close')[0]?.code).toBe(4000);
    expect(server.connectionCount).toBe(1);
    expect(client.state).toBe('closed');
    // Three backoff periods (200 ms cap) later: still one connection.
    await delay(3 * fastReconnect.maxDelayMs);
    expect(server.connectionCount).toBe(1);
  });

  it('should give up on the first 1003 (unsupported data) by default', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 1003, reason: 'no binary' } });
    const client = h.client(server.url, { reconnect: fastReconnect });
    const events = recordEvents(client, ['open', 'close', 'reconnecting', 'giveup']);

    const giveup = await nextEvent(client, 'giveup');

    expect(giveup.report).toMatchObject({ code: 1003, class: 'unsupported-data', wasClean: true, decision: { action: 'stop' } });
    expect(events.map((event) => event.type)).toEqual(['open', 'close', 'giveup']);
    expect(events.of<ResilientCloseEvent>('close')[0]?.code).toBe(1003);
    expect(server.connectionCount).toBe(1);
    await delay(3 * fastReconnect.maxDelayMs);
    expect(server.connectionCount).toBe(1);
  });
});

describe('after giving up', () => {
  it('should connect again on reconnect()', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 1003, reason: 'no binary' } });
    const client = h.client(server.url, { reconnect: fastReconnect });
    await nextEvent(client, 'giveup');
    server.behaviour = { kind: 'echo' };

    client.reconnect();
    await nextEvent(client, 'open');
    expect(server.connectionCount).toBe(2);
    expect(client.attempt).toBe(0);
    client.send('back');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'back' });
  });
});
