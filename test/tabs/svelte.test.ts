// @vitest-environment jsdom
/**
 * `shareAcrossTabs()` under the Svelte stores, against a real `ws` server:
 * two "tabs" (each with its own lock manager view of one fake browser, and
 * Node's BroadcastChannel between them) mount the compiled `Status`
 * component (Svelte 5 runes, `$feed` and `$messages`) on a
 * `resilientWebSocket` store made with the options they registered, and
 * one connection reaches the server; each component's state and message
 * follow the shared socket. Registering after a store connected on a
 * socket of its own throws.
 *
 * One JS realm holds both "tabs" here, so they would share the wrappers'
 * module store; each tab's stores use a `key` of their own to keep their
 * entries apart (as two realms would), and `tabs.key` puts both in one group.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Component } from 'svelte';
import { compile } from 'svelte/compiler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resilientWebSocket, type ResilientWebSocketStoreOptions } from '../../src/svelte/index.js';
import { shareAcrossTabs, type ShareAcrossTabsOptions, type TabLease } from '../../src/tabs/index.js';
import { fastReconnect, useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { countingWebSocket, nextTick, type CountingWebSocket } from '../wrappers/support.js';
import { FakeBrowser, wrapperTabOptions } from './fakes.js';

const h = useHarness();
let counting: CountingWebSocket;
let browser: FakeBrowser;
const leases: TabLease[] = [];
const mounted: Record<string, unknown>[] = [];

beforeEach(() => {
  counting = countingWebSocket();
  browser = new FakeBrowser();
});
afterEach(async () => {
  for (const component of mounted.splice(0)) await unmount(component);
  for (const lease of leases.splice(0)) lease.release();
  await nextTick(); // the grace tick: every socket is disposed
});

// Inside the repository, so the compiled module's `svelte/internal/client` import resolves.
const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(here, '../../node_modules/.cache/svelte-fixtures');

/** Compiles the wrappers' `fixtures/Status.svelte` with the Svelte compiler and imports the result. */
async function compiledStatus(): Promise<Component<Record<string, unknown>>> {
  const source = await readFile(path.join(here, '../wrappers/fixtures/Status.svelte'), 'utf8');
  const { js } = compile(source, { filename: 'Status.svelte', generate: 'client' });
  await mkdir(buildDir, { recursive: true });
  const file = path.join(buildDir, 'TabsStatus.js');
  await writeFile(file, js.code);
  return ((await import(/* @vite-ignore */ file)) as { default: Component<Record<string, unknown>> }).default;
}

// Node's resolution picks Svelte's server entry, where mount() throws; jsdom needs the client one.
const svelteRoot = path.dirname(createRequire(import.meta.url).resolve('svelte/package.json'));
const { flushSync, mount, unmount } = (await import(/* @vite-ignore */ path.join(svelteRoot, 'src/index-client.js'))) as typeof import('svelte');

/** The options of one "tab": the same object goes to `shareAcrossTabs()` and to the store. */
const tabOptions = (name: string): ShareAcrossTabsOptions & ResilientWebSocketStoreOptions<string> => wrapperTabOptions(browser, counting.WebSocket, name);

/** Mounts the Status component on `feed`; returns a reader of what it renders. */
async function mountStatus(feed: ReturnType<typeof resilientWebSocket<string>>): Promise<() => { state: string; message: string }> {
  const target = document.createElement('div');
  mounted.push(mount(await compiledStatus(), { target, props: { feed, messages: feed.messages } }));
  const text = (selector: string): string => target.querySelector(selector)?.textContent ?? '';
  return () => (flushSync(), { state: text('[data-state]'), message: text('[data-message]') });
}

describe('shareAcrossTabs() with resilientWebSocket (Svelte)', () => {
  it('should hold one server connection for two tabs, each component following the shared socket’s state and messages', async () => {
    const server = await h.server();
    const [a, b] = [tabOptions('a'), tabOptions('b')];
    const leaseA = shareAcrossTabs(server.url, a);
    const leaseB = shareAcrossTabs(server.url, b);
    leases.push(leaseA, leaseB);
    const feedA = resilientWebSocket<string>(server.url, a);
    const feedB = resilientWebSocket<string>(server.url, b);
    const viewA = await mountStatus(feedA);
    const viewB = await mountStatus(feedB);
    await waitUntil(() => viewA().state === 'open' && viewB().state === 'open', 'both tabs render open');

    expect(feedA.socket).toBe(leaseA.socket);
    expect(feedB.socket).toBe(leaseB.socket);
    expect([leaseA.socket.mode, leaseB.socket.mode].sort()).toEqual(['follower', 'leader']);
    expect(counting.constructed).toHaveLength(1);
    expect(server.connectionCount).toBe(1);

    server.connections[0]!.socket.send('price 42');
    await waitUntil(() => viewA().message === 'price 42' && viewB().message === 'price 42', 'both components render the message');

    const follower = leaseA.socket.mode === 'follower' ? feedA : feedB;
    expect(follower.send('from the follower')).toBe(false); // on its way through the leading tab
    await server.messagesReceived(1);
    expect(server.messages).toEqual(['from the follower']);
    await waitUntil(() => viewA().message === 'from the follower' && viewB().message === 'from the follower', 'both components render the echo');
    await nextTick(100); // a duplicate would arrive now
    expect(server.messages).toEqual(['from the follower']);
    expect(server.connectionCount).toBe(1);
    expect(counting.constructed).toHaveLength(1);
  });

  it('should throw, naming the cause, when a store of the tab already connected on a socket of its own', async () => {
    const server = await h.server();
    // What an app passes to the store: no `tabs` (the page's own Web Locks and BroadcastChannel are meant).
    const options = { WebSocket: counting.WebSocket, reconnect: fastReconnect, key: 'late' };
    const feed = resilientWebSocket<string>(server.url, options);
    const view = await mountStatus(feed);
    await waitUntil(() => view().state === 'open', 'the component shows open');
    expect(() => shareAcrossTabs(server.url, options)).toThrow(/already connected to this URL with these options on a socket of its own; call shareAcrossTabs\(\) before the first component connects/);
    await nextTick(100);
    expect(server.connectionCount).toBe(1); // no tab socket was made
    expect(counting.constructed).toHaveLength(1);
    expect(view().state).toBe('open');
  });
});
