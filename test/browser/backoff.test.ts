/**
 * Scenario 5: the server is down for 15 s. Two clients, each in its own
 * browser context and behind its own proxy port (Chromium lets only one
 * handshake per host:port be pending, so shared ports would couple them),
 * retry with growing, capped, jittered delays, not in lockstep, and are
 * back within one maximum delay of the server's return.
 */

import { describe, expect, it } from 'vitest';
import type { FaultProxy } from '../../tools/fault-proxy.js';
import { delay } from '../support/wait.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import type { PageClient } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

// The growing schedule ('full-jitter'); the default ('spread') does not grow, see fleet.test.ts.
const reconnect = { strategy: 'full-jitter', baseDelayMs: 250, maxDelayMs: 3_000 } as const;
const downtimeMs = 15_000;
/**
 * Headroom over the one max-delay bound for the failed handshake in progress, the handshake itself
 * and late timers on a busy machine: as much again. The cap itself is checked exactly, on the
 * delays the library chose.
 */
const handshakeHeadroomMs = reconnect.maxDelayMs;
/** The documented plateau: once at the cap, waits are uniform in [0.8, 1] x cap. */
const plateauFloorMs = 0.8 * reconnect.maxDelayMs;
/** The documented first retry after losing an open connection: uniform in [0, 1 s]. */
const firstRetryMaxMs = 1_000;

/** What one client went through during the outage. */
interface Outage {
  /** The delays the library chose, in order (`reconnecting` events). */
  readonly delays: number[];
  /** The retry number of each delay. */
  readonly attempts: number[];
  /** From the restart to the client's `open`. */
  readonly backMs: number;
  /** From the restart to the library's attempt that opened (negative when it started before the restart). */
  readonly attemptMs: number;
  /** From that attempt's constructor call to its `open`: the browser's own share. */
  readonly handshakeMs: number;
  /** Native WebSockets the client constructed, in all. */
  readonly constructs: number;
}

/** Reads one client's outage from its timeline, and checks it against its proxy's count. */
async function outageOf(client: PageClient, proxy: FaultProxy, restartedAt: number): Promise<Outage> {
  const close = await client.waitFor({ type: 'close', phase: 'open' });
  const reopen = await client.waitFor({ type: 'open' }, { after: close.index, timeoutMs: reconnect.maxDelayMs + 15_000 });
  const during = (await client.timeline()).slice(close.index, reopen.index);
  const retries = entriesOf(during, 'reconnecting');
  const constructs = (await client.constructs()).length;
  // Every attempt reached the network: the proxy accepted exactly as many connections as the page constructed sockets.
  expect(proxy.stats().accepted).toBe(constructs);
  // One attempt per wait: the failed handshakes, then the one that opened.
  expect(entriesOf(during, 'close').length).toBe(retries.length);
  expect(constructs).toBe(1 + retries.length);
  const opening = (await client.constructs()).at(-1)!;
  return {
    delays: retries.map((entry) => entry.delayMs),
    attempts: retries.map((entry) => entry.attempt),
    backMs: reopen.entry.at - restartedAt,
    attemptMs: opening.at - restartedAt,
    handshakeMs: reopen.entry.at - opening.at,
    constructs,
  };
}

/** Checks one client's schedule: grows, stays under the cap, reaches the plateau. */
function expectBackoff(outage: Outage): void {
  const { delays, attempts } = outage;
  // A 15 s outage under a 3 s cap takes at least 5 waits.
  expect(delays.length).toBeGreaterThanOrEqual(downtimeMs / reconnect.maxDelayMs);
  expect(attempts).toEqual(delays.map((_, i) => i + 1));
  for (const delayMs of delays) {
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(reconnect.maxDelayMs);
  }
  expect(delays[0]).toBeLessThanOrEqual(firstRetryMaxMs);
  // Growth: the last waits sit on the plateau below the cap, above every one of the first three.
  const plateau = delays.slice(-2);
  for (const delayMs of plateau) expect(delayMs).toBeGreaterThanOrEqual(plateauFloorMs);
  expect(Math.max(...delays.slice(0, 3))).toBeLessThan(Math.min(...plateau));
}

describe(`backoff while the server is down, seen from ${suite.engineTitle}`, () => {
  it('should retry with growing, capped, jittered delays, not in lockstep across clients, and be back within one max delay', async () => {
    const server = await suite.server();
    const proxies = await Promise.all([suite.proxy(server.port), suite.proxy(server.port)]);
    const pages = await Promise.all([suite.page(), suite.page()]);
    const clients = await Promise.all(pages.map((page, i) => page.client(`client${i}`, `ws://127.0.0.1:${proxies[i]!.port}/`, { reconnect })));
    await Promise.all(clients.map((client) => client.waitFor({ type: 'open' })));

    const stoppedAt = Date.now();
    await server.stop(); // live connections destroyed; new ones refused behind the proxies
    await Promise.all(clients.map((client) => client.waitFor({ type: 'close', code: 1006, phase: 'open' })));
    await delay(stoppedAt + downtimeMs - Date.now()); // the scenario: 15 s of downtime
    await server.restart();
    const restartedAt = Date.now();

    const outages = await Promise.all(clients.map((client, i) => outageOf(client, proxies[i]!, restartedAt)));
    for (const outage of outages) {
      expectBackoff(outage);
      // The library's attempt comes within one max delay; the handshake is the browser's (Firefox delays reconnects to a host that just failed).
      expect(outage.attemptMs).toBeLessThanOrEqual(reconnect.maxDelayMs + handshakeHeadroomMs);
      if (suite.engine !== 'firefox') expect(outage.backMs).toBeLessThanOrEqual(reconnect.maxDelayMs + handshakeHeadroomMs);
    }
    expect(server.connectionCount).toBe(4);
    expect(server.openCount).toBe(2);

    // Jitter: the two clients chose different waits, by more than timer noise.
    const [a, b] = outages as [Outage, Outage];
    const common = Math.min(a.delays.length, b.delays.length);
    const spread = Math.max(...a.delays.slice(0, common).map((delayMs, i) => Math.abs(delayMs - b.delays[i]!)));
    expect(spread).toBeGreaterThan(100);

    const waits = (outage: Outage): string => outage.delays.map((delayMs) => Math.round(delayMs)).join(', ');
    printFigure(
      '5 backoff',
      `waits (cap ${reconnect.maxDelayMs}) client A: ${waits(a)} ms; client B: ${waits(b)} ms; largest A/B difference at the same retry ${ms(spread)};` +
        ` the opening attempt ${ms(a.attemptMs)} and ${ms(b.attemptMs)} after the restart, open ${ms(a.backMs)} and ${ms(b.backMs)} after it (handshakes ${ms(a.handshakeMs)}, ${ms(b.handshakeMs)})`,
    );
  }, 90_000);
});
