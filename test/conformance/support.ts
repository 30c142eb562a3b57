/**
 * What every conformance check shares: the shape of a check, the class it
 * receives, and small assertions the WPT harness has and `node:assert`
 * lacks (a DOMException by name, an event that must arrive before another).
 */

import { AssertionError } from 'node:assert';
import type { ConformanceServer } from './server.js';
import { nextEvent, waitBoundMs } from './wait.js';

/** The class under test, typed as the platform's `WebSocket`. */
export type WebSocketClass = typeof WebSocket;

/** One named behaviour the WPT `websockets/` suite asserts, as a test against a given class. */
export interface Check {
  /** A sentence: what the native socket does. Unique. */
  readonly name: string;
  /** The WPT files (under `websockets/`) whose assertions this covers. */
  readonly wpt: readonly string[];
  /** Throws when `WS` does not behave so. */
  readonly run: (WS: WebSocketClass, server: ConformanceServer) => Promise<void>;
}

/** Fails with `message`. */
export function fail(message: string): never {
  throw new AssertionError({ message });
}

/** Throws unless `actual` is `expected` (Object.is). */
export function same(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Throws unless `condition`. */
export function ok(condition: boolean, what: string): void {
  if (!condition) fail(what);
}

/** A short, readable rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...(${value.length} chars)` : value);
  if (value instanceof Error) return `${value.constructor.name}(${value.name}: ${value.message})`;
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}

/** Runs `body` and returns what it threw, or `undefined` if it returned. */
export function thrownBy(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error ?? new Error('threw a nullish value');
  }
  return undefined;
}

/** Throws unless `body` throws a `DOMException` named `name`. */
export function throwsDom(name: string, body: () => unknown, what: string): void {
  const error = thrownBy(body);
  if (error === undefined) fail(`${what}: expected DOMException ${name}, nothing was thrown`);
  if (!(error instanceof DOMException) || error.name !== name) fail(`${what}: expected DOMException ${name}, got ${show(error)}`);
}

/** Throws unless `body` throws a `TypeError`. */
export function throwsType(body: () => unknown, what: string): void {
  const error = thrownBy(body);
  if (!(error instanceof TypeError)) fail(`${what}: expected a TypeError, got ${error === undefined ? 'no exception' : show(error)}`);
}

/** Throws if `body` throws. */
export function doesNotThrow(body: () => unknown, what: string): void {
  const error = thrownBy(body);
  if (error !== undefined) fail(`${what}: expected no exception, got ${show(error)}`);
}

/** Resolves on the socket's first `open`; rejects if it closes first or nothing happens in time. */
export function untilOpen(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('close', onClose);
    };
    const onOpen = (): void => {
      settle();
      resolve();
    };
    const onClose = (event: Event): void => {
      settle();
      const { code, reason } = event as CloseEvent;
      reject(new Error(`closed before open (code ${code}, reason ${JSON.stringify(reason)})`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`no 'open' event within ${waitBoundMs} ms`));
    }, waitBoundMs);
    ws.addEventListener('open', onOpen);
    ws.addEventListener('close', onClose);
  });
}

/** Constructs a socket and waits until it is open. */
export async function openSocket(WS: WebSocketClass, url: string, protocols?: string | string[]): Promise<WebSocket> {
  const ws = protocols === undefined ? new WS(url) : new WS(url, protocols);
  await untilOpen(ws);
  return ws;
}

/** The next `close` event of `ws`. */
export function nextClose(ws: WebSocket): Promise<CloseEvent> {
  return nextEvent<CloseEvent>(ws, 'close');
}

/** The next `message` event of `ws`. */
export function nextMessage(ws: WebSocket): Promise<MessageEvent> {
  return nextEvent<MessageEvent>(ws, 'message');
}

/** Sends `data` and resolves with the data of the next message (the echo). */
export async function echo(ws: WebSocket, data: Parameters<WebSocket['send']>[0]): Promise<unknown> {
  const message = nextMessage(ws);
  ws.send(data);
  return (await message).data;
}

/** The bytes of an ArrayBuffer, a view or a Blob, for comparisons. */
export async function bytesOf(data: unknown): Promise<number[]> {
  if (data instanceof Blob) return [...new Uint8Array(await data.arrayBuffer())];
  if (data instanceof ArrayBuffer) return [...new Uint8Array(data)];
  if (ArrayBuffer.isView(data)) return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
  fail(`expected binary data, got ${show(data)}`);
}

/** Throws unless two byte lists are equal, reporting the first difference. */
export function sameBytes(actual: readonly number[], expected: readonly number[], what: string): void {
  same(actual.length, expected.length, `${what}: byte length`);
  const at = actual.findIndex((byte, i) => byte !== expected[i]);
  if (at !== -1) fail(`${what}: byte ${at} is ${actual[at]}, expected ${expected[at]}`);
}

/** `Object.prototype.toString` of a value: the WebIDL class string. */
export function classString(value: unknown): string {
  return Object.prototype.toString.call(value);
}

/**
 * Runs `body`, then puts back `key`'s own property on `target` as it was,
 * so a check that probes mutability leaves the class as it found it.
 */
export function restoring(target: object, key: PropertyKey, body: () => void): void {
  const before = Object.getOwnPropertyDescriptor(target, key);
  try {
    body();
  } finally {
    const after = Object.getOwnPropertyDescriptor(target, key);
    if (after?.configurable) {
      if (before === undefined) Reflect.deleteProperty(target, key);
      else Reflect.defineProperty(target, key, before);
    }
  }
}

/** The four `on*` handler names with their event types. */
export const handlerEvents = ['open', 'message', 'error', 'close'] as const;
export type HandlerEvent = (typeof handlerEvents)[number];
export type HandlerName = `on${HandlerEvent}`;
