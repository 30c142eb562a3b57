/**
 * The types of the store contract and of the React, Vue and Svelte
 * wrappers: what each returns, what each accepts, and what must not compile.
 */

import type { Readable as SvelteReadable } from 'svelte/store';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ComputedRef, Ref, ShallowRef } from 'vue';
import { createSocketStore, leaseSocket, type CloseReport, type ResilientWebSocket, type SendData, type SocketSnapshot, type SocketStore, type Status } from '../../src/index.js';
import { useResilientWebSocket as useReact, type UseResilientWebSocketResult } from '../../src/react/index.js';
import { resilientWebSocket, type ResilientWebSocketStore } from '../../src/svelte/index.js';
import { useResilientWebSocket as useVue } from '../../src/vue/index.js';
import { idleSocket, typeOnly } from './support.js';

describe('the store contract', () => {
  it('should give read-only snapshots and unsubscribe functions', () => {
    const store = createSocketStore(idleSocket());
    expectTypeOf(store).toEqualTypeOf<SocketStore>();
    expectTypeOf(store.getSnapshot()).toEqualTypeOf<SocketSnapshot>();
    expectTypeOf(store.getSnapshot().state).toEqualTypeOf<Status>();
    expectTypeOf(store.getSnapshot().readyState).toEqualTypeOf<0 | 1 | 2 | 3>();
    expectTypeOf(store.getSnapshot().lastClose).toEqualTypeOf<CloseReport | null>();
    expectTypeOf(store.subscribe(() => undefined)).toEqualTypeOf<() => void>();
    expectTypeOf(store.subscribeMessage).parameter(0).parameter(0).toEqualTypeOf<MessageEvent>();
    typeOnly(() => {
      // @ts-expect-error a snapshot is read-only
      store.getSnapshot().state = 'open';
      // @ts-expect-error leaseSocket creates a socket, not an options object
      leaseSocket('key', () => ({})); // eslint-disable-line @typescript-eslint/no-unsafe-class-instance-assignment -- the point of the line
    });
    expect(store.getSnapshot().state).toBe('connecting');
  });
});

describe('resilient-websocket/react', () => {
  it('should return the snapshot, the socket, stable functions and a typed lastMessage', () => {
    typeOnly(() => {
      const plain = useReact('wss://example.com/');
      expectTypeOf(plain).toExtend<SocketSnapshot>();
      expectTypeOf(plain.lastMessage).toEqualTypeOf<unknown>(); // the latest message's data by default
      expectTypeOf(useReact('wss://example.com/', { selectMessage: (event) => String(event.data) }).lastMessage).toEqualTypeOf<string | undefined>();
      useReact('wss://example.com/', { share: false });
      expectTypeOf(plain.socket).toEqualTypeOf<ResilientWebSocket | null>();
      expectTypeOf(plain.send).toEqualTypeOf<(data: SendData) => boolean>();
      expectTypeOf(plain.close).toEqualTypeOf<(code?: number, reason?: string) => void>();
      const counted = useReact(null, { selectMessage: (_event, previous: number | undefined) => (previous ?? 0) + 1, heartbeat: true });
      expectTypeOf(counted).toEqualTypeOf<UseResilientWebSocketResult<number>>();
      expectTypeOf(counted.lastMessage).toEqualTypeOf<number | undefined>();
      // @ts-expect-error the URL is a string, a URL, null or undefined
      useReact(42);
      // @ts-expect-error the socket's options are checked
      useReact('wss://example.com/', { heartbeat: 'yes' });
      // @ts-expect-error enabled is a boolean
      useReact('wss://example.com/', { enabled: 'no' });
      // @ts-expect-error share is a boolean
      useReact('wss://example.com/', { share: 'no' });
    });
    expect(typeof useReact).toBe('function');
  });
});

describe('resilient-websocket/vue', () => {
  it('should return read-only refs and accept a ref or getter URL', () => {
    typeOnly(() => {
      const room = null as unknown as Ref<string | null>;
      const fromRef = useVue(room, { immediate: false });
      const fromGetter = useVue(() => `wss://example.com/${room.value ?? ''}`, { selectMessage: (event) => String(event.data).length });
      expectTypeOf(fromRef.state).toEqualTypeOf<ComputedRef<Status>>();
      expectTypeOf(fromRef.lastClose).toEqualTypeOf<ComputedRef<CloseReport | null>>();
      expectTypeOf(fromRef.data.value).toEqualTypeOf<unknown>();
      expectTypeOf(fromGetter.data.value).toEqualTypeOf<number | undefined>();
      expectTypeOf(fromGetter.socket).toEqualTypeOf<Readonly<ShallowRef<ResilientWebSocket | null>>>();
      // @ts-expect-error state is read-only
      fromRef.state.value = 'open';
      // @ts-expect-error immediate is a boolean
      useVue('wss://example.com/', { immediate: 1 });
    });
    expect(typeof useVue).toBe('function');
  });
});

describe('resilient-websocket/svelte', () => {
  it('should follow the Svelte store contract', () => {
    const feed = resilientWebSocket('wss://example.com/', { selectMessage: (event) => event.data as string });
    expectTypeOf(feed).toEqualTypeOf<ResilientWebSocketStore<string>>();
    expectTypeOf(feed).toExtend<SvelteReadable<SocketSnapshot>>();
    expectTypeOf(feed.messages).toExtend<SvelteReadable<string | undefined>>();
    expectTypeOf(feed.socket).toEqualTypeOf<ResilientWebSocket | null>();
    typeOnly(() => {
      // @ts-expect-error the Svelte store takes a URL now; a reactive URL is a new store
      resilientWebSocket(() => 'wss://example.com/');
    });
    expect(feed.socket).toBeNull(); // nothing subscribed: nothing connected
  });
});
