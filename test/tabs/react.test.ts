// @vitest-environment jsdom
/**
 * `shareAcrossTabs()` under the React hook, against a real `ws` server: two
 * "tabs" (each with its own lock manager view of one fake browser, and
 * Node's BroadcastChannel between them) render `useResilientWebSocket` with
 * the options they registered, and one connection reaches the server; each
 * hook's `state` and `lastMessage` follow the shared socket. Registering
 * after a component connected on a socket of its own throws.
 *
 * One JS realm holds both "tabs" here, so they would share the wrappers'
 * module store; each tab's components use a `key` of their own to keep
 * their store entries apart (as two realms would), and `tabs.key` puts both
 * in one group.
 */

import { cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useResilientWebSocket, type UseResilientWebSocketOptions } from '../../src/react/index.js';
import { shareAcrossTabs, type ShareAcrossTabsOptions, type TabLease } from '../../src/tabs/index.js';
import { fastReconnect, useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { countingWebSocket, nextTick, type CountingWebSocket } from '../wrappers/support.js';
import { FakeBrowser, wrapperTabOptions } from './fakes.js';

const h = useHarness();
let counting: CountingWebSocket;
let browser: FakeBrowser;
const leases: TabLease[] = [];

beforeEach(() => {
  counting = countingWebSocket();
  browser = new FakeBrowser();
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
});
afterEach(async () => {
  cleanup();
  for (const lease of leases.splice(0)) lease.release();
  await nextTick(); // the grace tick: every socket is disposed
});

interface Probe {
  state: string;
  lastMessage: unknown;
  socket?: unknown;
}

function Feed({ url, options, probe }: { url: string; options: UseResilientWebSocketOptions; probe: Probe }) {
  const result = useResilientWebSocket(url, { ...options, selectMessage: (event) => event.data as unknown });
  probe.state = result.state;
  probe.lastMessage = result.lastMessage;
  probe.socket = result.socket;
  return createElement('p', null, result.state);
}

/** The options of one "tab": the same object goes to `shareAcrossTabs()` and to the hook. */
const tabOptions = (name: string): ShareAcrossTabsOptions & UseResilientWebSocketOptions => wrapperTabOptions(browser, counting.WebSocket, name);

describe('shareAcrossTabs() with useResilientWebSocket', () => {
  it('should hold one server connection for two tabs, each hook following the shared socket’s state and messages', async () => {
    const server = await h.server();
    const [a, b] = [tabOptions('a'), tabOptions('b')];
    const leaseA = shareAcrossTabs(server.url, a);
    const leaseB = shareAcrossTabs(server.url, b);
    leases.push(leaseA, leaseB);
    const probeA: Probe = { state: '', lastMessage: undefined };
    const probeB: Probe = { state: '', lastMessage: undefined };
    render(createElement(Feed, { url: server.url, options: a, probe: probeA }));
    render(createElement(Feed, { url: server.url, options: b, probe: probeB }));
    await waitUntil(() => probeA.state === 'open' && probeB.state === 'open', 'both tabs show open');

    expect(probeA.socket).toBe(leaseA.socket);
    expect(probeB.socket).toBe(leaseB.socket);
    expect([leaseA.socket.mode, leaseB.socket.mode].sort()).toEqual(['follower', 'leader']);
    expect(counting.constructed).toHaveLength(1);
    expect(server.connectionCount).toBe(1);

    server.connections[0]!.socket.send('price 42');
    await waitUntil(() => probeA.lastMessage === 'price 42' && probeB.lastMessage === 'price 42', 'both hooks show the message');

    const follower = leaseA.socket.mode === 'follower' ? leaseA.socket : leaseB.socket;
    follower.send('from the follower');
    await server.messagesReceived(1);
    expect(server.messages).toEqual(['from the follower']);
    await waitUntil(() => probeA.lastMessage === 'from the follower' && probeB.lastMessage === 'from the follower', 'both hooks show the echo');
    expect(server.connectionCount).toBe(1);
    expect(counting.constructed).toHaveLength(1);
  });

  it('should throw, naming the cause, when a component of the tab already connected on a socket of its own', async () => {
    const server = await h.server();
    // What an app passes to the hook: no `tabs` (the page's own Web Locks and BroadcastChannel are meant).
    const options = { WebSocket: counting.WebSocket, reconnect: fastReconnect, key: 'late' };
    const probe: Probe = { state: '', lastMessage: undefined };
    render(createElement(Feed, { url: server.url, options, probe }));
    await waitUntil(() => probe.state === 'open', 'the component shows open');
    expect(() => shareAcrossTabs(server.url, options)).toThrow(/already connected to this URL with these options on a socket of its own; call shareAcrossTabs\(\) before the first component connects/);
    await nextTick(100);
    expect(server.connectionCount).toBe(1); // no tab socket was made
    expect(counting.constructed).toHaveLength(1);
    expect(probe.state).toBe('open');
  });
});
