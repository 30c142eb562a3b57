// @vitest-environment jsdom
/**
 * One snapshot per task: a drop takes the socket from `open` through
 * `closed` to `waiting` inside one task. The store, and every wrapper on
 * it, publishes the state the task ends in, so a synchronous subscriber
 * sees `open` -> `waiting` and `closed` only when the socket is closed for
 * good; the socket's own `readyState` inside its `close` listeners stays
 * the native one. Driven by a hand-held socket double: nothing happens
 * until the test says so. (In jsdom: the Svelte store connects only where
 * there is a `window`.)
 */

import { effectScope, watch } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { ResilientWebSocket, createSocketStore, type Status } from '../../src/index.js';
import { resilientWebSocket } from '../../src/svelte/index.js';
import { useResilientWebSocket } from '../../src/vue/index.js';
import { fakeSockets, type FakeSockets } from '../class/fake-socket.js';
import { nextTick } from './support.js';

/** Lets the microtasks of the current task run (and no timer: the retry waits). */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const sockets: ResilientWebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.dispose();
  await nextTick();
});

/** Opens, drops (1006), reopens and closes for good the socket the fake made last, recording what `seen` holds after each step. */
async function driveThroughADrop(fakes: FakeSockets, seen: readonly Status[], closeForGood: () => void): Promise<Record<string, Status[]>> {
  const steps: Record<string, Status[]> = {};
  await microtasks();
  fakes.latest().accept();
  await microtasks();
  steps.open = [...seen];
  fakes.latest().drop();
  await microtasks();
  steps.drop = [...seen];
  closeForGood(); // while waiting: no socket to close, so closed at once
  await microtasks();
  steps.closed = [...seen];
  return steps;
}

describe('one snapshot per task', () => {
  it('createSocketStore: a synchronous subscriber sees open -> waiting across a drop, and closed only for good; readyState in the close listener is CLOSED', async () => {
    const fakes = fakeSockets();
    const socket = new ResilientWebSocket('ws://127.0.0.1:9/', [], { WebSocket: fakes.Impl });
    sockets.push(socket);
    const store = createSocketStore(socket);
    const seen: Status[] = [];
    let calls = 0;
    store.subscribe(() => {
      calls += 1;
      seen.push(store.getSnapshot().state);
    });
    const readyStates: number[] = [];
    socket.addEventListener('close', () => readyStates.push(socket.readyState));

    await microtasks();
    fakes.latest().accept();
    await microtasks();
    expect(seen).toEqual(['open']);
    fakes.latest().drop();
    expect(seen).toEqual(['open']); // nothing published inside the task
    await microtasks();
    expect(seen).toEqual(['open', 'waiting']);
    expect(store.getSnapshot().lastClose?.code).toBe(1006);
    expect(readyStates).toEqual([ResilientWebSocket.CLOSED]);

    socket.close();
    await microtasks();
    expect(seen).toEqual(['open', 'waiting', 'closed']);
    expect(calls).toBe(seen.length);
  });

  it('Vue: a watch with flush: "sync" sees open -> waiting across a drop', async () => {
    const fakes = fakeSockets();
    const scope = effectScope();
    const seen: Status[] = [];
    let close = (): void => undefined;
    scope.run(() => {
      const connection = useResilientWebSocket('ws://127.0.0.1:9/', { WebSocket: fakes.Impl, key: 'vue' });
      watch(connection.state, (state) => seen.push(state), { flush: 'sync' });
      close = () => connection.close();
    });
    const steps = await driveThroughADrop(fakes, seen, close);
    scope.stop();
    expect(steps).toEqual({ open: ['open'], drop: ['open', 'waiting'], closed: ['open', 'waiting', 'closed'] });
  });

  it('Svelte: a store subscriber sees open -> waiting across a drop', async () => {
    const fakes = fakeSockets();
    const feed = resilientWebSocket('ws://127.0.0.1:9/', { WebSocket: fakes.Impl, key: 'svelte' });
    const seen: Status[] = [];
    const stop = feed.subscribe((snapshot) => seen.push(snapshot.state));
    seen.splice(0); // the value at subscription
    const steps = await driveThroughADrop(fakes, seen, () => feed.close());
    stop();
    expect(steps).toEqual({ open: ['open'], drop: ['open', 'waiting'], closed: ['open', 'waiting', 'closed'] });
  });
});
