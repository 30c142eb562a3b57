/**
 * Shared fixtures for the class tests: mock-socket servers, a controllable
 * environment, event recorders, and one cleanup that undoes all of it.
 */

import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import { vi } from 'vitest';
import { ResilientWebSocket, type Environment, type EnvironmentSignal, type ResilientWebSocketEventMap, type ResilientWebSocketOptions, type WebSocketConstructor } from '../../src/index.js';

/** mock-socket's client class, as the `WebSocket` option. */
export const MockSocket = MockWebSocket as unknown as WebSocketConstructor;

/** mock-socket delivers every open, message and close after a 4 ms timer. */
export const LATENCY_MS = 4;

const undo: (() => void)[] = [];

/** Disposes every socket, stops every server, restores real timers. Call in `afterEach`. */
export function cleanup(): void {
  while (undo.length > 0) undo.pop()?.();
  vi.useRealTimers();
}

/** Registers `ws` for disposal in {@link cleanup} and returns it. */
export function track<T extends ResilientWebSocket>(ws: T): T {
  undo.push(() => ws.dispose());
  return ws;
}

/** One server-side connection and what it saw. */
export interface Connection {
  readonly client: Client;
  /** The URL the client connected to (query included). */
  readonly url: string;
  /** Messages received from the client, in order. */
  readonly received: unknown[];
  /** The close the client's side reported, once it has. */
  closed: { code: number; reason: string } | null;
}

/** A mock-socket server on a URL of its own, with every connection recorded. */
export interface MockServer {
  readonly url: string;
  readonly server: Server;
  readonly connections: Connection[];
  /** The most recent connection. */
  latest(): Connection;
  /** Every message received, across connections, in order. */
  received(): unknown[];
}

let serial = 0;

/** Starts a mock server (without replacing the global WebSocket) and registers it for {@link cleanup}. */
export function startServer(options: { selectProtocol?: (protocols: string[]) => string | null; verifyClient?: () => boolean } = {}): MockServer {
  const url = `ws://mock-${++serial}.test/`;
  const server = new Server(url, { mock: false, ...options });
  const connections: Connection[] = [];
  server.on('connection', (client) => {
    const connection: Connection = { client, url: client.url, received: [], closed: null };
    connections.push(connection);
    client.on('message', (data) => connection.received.push(data));
    client.on('close', ((event: CloseEvent) => {
      connection.closed ??= { code: event.code, reason: event.reason };
    }) as () => void);
  });
  undo.push(() => server.stop());
  return {
    url,
    server,
    connections,
    latest() {
      const connection = connections.at(-1);
      if (connection === undefined) throw new Error('no client has connected');
      return connection;
    },
    received: () => connections.flatMap((connection) => connection.received),
  };
}

/** Drops a client without a close frame: the client sees 1006, `wasClean: false`. */
export function dropWithoutCloseFrame(connection: Connection): void {
  connection.client.close({ code: 1006, reason: '', wasClean: false });
}

/** A socket on mock-socket with no environment signals, registered for {@link cleanup}. */
export function connect(
  url: ConstructorParameters<typeof ResilientWebSocket>[0],
  protocols?: ConstructorParameters<typeof ResilientWebSocket>[1],
  options: ResilientWebSocketOptions = {},
): ResilientWebSocket {
  return track(new ResilientWebSocket(url, protocols, { WebSocket: MockSocket, environment: false, ...options }));
}

/** Every event of `type` the socket dispatches from now on. */
export function record<K extends keyof ResilientWebSocketEventMap>(ws: ResilientWebSocket, type: K): ResilientWebSocketEventMap[K][] {
  const events: ResilientWebSocketEventMap[K][] = [];
  ws.addEventListener(type, (event) => events.push(event));
  return events;
}

/** Advances fake time, running timers and the microtasks between them. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/** Advances past a retry wait of `delayMs` (timers fire no sooner than 1 ms, as in Node and browsers). */
export async function advancePastWait(delayMs: number): Promise<void> {
  await advance(Math.max(1, Math.ceil(delayMs)));
}

/** An environment the test drives: signals, the online and visible flags, and the subscription's life. */
export interface FakeEnvironment {
  readonly environment: Environment;
  /** Updates the flags a signal implies, then notifies every subscriber. */
  emit(signal: EnvironmentSignal): void;
  /** How many times `subscribe` and its cleanup were called. */
  readonly subscribes: number;
  readonly cleanups: number;
  /** Subscribers currently installed. */
  readonly listening: number;
}

export function fakeEnvironment(): FakeEnvironment {
  const subscribers = new Set<(signal: EnvironmentSignal) => void>();
  let online = true;
  let visible = true;
  let subscribes = 0;
  let cleanups = 0;
  return {
    environment: {
      subscribe(notify) {
        subscribes++;
        subscribers.add(notify);
        return () => {
          cleanups++;
          subscribers.delete(notify);
        };
      },
      isOnline: () => online,
      isVisible: () => visible,
    },
    emit(signal) {
      if (signal === 'online' || signal === 'offline') online = signal === 'online';
      if (signal === 'visible' || signal === 'hidden') visible = signal === 'visible';
      for (const notify of [...subscribers]) notify(signal);
    },
    get subscribes() {
      return subscribes;
    },
    get cleanups() {
      return cleanups;
    },
    get listening() {
      return subscribers.size;
    },
  };
}
