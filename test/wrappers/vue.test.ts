// @vitest-environment jsdom
/**
 * The Vue composable against a real `ws` server: effect scopes, a reactive
 * URL, `immediate: false`, sharing, and a mounted component (renders per
 * message, `unmount()`).
 */

import { mount } from '@vue/test-utils';
import { defineComponent, effectScope, h as vnode, nextTick as vueTick, ref, type EffectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useResilientWebSocket, type UseResilientWebSocketOptions } from '../../src/vue/index.js';
import { useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { closeWithinMs, countingWebSocket, nextTick, optionError, type CountingWebSocket } from './support.js';

const h = useHarness();
let counting: CountingWebSocket;
const scopes: EffectScope[] = [];

beforeEach(() => {
  counting = countingWebSocket();
});
afterEach(async () => {
  for (const scope of scopes.splice(0)) scope.stop();
  await nextTick();
});

/** Runs the composable in a new effect scope, stopped after the test. */
function inScope<T>(url: Parameters<typeof useResilientWebSocket>[0], options: UseResilientWebSocketOptions<T> = {}) {
  const scope = effectScope();
  scopes.push(scope);
  const socket = scope.run(() => useResilientWebSocket<T>(url, { WebSocket: counting.WebSocket, ...options }))!;
  return { scope, socket };
}

describe('useResilientWebSocket (Vue)', () => {
  it('should expose state, data and lastClose as refs, and close for good when the scope stops', async () => {
    const server = await h.server();
    const { scope, socket } = inScope<string>(server.url);
    await waitUntil(() => socket.state.value === 'open', 'open');
    expect(socket.readyState.value).toBe(1);
    socket.send('hello');
    await waitUntil(() => socket.data.value === 'hello', 'the echo arrives in data');

    (await server.connection(1)).socket.close(4000, 'bye');
    await waitUntil(() => socket.lastClose.value?.code === 4000 && socket.state.value === 'open', 'reconnected, the close reported');
    expect(socket.lastClose.value?.explanation).toEqual(expect.any(String));

    scope.stop();
    await waitUntil(() => server.openCount === 0, 'the connection closes', closeWithinMs);
    await nextTick(300);
    expect(counting.constructed).toHaveLength(2);
  });

  it('should replace the connection when the URL ref changes and close it for null', async () => {
    const server = await h.server();
    const url = ref<string | null>(`${server.url}a`);
    const { socket } = inScope(url);
    await waitUntil(() => socket.state.value === 'open', 'open on /a');
    url.value = `${server.url}b`;
    await waitUntil(() => server.connections[0]?.closed !== null && server.openCount === 1 && socket.state.value === 'open', '/a closes, /b opens');
    expect(server.connections.map((connection) => connection.path)).toEqual(['/a', '/b']);
    url.value = null;
    await vueTick();
    expect(socket.state.value).toBe('closed');
    await waitUntil(() => server.openCount === 0, 'null closes it', closeWithinMs);
    expect(counting.constructed).toHaveLength(2);
  });

  it('should name the option, the expected value and the given one for a bad option', () => {
    expect(() => inScope('ws://127.0.0.1:9/', { immediate: 'yes' } as object)).toThrow(optionError('Expected `immediate` to be a boolean, got "yes"'));
    expect(() => inScope('ws://127.0.0.1:9/', { selectMessage: 'data' } as object)).toThrow(optionError('Expected `selectMessage` to be a function, got "data"'));
    expect(counting.constructed).toHaveLength(0);
  });

  it('should connect only on open() with immediate: false', async () => {
    const server = await h.server();
    const { socket } = inScope(server.url, { immediate: false });
    await nextTick(100);
    expect(counting.constructed).toHaveLength(0);
    expect(socket.state.value).toBe('closed');
    socket.open();
    await waitUntil(() => socket.state.value === 'open', 'open after open()');
    socket.close();
    await waitUntil(() => socket.state.value === 'closed', 'closed');
    socket.open();
    await waitUntil(() => socket.state.value === 'open', 'open again');
    expect(server.connectionCount).toBe(2);
  });

  it('should leave URL changes to the next open() with autoConnect: false', async () => {
    const server = await h.server();
    const url = ref(`${server.url}a`);
    const { socket } = inScope(url, { autoConnect: false });
    await waitUntil(() => socket.state.value === 'open', 'open on /a');
    url.value = `${server.url}b`;
    await nextTick(200);
    expect(server.connections.map((connection) => connection.path)).toEqual(['/a']);
    expect(socket.state.value).toBe('open');
    socket.open();
    await waitUntil(() => server.connections[0]?.closed !== null && server.openCount === 1 && socket.state.value === 'open', '/a closes, /b opens');
    expect(server.connections.map((connection) => connection.path)).toEqual(['/a', '/b']);
  });

  it('should share one socket between scopes and close it when the last one stops', async () => {
    const server = await h.server();
    const first = inScope(server.url);
    const second = inScope(server.url);
    await waitUntil(() => first.socket.state.value === 'open' && second.socket.state.value === 'open', 'both open');
    expect(first.socket.socket.value).toBe(second.socket.socket.value);
    expect(counting.constructed).toHaveLength(1);
    first.scope.stop();
    await nextTick(50);
    expect(server.openCount).toBe(1);
    second.scope.stop();
    await waitUntil(() => server.openCount === 0, 'closed after the last scope', closeWithinMs);
  });

  it('should replace a stalled connection (the server stops reading) through the heartbeat, within twice interval + timeout + 1 s', async () => {
    const server = await h.server({ behaviour: { kind: 'dead' } });
    const { socket } = inScope(server.url, { heartbeat: { intervalMs: 500, timeoutMs: 500 } });
    await waitUntil(() => socket.state.value === 'open', 'open');
    server.behaviour = { kind: 'echo' };
    // interval + timeout + at most 1 s of reconnect delay: 2 s. The test allows twice that, for late timers
    // on a busy machine (the exact deadlines are on a fake clock in the core's tests); without the
    // heartbeat no replacement comes at all, and the last close below names the heartbeat.
    const boundMs = 500 + 500 + 1000;
    await waitUntil(() => counting.constructed.length === 2, 'a replacement socket', 4 * boundMs);
    const replacedAfterMs = counting.constructedAt[1]! - counting.openedAt[0]!;
    console.log(`[vue] stalled TCP replaced after ${replacedAfterMs} ms (bound ${boundMs} ms)`);
    expect(replacedAfterMs).toBeLessThanOrEqual(2 * boundMs);
    expect(server.connections[0]?.closed).toBeNull(); // no close event came from the dead peer
    await waitUntil(() => socket.state.value === 'open' && socket.lastClose.value?.libraryCause === 'heartbeat-timeout', 'open again, explained');
  });

  it('should not re-render a status-only component for 1,000 messages, and close on unmount', async () => {
    const server = await h.server();
    let renders = 0;
    const Status = defineComponent({
      setup() {
        const { state } = useResilientWebSocket(server.url, { WebSocket: counting.WebSocket });
        return () => {
          renders += 1;
          return vnode('p', state.value);
        };
      },
    });
    const Reader = defineComponent({
      setup() {
        const { data } = useResilientWebSocket<string>(server.url, { WebSocket: counting.WebSocket });
        return () => vnode('p', data.value ?? '');
      },
    });
    const status = mount(Status);
    const reader = mount(Reader);
    await waitUntil(() => status.text() === 'open', 'open');
    const before = renders;
    const connection = await server.connection(1);
    for (let i = 1; i <= 1000; i++) connection.socket.send(String(i));
    await waitUntil(() => reader.text() === '1000', 'the reader shows the 1,000th message');
    expect(renders - before).toBe(0);
    expect(counting.constructed).toHaveLength(1);

    status.unmount();
    reader.unmount();
    await waitUntil(() => server.openCount === 0, 'unmount closes the connection', closeWithinMs);
    await nextTick(300);
    expect(counting.constructed).toHaveLength(1);
  });
});
