// @vitest-environment jsdom
/**
 * The Svelte stores: the store contract itself, and real components (Svelte
 * 5 runes and Svelte 4 syntax) compiled by the Svelte compiler, mounted in
 * jsdom against a real `ws` server.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Component } from 'svelte';
import { compile } from 'svelte/compiler';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resilientWebSocket } from '../../src/svelte/index.js';
import { useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { closeWithinMs, countingWebSocket, nextTick, optionError, type CountingWebSocket } from './support.js';

const h = useHarness();
let counting: CountingWebSocket;
const mounted: Record<string, unknown>[] = [];

beforeEach(() => {
  counting = countingWebSocket();
});
afterEach(async () => {
  for (const component of mounted.splice(0)) await unmount(component);
  await nextTick();
});

// Inside the repository, so the compiled module's `svelte/internal/client` import resolves.
const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(here, '../../node_modules/.cache/svelte-fixtures');

/** Compiles `fixtures/<name>.svelte` with the Svelte compiler and imports the result. */
async function compiled(name: string): Promise<Component<Record<string, unknown>>> {
  const source = await readFile(path.join(here, 'fixtures', `${name}.svelte`), 'utf8');
  const { js } = compile(source, { filename: `${name}.svelte`, generate: 'client' });
  await mkdir(buildDir, { recursive: true });
  const file = path.join(buildDir, `${name}.js`);
  await writeFile(file, js.code);
  return ((await import(/* @vite-ignore */ file)) as { default: Component<Record<string, unknown>> }).default;
}

// Node's resolution picks Svelte's server entry, where mount() throws; jsdom needs the client one.
const svelteRoot = path.dirname(createRequire(import.meta.url).resolve('svelte/package.json'));
const { flushSync, mount, unmount } = (await import(/* @vite-ignore */ path.join(svelteRoot, 'src/index-client.js'))) as typeof import('svelte');

const text = (target: HTMLElement, selector: string): string => target.querySelector(selector)?.textContent ?? '';

describe('resilientWebSocket (Svelte)', () => {
  it('should connect on the first subscriber and release on the last', async () => {
    const server = await h.server();
    const feed = resilientWebSocket(server.url, { WebSocket: counting.WebSocket });
    // get() subscribes and leaves at once: the socket it started is disposed in the grace tick.
    expect(get(feed).state).toBe('connecting');
    await nextTick();
    expect(server.openCount).toBe(0);

    const states: string[] = [];
    const stopState = feed.subscribe((snapshot) => states.push(snapshot.state));
    const stopMessages = feed.messages.subscribe(() => undefined);
    await waitUntil(() => states.at(-1) === 'open', 'open');
    stopState();
    await nextTick(50);
    expect(server.openCount).toBe(1); // the messages subscriber still holds it
    stopMessages();
    await waitUntil(() => server.openCount === 0, 'the last unsubscribe closes it', closeWithinMs);
    expect(counting.constructed).toHaveLength(2); // one for get(), disposed in its grace tick, one for the subscribers
  });

  it('should name the option, the expected value and the given one for a bad option', () => {
    expect(() => resilientWebSocket('ws://127.0.0.1:9/', { selectMessage: 'data' } as object)).toThrow(optionError('Expected `selectMessage` to be a function, got "data"'));
  });

  for (const name of ['Status', 'LegacyStatus']) {
    it(`should drive a compiled ${name} component: state, messages, unmount`, async () => {
      const server = await h.server();
      const Component = await compiled(name);
      const feed = resilientWebSocket<string>(server.url, { WebSocket: counting.WebSocket });
      const target = document.createElement('div');
      const component = mount(Component, { target, props: { feed, messages: feed.messages } });
      mounted.push(component);
      await waitUntil(() => (flushSync(), text(target, '[data-state]')) === 'open', 'the component shows open');
      feed.send('hello');
      await waitUntil(() => (flushSync(), text(target, '[data-message]')) === 'hello', 'the echo shows');

      await unmount(mounted.pop()!);
      await waitUntil(() => server.openCount === 0, 'unmount closes the connection', closeWithinMs);
      await nextTick(300);
      expect(counting.constructed).toHaveLength(1);
    });
  }
});
