// @vitest-environment jsdom
/**
 * Server rendering, then hydration, for each wrapper: the real server
 * renderer's output (vue/server-renderer, react-dom/server, svelte/server)
 * hydrated in jsdom by the framework's client, with its mismatch warnings
 * turned into failures (console.warn and console.error spied on, Vue's
 * `warnHandler`, React's `onRecoverableError`). The server has no socket:
 * it renders the state the client's first render shows (`connecting` for a
 * URL the client connects to, `closed` when held closed), and constructs
 * nothing. While the server renders, `window` is undefined, as on a server.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { act, createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString as renderReact } from 'react-dom/server';
import type { Component } from 'svelte';
import { compile } from 'svelte/compiler';
import { render as renderSvelte } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h as vnode, type Component as VueComponent } from 'vue';
import { renderToString as renderVue } from 'vue/server-renderer';
import { useResilientWebSocket as useReact, type UseResilientWebSocketOptions } from '../../src/react/index.js';
import { resilientWebSocket } from '../../src/svelte/index.js';
import { useResilientWebSocket as useVue } from '../../src/vue/index.js';
import { countingWebSocket, nextTick, type CountingWebSocket } from './support.js';

let counting: CountingWebSocket;
/** Every warning and error the frameworks printed or reported. */
let complaints: unknown[][];

beforeEach(() => {
  counting = countingWebSocket();
  complaints = [];
  for (const method of ['warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void complaints.push(args));
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await nextTick(); // the grace tick: every socket is disposed
});

/** Runs `render` as on a server: no `window`. */
async function onServer<T>(render: () => Promise<T> | T): Promise<T> {
  vi.stubGlobal('window', undefined);
  try {
    return await render();
  } finally {
    vi.unstubAllGlobals();
  }
}

/** A container holding the server's HTML, as the browser parsed it. */
function page(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  return container;
}

const url = 'ws://127.0.0.1:9/';

/** What each case renders: a URL the client connects to, and connections held closed. */
const cases: readonly { name: string; url: string | null; expected: string; options?: { immediate?: boolean; enabled?: boolean } }[] = [
  { name: 'a URL', url, expected: 'connecting 0' },
  { name: 'a null URL', url: null, expected: 'closed 3' },
];

describe('Vue: renderToString, then createSSRApp().mount() hydrates', () => {
  const App = (href: string | null, options: { immediate?: boolean } = {}): VueComponent =>
    defineComponent({
      setup() {
        const { state, readyState } = useVue(href, { WebSocket: counting.WebSocket, ...options });
        return () => vnode('p', `${state.value} ${readyState.value}`);
      },
    });

  for (const { name, url: href, expected, options } of [...cases, { name: 'immediate: false', url, expected: 'closed 3', options: { immediate: false } }]) {
    it(`should hydrate the server's "${expected}" without a mismatch (${name})`, async () => {
      const html = await onServer(() => renderVue(createSSRApp(App(href, options))));
      expect(counting.constructed).toHaveLength(0);
      const container = page(html);
      expect(container.textContent).toBe(expected);

      const app = createSSRApp(App(href, options));
      const warnings: string[] = [];
      app.config.warnHandler = (message) => void warnings.push(message);
      app.mount(container);
      expect(warnings).toEqual([]);
      expect(complaints).toEqual([]);
      expect(container.textContent).toBe(expected); // the client's first render, before any socket event
      app.unmount();
    });
  }
});

describe('React: renderToString, then hydrateRoot', () => {
  function Status({ href, options = {} }: { href: string | null; options?: UseResilientWebSocketOptions | undefined }) {
    const { state, readyState } = useReact(href, { WebSocket: counting.WebSocket, ...options });
    return createElement('p', null, `${state} ${readyState}`);
  }

  for (const { name, url: href, expected, options } of [...cases, { name: 'enabled: false', url, expected: 'closed 3', options: { enabled: false } }]) {
    it(`should hydrate the server's "${expected}" without a mismatch (${name})`, async () => {
      const element = createElement(Status, { href, options });
      const html = await onServer(() => renderReact(element));
      expect(counting.constructed).toHaveLength(0);
      const container = page(html);
      expect(container.textContent).toBe(expected);

      const recoverable: unknown[] = [];
      const root = hydrateRoot(container, element, { onRecoverableError: (error) => void recoverable.push(error) });
      await act(async () => undefined);
      expect(recoverable).toEqual([]);
      expect(complaints).toEqual([]);
      act(() => root.unmount());
    });
  }
});

describe('Svelte: svelte/server render, then hydrate', () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const buildDir = path.join(here, '../../node_modules/.cache/svelte-fixtures');
  // Node's resolution picks Svelte's server entry; hydration needs the client one.
  const svelteRoot = path.dirname(createRequire(import.meta.url).resolve('svelte/package.json'));
  type Client = typeof import('svelte');

  /** Compiles `fixtures/Status.svelte` for `generate` (with development checks) and imports it. */
  async function compiled(generate: 'client' | 'server'): Promise<Component<Record<string, unknown>>> {
    const source = await readFile(path.join(here, 'fixtures', 'Status.svelte'), 'utf8');
    const { js } = compile(source, { filename: 'Status.svelte', generate, dev: true });
    await mkdir(buildDir, { recursive: true });
    const file = path.join(buildDir, `Status.hydration.${generate}.js`);
    await writeFile(file, js.code);
    return ((await import(/* @vite-ignore */ file)) as { default: Component<Record<string, unknown>> }).default;
  }

  it('should hydrate the server\'s "connecting" without a mismatch, and construct no socket on the server', async () => {
    const [Server, Client] = await Promise.all([compiled('server'), compiled('client')]);
    const { hydrate, unmount, flushSync } = (await import(/* @vite-ignore */ path.join(svelteRoot, 'src/index-client.js'))) as Client;
    const { body } = await onServer(() => {
      const feed = resilientWebSocket(url, { WebSocket: counting.WebSocket });
      return renderSvelte(Server, { props: { feed, messages: feed.messages } });
    });
    await nextTick();
    expect(counting.constructed).toHaveLength(0);
    const container = page(body);
    expect(container.querySelector('[data-state]')?.textContent).toBe('connecting');

    const feed = resilientWebSocket(url, { WebSocket: counting.WebSocket });
    const component = hydrate(Client, { target: container, props: { feed, messages: feed.messages } });
    flushSync();
    expect(complaints).toEqual([]);
    expect(container.querySelector('[data-state]')?.textContent).toBe('connecting');
    await unmount(component);
  });
});
