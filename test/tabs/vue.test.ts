// @vitest-environment jsdom
/**
 * `shareAcrossTabs()` under the Vue composable, against a real `ws` server:
 * two "tabs" (each with its own lock manager view of one fake browser, and
 * Node's BroadcastChannel between them) mount a component that calls
 * `useResilientWebSocket` with the options they registered, and one
 * connection reaches the server; each component's `state` and `data`
 * follow the shared socket. Registering after a component connected on a
 * socket of its own throws.
 *
 * One JS realm holds both "tabs" here, so they would share the wrappers'
 * module store; each tab's components use a `key` of their own to keep
 * their store entries apart (as two realms would), and `tabs.key` puts both
 * in one group.
 */

import { mount, type VueWrapper } from '@vue/test-utils';
import { defineComponent, h as vnode } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useResilientWebSocket, type UseResilientWebSocketOptions, type UseResilientWebSocketReturn } from '../../src/vue/index.js';
import { shareAcrossTabs, type ShareAcrossTabsOptions, type TabLease } from '../../src/tabs/index.js';
import { fastReconnect, useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { countingWebSocket, nextTick, type CountingWebSocket } from '../wrappers/support.js';
import { FakeBrowser, wrapperTabOptions } from './fakes.js';

const h = useHarness();
let counting: CountingWebSocket;
let browser: FakeBrowser;
const leases: TabLease[] = [];
const mounted: VueWrapper[] = [];

beforeEach(() => {
  counting = countingWebSocket();
  browser = new FakeBrowser();
});
afterEach(async () => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
  for (const lease of leases.splice(0)) lease.release();
  await nextTick(); // the grace tick: every socket is disposed
});

/** Mounts a component that renders the composable's state and last message; returns what the composable gave it. */
function mountFeed(url: string, options: UseResilientWebSocketOptions<string>): UseResilientWebSocketReturn<string> {
  let result: UseResilientWebSocketReturn<string> | undefined;
  const Feed = defineComponent({
    setup() {
      const feed = useResilientWebSocket<string>(url, options);
      result = feed;
      return () => vnode('p', null, [vnode('span', { 'data-state': '' }, feed.state.value), vnode('span', { 'data-message': '' }, feed.data.value ?? '')]);
    },
  });
  mounted.push(mount(Feed));
  return result!;
}

/** The options of one "tab": the same object goes to `shareAcrossTabs()` and to the composable. */
const tabOptions = (name: string): ShareAcrossTabsOptions & UseResilientWebSocketOptions<string> => wrapperTabOptions(browser, counting.WebSocket, name);

describe('shareAcrossTabs() with useResilientWebSocket (Vue)', () => {
  it('should hold one server connection for two tabs, each component following the shared socket’s state and messages', async () => {
    const server = await h.server();
    const [a, b] = [tabOptions('a'), tabOptions('b')];
    const leaseA = shareAcrossTabs(server.url, a);
    const leaseB = shareAcrossTabs(server.url, b);
    leases.push(leaseA, leaseB);
    const feedA = mountFeed(server.url, a);
    const feedB = mountFeed(server.url, b);
    const [viewA, viewB] = mounted.map((wrapper) => () => ({ state: wrapper.get('[data-state]').text(), message: wrapper.get('[data-message]').text() }));
    await waitUntil(() => viewA!().state === 'open' && viewB!().state === 'open', 'both tabs render open');

    expect(feedA.socket.value).toBe(leaseA.socket);
    expect(feedB.socket.value).toBe(leaseB.socket);
    expect([leaseA.socket.mode, leaseB.socket.mode].sort()).toEqual(['follower', 'leader']);
    expect(counting.constructed).toHaveLength(1);
    expect(server.connectionCount).toBe(1);

    server.connections[0]!.socket.send('price 42');
    await waitUntil(() => viewA!().message === 'price 42' && viewB!().message === 'price 42', 'both components render the message');

    const follower = leaseA.socket.mode === 'follower' ? feedA : feedB;
    expect(follower.send('from the follower')).toBe(false); // on its way through the leading tab
    await server.messagesReceived(1);
    expect(server.messages).toEqual(['from the follower']);
    await waitUntil(() => viewA!().message === 'from the follower' && viewB!().message === 'from the follower', 'both components render the echo');
    await nextTick(100); // a duplicate would arrive now
    expect(server.messages).toEqual(['from the follower']);
    expect(server.connectionCount).toBe(1);
    expect(counting.constructed).toHaveLength(1);
  });

  it('should throw, naming the cause, when a component of the tab already connected on a socket of its own', async () => {
    const server = await h.server();
    // What an app passes to the composable: no `tabs` (the page's own Web Locks and BroadcastChannel are meant).
    const options = { WebSocket: counting.WebSocket, reconnect: fastReconnect, key: 'late' };
    const feed = mountFeed(server.url, options);
    await waitUntil(() => feed.state.value === 'open', 'the component shows open');
    expect(() => shareAcrossTabs(server.url, options)).toThrow(/already connected to this URL with these options on a socket of its own; call shareAcrossTabs\(\) before the first component connects/);
    await nextTick(100);
    expect(server.connectionCount).toBe(1); // no tab socket was made
    expect(counting.constructed).toHaveLength(1);
    expect(feed.state.value).toBe('open');
  });
});
