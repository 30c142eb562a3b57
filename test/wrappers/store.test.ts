/**
 * The store contract and socket sharing in the core, on a real `ws` server.
 */

import { describe, expect, it } from 'vitest';
import { ResilientWebSocket, connectingSnapshot, createSocketStore, findSharedSocket, leaseSocket, socketKey } from '../../src/index.js';
import { NodeWebSocket, fastReconnect, useHarness } from '../support/harness.js';
import { nextEvent, waitUntil } from '../support/wait.js';
import { nextTick } from './support.js';

const h = useHarness();

describe('createSocketStore', () => {
  it('should keep the snapshot identity across messages and replace it on each state change', async () => {
    const server = await h.server();
    const socket = h.client(server.url, { reconnect: fastReconnect });
    const store = createSocketStore(socket);
    expect(store.getSnapshot()).toBe(connectingSnapshot);
    let changes = 0;
    const stop = store.subscribe(() => (changes += 1));
    await nextEvent(socket, 'open');
    const open = store.getSnapshot();
    expect(open).toMatchObject({ state: 'open', readyState: 1, attempt: 0, lastClose: null });
    expect(Object.isFrozen(open)).toBe(true);

    const received: unknown[] = [];
    const stopMessages = store.subscribeMessage((event) => received.push(event.data));
    const changesBefore = changes;
    for (let i = 0; i < 100; i++) socket.send(`m${i}`);
    await waitUntil(() => received.length === 100, '100 echoes');
    expect(changes).toBe(changesBefore);
    expect(store.getSnapshot()).toBe(open);

    (await server.connection(1)).socket.close(4001, 'again');
    await waitUntil(() => store.getSnapshot().state === 'open' && store.getSnapshot() !== open, 'reopened');
    expect(store.getSnapshot().lastClose?.code).toBe(4001);
    expect(changes).toBeGreaterThan(changesBefore);

    stop();
    stopMessages();
    const after = changes;
    socket.close();
    await nextEvent(socket, 'close');
    expect(changes).toBe(after);
    expect(received).toHaveLength(100);
  });
});

describe('leaseSocket', () => {
  it('should share one socket per key and dispose it a tick after the last release, unless leased again', async () => {
    const server = await h.server();
    let created = 0;
    const create = (): ResilientWebSocket => {
      created += 1;
      return new ResilientWebSocket(server.url, undefined, { WebSocket: NodeWebSocket });
    };
    const key = socketKey(server.url);
    const a = leaseSocket(key, create);
    const b = leaseSocket(key, create);
    expect(a.store).toBe(b.store);
    a.release();
    a.release(); // twice is harmless
    b.release();
    const again = leaseSocket(key, create); // in the same tick: kept
    await nextTick();
    expect(created).toBe(1);
    expect(again.store.socket.state).not.toBe('closed');
    again.release();
    expect(findSharedSocket(key)).toBe(again.store);
    await nextTick();
    expect(findSharedSocket(key)).toBeUndefined();
    expect(again.store.socket.state).toBe('closed');
  });

  it('should key by URL, protocols, serializable options and key, not by functions', () => {
    const base = socketKey('ws://a/', ['p'], { heartbeat: { intervalMs: 1000 }, policy: { custom: () => ({ action: 'stop', reason: 'x' }) } });
    expect(socketKey('ws://a/', ['p'], { heartbeat: { intervalMs: 1000 }, policy: { custom: () => ({ action: 'reconnect' }) } })).toBe(base);
    expect(socketKey('ws://a/', ['p'], { heartbeat: { intervalMs: 2000 } })).not.toBe(base);
    expect(socketKey('ws://b/', ['p'], { heartbeat: { intervalMs: 1000 } })).not.toBe(base);
    expect(socketKey('ws://a/', ['p'], { heartbeat: { intervalMs: 1000 } }, 'other')).not.toBe(socketKey('ws://a/', ['p'], { heartbeat: { intervalMs: 1000 } }));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(socketKey('ws://a/', undefined, circular)).toBe(socketKey('ws://a/', undefined, circular));
  });
});
