// @vitest-environment jsdom
/**
 * The React hook against a real `ws` server: StrictMode, sharing, renders
 * per message, URL changes, unmount during an outage, hydration.
 */

import { act, cleanup, render } from '@testing-library/react';
import { StrictMode, createElement, useRef } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloseReport } from '../../src/index.js';
import { useResilientWebSocket, type UseResilientWebSocketOptions } from '../../src/react/index.js';
import { useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { closeWithinMs, countingWebSocket, nextTick, pendingTimers, type CountingWebSocket } from './support.js';

const h = useHarness();
let counting: CountingWebSocket;

beforeEach(() => {
  counting = countingWebSocket();
  // Updates arrive from socket events, as in an app: not inside act().
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
});
afterEach(async () => {
  cleanup();
  await nextTick(); // the grace tick: every socket is disposed
});

interface Probe {
  renders: number;
  state: string;
  lastMessage: unknown;
  result?: ReturnType<typeof useResilientWebSocket<unknown>>;
}

/** A component that shows the connection state, counting its renders into `probe`. */
function Status({ url, probe, options = {} }: { url: string | null; probe: Probe; options?: UseResilientWebSocketOptions }) {
  const result = useResilientWebSocket(url, { WebSocket: counting.WebSocket, reconnect: { baseDelayMs: 50, minDelayMs: 10, maxDelayMs: 200 }, ...options });
  const renders = useRef(0);
  renders.current += 1;
  probe.renders += 1;
  probe.state = result.state;
  // Only a component that reads lastMessage renders for messages.
  if (options.selectMessage !== undefined) probe.lastMessage = result.lastMessage;
  probe.result = result;
  return createElement('p', null, `${result.state} ${result.lastClose?.code ?? ''}`);
}

const newProbe = (): Probe => ({ renders: 0, state: '', lastMessage: undefined });

describe('useResilientWebSocket', () => {
  it('should construct one native socket and hold one server connection under StrictMode, and none after unmount', async () => {
    const server = await h.server();
    const probe = newProbe();
    const view = render(createElement(StrictMode, null, createElement(Status, { url: server.url, probe })));
    await waitUntil(() => probe.state === 'open', 'the component shows open');
    expect(counting.constructed).toHaveLength(1);
    expect(server.connectionCount).toBe(1);
    expect(server.openCount).toBe(1);

    view.unmount();
    await waitUntil(() => server.openCount === 0, 'the server connection closes', closeWithinMs);
    await nextTick(300);
    expect(counting.constructed).toHaveLength(1);
    expect(server.connectionCount).toBe(1);
  });

  it('should share one socket between components, close it after the last unmount, and keep it for a remount in the same tick', async () => {
    const server = await h.server();
    const [a, b] = [newProbe(), newProbe()];
    const both = (showA: boolean, showB: boolean) =>
      createElement('div', null, showA && createElement(Status, { key: 'a', url: server.url, probe: a }), showB && createElement(Status, { key: 'b', url: server.url, probe: b }));
    const view = render(both(true, true));
    await waitUntil(() => a.state === 'open' && b.state === 'open', 'both components show open');
    expect(a.result?.socket).toBe(b.result?.socket);
    expect(counting.constructed).toHaveLength(1);

    view.rerender(both(true, false));
    await nextTick(50);
    expect(server.openCount).toBe(1);
    // A swaps for B in one commit: the lease passes over without a new socket.
    view.rerender(both(false, true));
    await nextTick(50);
    expect(server.openCount).toBe(1);
    expect(counting.constructed).toHaveLength(1);

    view.rerender(both(false, false));
    await waitUntil(() => server.openCount === 0, 'the last unmount closes the connection', closeWithinMs);
    expect(counting.live()).toBe(0);
  });

  it('should render a status-only component 0 times per 1,000 messages, and a message reader only when its slice changes', async () => {
    const server = await h.server();
    const status = newProbe();
    const every = newProbe();
    const tenth = newProbe();
    const everyMessage = { selectMessage: (event: MessageEvent) => event.data as unknown };
    let seen = 0;
    // Changes every 100 messages; 'reset' starts the count again.
    const perHundred = { selectMessage: (event: MessageEvent) => (event.data === 'reset' ? (seen = 0) : Math.floor(++seen / 100)) };
    render(
      createElement(
        'div',
        null,
        createElement(Status, { url: server.url, probe: status }),
        createElement(Status, { url: server.url, probe: every, options: everyMessage }),
        createElement(Status, { url: server.url, probe: tenth, options: perHundred }),
      ),
    );
    await waitUntil(() => status.state === 'open' && every.state === 'open' && tenth.state === 'open', 'open');
    expect(counting.constructed).toHaveLength(1); // the message readers share the socket too
    const connection = await server.connection(1);
    // In one burst (React batches what arrives together), then one message per server tick.
    for (const [how, send] of [
      ['in one burst', async (i: number) => connection.socket.send(String(i))],
      ['one per tick', async (i: number) => {
        connection.socket.send(String(i));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }],
    ] as const) {
      const before = { status: status.renders, every: every.renders, tenth: tenth.renders };
      for (let i = 1; i <= 1000; i++) await send(i);
      await waitUntil(() => every.lastMessage === '1000' && tenth.lastMessage === 10, 'the readers see the 1,000th message');
      await nextTick(50);
      const renders = { status: status.renders - before.status, every: every.renders - before.every, tenth: tenth.renders - before.tenth };
      console.log(`[react] renders per 1,000 messages ${how}: status-only ${renders.status}, every message ${renders.every}, a value that changes every 100 messages ${renders.tenth}`);
      expect(renders.status).toBe(0);
      expect(renders.every).toBeGreaterThan(0);
      expect(renders.every).toBeLessThanOrEqual(1000);
      expect(renders.tenth).toBeLessThanOrEqual(10);
      // Back to a value the next round changes from.
      connection.socket.send('reset');
      await waitUntil(() => every.lastMessage === 'reset' && tenth.lastMessage === 0, 'reset');
    }
  });

  it('should close the old connection and open one new one when the URL changes, and hold it closed when disabled', async () => {
    const server = await h.server();
    const probe = newProbe();
    const view = render(createElement(Status, { url: `${server.url}a`, probe }));
    await waitUntil(() => probe.state === 'open', 'open on /a');
    view.rerender(createElement(Status, { url: `${server.url}b`, probe }));
    await waitUntil(() => server.connections[0]?.closed !== null && server.openCount === 1 && probe.state === 'open', 'the /a connection closes, /b opens');
    expect(server.connections.map((connection) => connection.path)).toEqual(['/a', '/b']);
    expect(counting.constructed).toHaveLength(2);

    // New serializable options are a new connection too; the same ones in a new object are not.
    view.rerender(createElement(Status, { url: `${server.url}b`, probe, options: { heartbeat: { intervalMs: 60_000 } } }));
    await waitUntil(() => server.connections[1]?.closed !== null && server.openCount === 1 && probe.state === 'open', 'new options: /b reopens');
    view.rerender(createElement(Status, { url: `${server.url}b`, probe, options: { heartbeat: { intervalMs: 60_000 } } }));
    await nextTick(100);
    expect(counting.constructed).toHaveLength(3);

    view.rerender(createElement(Status, { url: `${server.url}b`, probe, options: { enabled: false } }));
    await waitUntil(() => server.openCount === 0, 'disabled closes the connection', closeWithinMs);
    expect(probe.state).toBe('closed');
    view.rerender(createElement(Status, { url: null, probe }));
    await nextTick(300);
    expect(counting.constructed).toHaveLength(3);
  });

  it('should leave no socket and no timer after an unmount during an outage', async () => {
    const server = await h.server();
    const timersBefore = pendingTimers();
    const probe = newProbe();
    const view = render(createElement(Status, { url: server.url, probe }));
    await waitUntil(() => probe.state === 'open', 'open');
    await server.stop();
    await waitUntil(() => probe.state === 'waiting' && counting.constructed.length >= 2, 'retrying during the outage');
    const socket = probe.result?.socket;
    view.unmount();
    await nextTick(); // the grace tick
    expect(socket?.state).toBe('closed');
    expect(counting.live()).toBe(0);
    expect(pendingTimers()).toBeLessThanOrEqual(timersBefore);
    const attempts = counting.constructed.length;
    await server.restart();
    await nextTick(500);
    expect(counting.constructed).toHaveLength(attempts);
    expect(server.openCount).toBe(0);
  });

  it('should show CONNECTING, never CLOSING, between attempts and be back soon after the server returns, with default options', async () => {
    const server = await h.server();
    const probe = newProbe();
    const readyStates = new Set<number>();
    const seen: { lastClose: CloseReport | null } = { lastClose: null };
    function Recorder() {
      const { readyState, state, lastClose: report } = useResilientWebSocket(server.url, { WebSocket: counting.WebSocket });
      readyStates.add(readyState);
      probe.state = state;
      seen.lastClose = report;
      return null;
    }
    render(createElement(Recorder));
    await waitUntil(() => probe.state === 'open', 'open');
    // A single drop with the server still up: the first retry is uniform in [0, 1 s].
    const crashedAt = Date.now();
    server.crash();
    await waitUntil(() => probe.state === 'waiting', 'waiting');
    await waitUntil(() => probe.state === 'open', 'open after the drop');
    const dropBackMs = Date.now() - crashedAt;
    console.log(`[react] open again ${dropBackMs} ms after a single drop`);
    // The delay the policy chose is its own decision: exact. The return is at most that plus a
    // handshake; three times the 1 s for a busy machine.
    expect(seen.lastClose?.code).toBe(1006);
    expect(seen.lastClose?.delayMs).toBeLessThanOrEqual(1000);
    expect(dropBackMs).toBeLessThan(3 * 1000);
    await server.stop();
    // The first retry is fast and fails; the next waits one step of the spread schedule (at most the 10 s cap).
    await waitUntil(() => counting.constructed.length >= 3, 'a failed retry during the outage', 15_000);
    readyStates.clear();
    await server.restart();
    const back = Date.now();
    await waitUntil(() => probe.state === 'open', 'open again', 20_000);
    const backAfterMs = Date.now() - back;
    console.log(`[react] open again ${backAfterMs} ms after the server returned (default backoff, ${counting.constructed.length - 2} retries)`);
    expect([...readyStates].sort()).toEqual([0, 1]);
    // At most one default backoff step (cap 10 s), plus the handshake and late timers on a busy machine;
    // without the cap the next step would be longer.
    expect(backAfterMs).toBeLessThan(10_000 + 4_000);
  }, 60_000);

  it('should hydrate the server-rendered state without a mismatch, then connect', async () => {
    const server = await h.server();
    const probe = newProbe();
    const element = createElement(Status, { url: server.url, probe });
    const container = document.createElement('div');
    container.innerHTML = renderToString(element);
    expect(container.textContent).toBe('connecting ');
    expect(counting.constructed).toHaveLength(0);
    const errors: unknown[] = [];
    const root = await act(() => hydrateRoot(container, element, { onRecoverableError: (error) => errors.push(error) }));
    await waitUntil(() => probe.state === 'open', 'open after hydration');
    expect(errors).toEqual([]);
    expect(container.textContent).toBe('open ');
    act(() => root.unmount());
  });
});
