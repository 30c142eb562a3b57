/**
 * What the protocol recipes' tests share: per-client connection counts at
 * the server (each client names itself in its URL's `client` query), and
 * the close reports of every socket a protocol client made.
 */

import type http from 'node:http';
import { expect, type TestContext } from 'vitest';
import type { WebSocket, WebSocketServer } from 'ws';
import { ResilientWebSocket, type ResilientCloseEvent, type ResilientWebSocketOptions } from '../../src/index.js';
import { NodeWebSocket } from '../support/harness.js';
import { delay, waitUntil } from '../support/wait.js';

/** Open and total connections per client, as the server saw them. */
export interface ClientCounts {
  /** Connections of `client` open now. */
  open(client: string): number;
  /** The most connections of `client` open at once, checked at every connection. */
  maxOpen(client: string): number;
  /** Connections `client` has made so far. */
  total(client: string): number;
  /** Connections open now, all clients together. */
  readonly openAll: number;
}

/** The `client` query parameter of an upgrade request, or `'?'`. */
export function clientOf(request: http.IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('client') ?? '?';
}

/** Counts connections per client on `wss`, from now on. */
export function countClients(wss: WebSocketServer): ClientCounts {
  const open = new Map<string, number>();
  const max = new Map<string, number>();
  const total = new Map<string, number>();
  wss.on('connection', (socket: WebSocket, request: http.IncomingMessage) => {
    const client = clientOf(request);
    const now = (open.get(client) ?? 0) + 1;
    open.set(client, now);
    max.set(client, Math.max(max.get(client) ?? 0, now));
    total.set(client, (total.get(client) ?? 0) + 1);
    socket.once('close', () => open.set(client, (open.get(client) ?? 1) - 1));
  });
  return {
    open: (client) => open.get(client) ?? 0,
    maxOpen: (client) => max.get(client) ?? 0,
    total: (client) => total.get(client) ?? 0,
    get openAll() {
      return [...open.values()].reduce((sum, n) => sum + n, 0);
    },
  };
}

/** Every socket a protocol client made through {@link transport}, and each one's close event. */
export interface TransportLog {
  readonly sockets: ResilientWebSocket[];
  readonly closes: ResilientCloseEvent[];
}

/**
 * `ResilientWebSocket.with(options)` on the `ws` class, recording each
 * socket the protocol client makes and how it closed.
 */
export function transport(options: ResilientWebSocketOptions): { Transport: typeof ResilientWebSocket; log: TransportLog } {
  const log: TransportLog = { sockets: [], closes: [] };
  const Bound = ResilientWebSocket.with({ WebSocket: NodeWebSocket, connectTimeoutMs: 5_000, ...options });
  class Recorded extends Bound {
    constructor(...args: ConstructorParameters<typeof ResilientWebSocket>) {
      super(...args);
      log.sockets.push(this);
      this.addEventListener('close', (event) => log.closes.push(event));
    }
  }
  return { Transport: Recorded, log };
}

declare module 'vitest' {
  interface TaskMeta {
    /** What a recipe test measured, in words: in the JSON report's `meta`, for the matrix. */
    measured?: string;
  }
}

/**
 * Records what a test measured: in the task's `meta.measured` (the JSON
 * reporter's output) and as an annotation (the default reporter's).
 */
export async function measured(context: Pick<TestContext, 'task' | 'annotate'>, text: string): Promise<void> {
  context.task.meta.measured = context.task.meta.measured === undefined ? text : `${context.task.meta.measured}; ${text}`;
  await context.annotate(text);
}

/** A Yjs client of a recipe test (y-websocket or Hocuspocus): the shared list it edits and how often its provider synced. */
export interface YjsClient {
  /** The shared list every test edits. */
  readonly items: { readonly length: number; toArray(): string[] };
  syncs: number;
}

/** `prefix-0` .. `prefix-(n-1)`. */
export const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Waits until the client's provider has synced `times` times. */
export const synced = (client: YjsClient, times = 1): Promise<void> => waitUntil(() => client.syncs >= times, `the provider has synced ${times} time(s)`);

/** Both documents hold exactly `expected` (in any order, each once), and in the same order. */
export async function converged(a: YjsClient, b: YjsClient, expected: readonly string[]): Promise<void> {
  await waitUntil(() => a.items.length >= expected.length && b.items.length >= expected.length, `both documents hold ${expected.length} items`);
  await delay(200);
  expect([...a.items.toArray()].sort()).toEqual([...expected].sort());
  expect(b.items.toArray()).toEqual(a.items.toArray());
}
