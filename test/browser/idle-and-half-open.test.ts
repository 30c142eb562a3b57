/**
 * Scenarios 2 and 3: a proxy that cuts idle connections (only traffic
 * from the server counts, no close frame), and a connection that goes
 * half-open (the proxy black-holes it). The heartbeat is at 1 s / 1 s and
 * the server answers `ping` with `pong`, the library's defaults.
 */

import { describe, expect, it } from 'vitest';
import type { FaultProxy } from '../../tools/fault-proxy.js';
import { delay } from '../support/wait.js';
import type { TestServer } from '../support/ws-server.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import type { TestPage } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

const heartbeat = { intervalMs: 1_000, timeoutMs: 1_000 };
const idleTimeoutMs = 3_000;
const idleWindowMs = 12_000;
/** The spec's bound for scenario 3: connected again within 5 s of the line going dark. */
const halfOpenBoundMs = 5_000;
/**
 * The half-open scenario's heartbeat: a ping after 0.5 s of silence, dead 1 s later, then at most
 * 1 s of reconnect delay and a handshake: about 2.5 s, half the bound, which leaves the other half
 * to late timers and a slow browser on a busy machine. The pong's 1 s timeout is the idle scenario's.
 */
const halfOpenHeartbeat = { intervalMs: 500, timeoutMs: 1_000 };

/** A server behind a fault proxy, the proxy's URL, and a page. */
async function setUp(): Promise<{ server: TestServer; proxy: FaultProxy; url: string; page: TestPage }> {
  const server = await suite.server();
  const proxy = await suite.proxy(server.port);
  return { server, proxy, url: `ws://127.0.0.1:${proxy.port}/`, page: await suite.page() };
}

const pingsOf = (messages: readonly string[]): number => messages.filter((message) => message === 'ping').length;

describe(`a proxy idle timeout, seen from ${suite.engineTitle}`, () => {
  it('should not drop a connection during 12 s of idle when the heartbeat runs at 1 s / 1 s', async () => {
    const { server, proxy, url, page } = await setUp();
    proxy.idleTimeout(idleTimeoutMs);
    const client = await page.client('heartbeat', url, { heartbeat });
    const open = await client.waitFor({ type: 'open' });

    await delay(idleWindowMs); // the scenario is an absence of drops: there is no event to await

    const timeline = await client.timeline();
    expect(entriesOf(timeline.slice(open.index), 'close')).toEqual([]);
    expect(proxy.stats().dropped).toBe(0);
    expect(server.connectionCount).toBe(1);
    expect(server.openCount).toBe(1);
    // No drop means the server spoke at least once every 3 s: its pongs, one per ping.
    const pings = pingsOf(server.connections[0]!.messages);
    expect(pings).toBeGreaterThanOrEqual(idleWindowMs / idleTimeoutMs);
    // The connection still carries application messages, and pongs never reach them.
    expect(await client.send('still here')).toBe(true);
    await client.waitFor({ type: 'message', data: 'still here' }, { after: open.index });
    expect(entriesOf(await client.timeline(), 'message').map((entry) => entry.data)).toEqual(['still here']);
    printFigure('2 idle+heartbeat', `no drop in ${ms(idleWindowMs)} behind a ${ms(idleTimeoutMs)} idle timeout; ${pings} pings answered`);
  }, 60_000);

  it('should see the drop as 1006 and recover when the heartbeat is off', async () => {
    const { server, proxy, url, page } = await setUp();
    proxy.idleTimeout(idleTimeoutMs);
    const client = await page.client('silent', url);
    const open = await client.waitFor({ type: 'open' });

    const close = await client.waitFor({ type: 'close' }, { after: open.index, timeoutMs: idleTimeoutMs + 15_000 });
    expect(close.entry).toMatchObject({ code: 1006, wasClean: false, phase: 'open', initiator: 'network', decision: 'reconnect' });
    expect(proxy.stats().dropped).toBe(1);
    proxy.idleTimeout(0); // the fault has been seen; let the recovery be judged on its own

    const reopen = await client.waitFor({ type: 'open' }, { after: close.index });
    expect(await client.send('recovered')).toBe(true);
    await client.waitFor({ type: 'message', data: 'recovered' }, { after: reopen.index });
    expect(server.connectionCount).toBe(2);
    expect(server.connections[1]!.messages).toEqual(['recovered']);
    printFigure(
      '2 idle, no heartbeat',
      `dropped ${ms(close.entry.at - open.entry.at)} after open (proxy idle timeout ${ms(idleTimeoutMs)}), 1006 unclean; reconnected ${ms(reopen.entry.at - close.entry.at)} later`,
    );
  }, 60_000);
});

describe(`a half-open connection, seen from ${suite.engineTitle}`, () => {
  it('should be detected by the heartbeat and replaced within 5 s', async () => {
    const { server, proxy, url, page } = await setUp();
    const client = await page.client('half-open', url, { heartbeat: halfOpenHeartbeat });
    const open = await client.waitFor({ type: 'open' });
    await server.connection(1);

    const darkAt = Date.now();
    proxy.blackhole(); // the live connection forwards nothing, both sockets stay open; new ones work
    const close = await client.waitFor({ type: 'close' }, { after: open.index });
    expect(close.entry).toMatchObject({ code: 1006, wasClean: false, phase: 'open', initiator: 'library', libraryCause: 'heartbeat-timeout', decision: 'reconnect' });
    const reopen = await client.waitFor({ type: 'open' }, { after: close.index });
    const backMs = reopen.entry.at - darkAt;
    expect(backMs).toBeLessThanOrEqual(halfOpenBoundMs);

    expect(await client.send('on the new line')).toBe(true);
    await client.waitFor({ type: 'message', data: 'on the new line' }, { after: reopen.index });
    expect(server.connectionCount).toBe(2);
    // The server never learned that the first connection died: half-open from its side too.
    expect(server.connections[0]!.closed).toBeNull();
    expect(server.connections[1]!.messages.filter((message) => message !== 'ping')).toEqual(['on the new line']);
    printFigure('3 half-open', `heartbeat timeout ${ms(close.entry.at - darkAt)} after the black hole; connected again after ${ms(backMs)} (bound ${ms(halfOpenBoundMs)})`);
  }, 60_000);
});
