/**
 * Server rendering with the Vue composable, in plain Node (no `window`, no
 * global `WebSocket`): the page renders the state the client's first render
 * shows (`connecting`), nothing connects,
 * and no timer is left.
 */

import { createSSRApp, h as vnode } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { describe, expect, it } from 'vitest';
import { useResilientWebSocket } from '../../src/vue/index.js';
import { countingWebSocket, nextTick, pendingTimers } from './support.js';

describe('useResilientWebSocket (Vue) on the server', () => {
  it('should render without connecting and leave no timer', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const counting = countingWebSocket();
    const timers = pendingTimers();
    const app = createSSRApp({
      setup() {
        const { state, socket } = useResilientWebSocket('ws://127.0.0.1:9/', { WebSocket: counting.WebSocket });
        return () => vnode('p', `${state.value} ${socket.value === null ? 'no socket' : 'socket'}`);
      },
    });
    expect(await renderToString(app)).toBe('<p>connecting no socket</p>'); // what the client's first render shows
    await nextTick();
    expect(counting.constructed).toHaveLength(0);
    expect(pendingTimers()).toBeLessThanOrEqual(timers);
  });
});
