// @vitest-environment jsdom
/**
 * The wrappers agree on messages and on sharing. Each exposes the latest
 * message's `data` by default (React's `lastMessage`, Vue's `data`,
 * Svelte's `messages`), and a selector narrows it: a value that does not
 * change renders nothing. `share: true` is the default sharing (one socket
 * for the views that ask for the same connection), `share: false` a socket
 * of its own. Driven by a hand-held socket double.
 */

import { act, cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { effectScope, watch } from 'vue';
import { useResilientWebSocket as useReact, type UseResilientWebSocketOptions } from '../../src/react/index.js';
import { resilientWebSocket } from '../../src/svelte/index.js';
import { useResilientWebSocket as useVue } from '../../src/vue/index.js';
import { fakeSockets, type FakeSockets } from '../class/fake-socket.js';
import { nextTick, optionError } from './support.js';

const url = 'ws://127.0.0.1:9/';
let fakes: FakeSockets;
const stops: (() => void)[] = [];

beforeEach(() => {
  fakes = fakeSockets();
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(async () => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  await nextTick(); // the grace tick: every socket is disposed
});

/** Lets the connection attempt and the store's microtask run. */
const settle = (): Promise<void> => act(() => nextTick());

/** Accepts every socket made so far, then delivers `messages` on each. */
async function openAndSend(...messages: string[]): Promise<void> {
  await settle();
  for (const socket of fakes.instances) socket.accept();
  await settle();
  for (const data of messages) {
    await act(async () => {
      for (const socket of fakes.instances) socket.message(data);
    });
  }
}

describe('React', () => {
  /** Renders `lastMessage` (or the state alone), counting renders. */
  function View({ name, renders, options = {}, readsMessages = true }: { name: string; renders: Record<string, number>; options?: UseResilientWebSocketOptions; readsMessages?: boolean }) {
    const result = useReact(url, { WebSocket: fakes.Impl, ...options });
    renders[name] = (renders[name] ?? 0) + 1;
    return createElement('p', { 'data-name': name }, readsMessages ? `${result.state} ${String(result.lastMessage)}` : result.state);
  }
  const text = (container: HTMLElement, name: string): string => container.querySelector(`[data-name="${name}"]`)?.textContent ?? '';

  it('should give the latest message data by default, render a status-only view for no message, and skip renders for an unchanged selected value', async () => {
    const renders: Record<string, number> = {};
    const { container } = render(
      createElement(
        'div',
        null,
        createElement(View, { name: 'data', renders }),
        createElement(View, { name: 'status', renders, readsMessages: false }),
        createElement(View, { name: 'length', renders, options: { selectMessage: (event) => String(event.data).length } }),
      ),
    );
    await openAndSend();
    const before = { ...renders };
    await openAndSend('one', 'two', 'six', 'three');
    expect(fakes.instances).toHaveLength(1);
    expect(text(container, 'data')).toBe('open three');
    expect(text(container, 'length')).toBe('open 5');
    expect(renders.data! - before.data!).toBe(4);
    expect(renders.status! - before.status!).toBe(0);
    expect(renders.length! - before.length!).toBe(2); // 3, then 5: "two" and "six" change nothing
  });

  it('should accept share: true as the default sharing, and give share: false a socket of its own', async () => {
    const renders: Record<string, number> = {};
    render(
      createElement(
        'div',
        null,
        createElement(View, { name: 'a', renders, options: { share: true } }),
        createElement(View, { name: 'b', renders }),
        createElement(View, { name: 'c', renders, options: { share: false } }),
        createElement(View, { name: 'd', renders, options: { share: false } }),
      ),
    );
    await settle();
    expect(fakes.instances).toHaveLength(3);
    expect(() => render(createElement(View, { name: 'bad', renders, options: { share: 'yes' } as object }))).toThrow(optionError('Expected `share` to be a boolean, got "yes"'));
  });
});

describe('Vue', () => {
  it('should give the latest message data by default, and skip updates for an unchanged selected value', async () => {
    const scope = effectScope();
    const seen = { data: [] as unknown[], length: [] as unknown[] };
    scope.run(() => {
      watch(useVue(url, { WebSocket: fakes.Impl }).data, (value) => seen.data.push(value), { flush: 'sync' });
      watch(useVue(url, { WebSocket: fakes.Impl, selectMessage: (event) => String(event.data).length }).data, (value) => seen.length.push(value), { flush: 'sync' });
    });
    stops.push(() => scope.stop());
    await openAndSend('one', 'two', 'six', 'three');
    expect(fakes.instances).toHaveLength(1);
    expect(seen).toEqual({ data: ['one', 'two', 'six', 'three'], length: [3, 5] });
  });

  it('should accept share: true as the default sharing, and give share: false a socket of its own', async () => {
    const scope = effectScope();
    stops.push(() => scope.stop());
    scope.run(() => {
      useVue(url, { WebSocket: fakes.Impl, share: true });
      useVue(url, { WebSocket: fakes.Impl });
      useVue(url, { WebSocket: fakes.Impl, share: false });
      useVue(url, { WebSocket: fakes.Impl, share: false });
    });
    expect(() => useVue(url, { share: 'yes' } as object)).toThrow(optionError('Expected `share` to be a boolean, got "yes"'));
    await settle();
    expect(fakes.instances).toHaveLength(3);
  });
});

describe('Svelte', () => {
  it('should give the latest message data by default, and skip updates for an unchanged selected value', async () => {
    const seen = { data: [] as unknown[], length: [] as unknown[] };
    stops.push(resilientWebSocket(url, { WebSocket: fakes.Impl }).messages.subscribe((value) => seen.data.push(value)));
    stops.push(resilientWebSocket(url, { WebSocket: fakes.Impl, selectMessage: (event) => String(event.data).length }).messages.subscribe((value) => seen.length.push(value)));
    await openAndSend('one', 'two', 'six', 'three');
    expect(fakes.instances).toHaveLength(1);
    expect(seen).toEqual({ data: [undefined, 'one', 'two', 'six', 'three'], length: [undefined, 3, 5] });
  });

  it('should accept share: true as the default sharing, and give share: false a socket of its own', async () => {
    for (const share of [true, undefined, false, false]) {
      const feed = resilientWebSocket(url, { WebSocket: fakes.Impl, ...(share === undefined ? {} : { share }) });
      stops.push(feed.subscribe(() => undefined));
    }
    await settle();
    expect(fakes.instances).toHaveLength(3);
    expect(() => resilientWebSocket(url, { share: 'yes' } as object)).toThrow(optionError('Expected `share` to be a boolean, got "yes"'));
  });
});
