/**
 * Page-side: the measurements, exposed as `globalThis.bench` for the driver
 * to call through `Runtime.evaluate`. Each one makes its own socket(s), with
 * identical application code for the native socket and for ours.
 *
 * @module
 */

import type { ResilientWebSocket } from '../../../src/index.js';
import type { TimerProbe } from './instrument.js';
import type { HoldSpec, OpenSpec, PageInfo, RoundTripResult, RoundTripSpec, RunSpec, SocketSpec, StreamResult, StreamSpec, TimerCounts } from './protocol.js';

/** The part of the socket surface the measurements use; the native socket and ours both have it. */
interface SocketLike {
  binaryType: BinaryType;
  send(data: string | ArrayBuffer): unknown;
  close(): void;
  addEventListener(type: string, listener: (event: MessageEvent) => void, options?: AddEventListenerOptions): void;
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void;
}

const page = globalThis as unknown as { __timerProbe: TimerProbe; ResilientWebSocket?: typeof ResilientWebSocket; bench?: unknown };
const probe = page.__timerProbe;
const { setTimeout: uncountedSetTimeout, clearTimeout: uncountedClearTimeout } = probe.original;

/** Sockets kept open by {@link hold}. */
const held: SocketLike[] = [];

function create(spec: SocketSpec, url: string): SocketLike {
  if (spec.kind === 'native') return new WebSocket(url);
  const Ours = page.ResilientWebSocket;
  if (!Ours) throw new Error('ResilientWebSocket is not loaded');
  return spec.options === undefined ? new Ours(url) : new Ours(url, [], spec.options);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => uncountedSetTimeout(resolve, ms));
}

/** Resolves with the next `type` event of `socket`, rejects after `timeoutMs`. */
function next(socket: SocketLike, type: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = uncountedSetTimeout(() => {
      socket.removeEventListener(type, listener);
      reject(new Error(`no '${type}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (): void => {
      uncountedClearTimeout(timer);
      socket.removeEventListener(type, listener);
      resolve();
    };
    socket.addEventListener(type, listener);
  });
}

async function open(spec: RunSpec): Promise<SocketLike> {
  const socket = create(spec.socket, spec.url);
  await next(socket, 'open', spec.timeoutMs);
  return socket;
}

/** Closes `socket` and waits (bounded) for its close event. */
async function shut(socket: SocketLike): Promise<void> {
  const closed = next(socket, 'close', 5_000).catch(() => undefined);
  socket.close();
  await closed;
}

function timersSince(start: TimerCounts): TimerCounts {
  const now = probe.counts;
  return { armed: now.armed - start.armed, cleared: now.cleared - start.cleared, fired: now.fired - start.fired };
}

/**
 * Resolves once `count` messages have arrived (checking each one's size),
 * rejects after `timeoutMs`.
 */
function receive(socket: SocketLike, count: number, size: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let wrongSize = 0;
    const done = (error?: Error): void => {
      uncountedClearTimeout(timer);
      socket.removeEventListener('message', listener);
      if (error) reject(error);
      else resolve();
    };
    const listener = (event: MessageEvent): void => {
      const data = event.data as string | ArrayBuffer;
      if ((typeof data === 'string' ? data.length : data.byteLength) !== size) wrongSize += 1;
      received += 1;
      if (received === count) done(wrongSize === 0 ? undefined : new Error(`${wrongSize} echoes had the wrong size`));
    };
    const timer = uncountedSetTimeout(() => done(new Error(`${received} of ${count} echoes within ${timeoutMs} ms`)), timeoutMs);
    socket.addEventListener('message', listener);
  });
}

/** Sends `count` messages in one go and waits for every echo. */
async function stream(spec: StreamSpec): Promise<StreamResult> {
  const socket = await open(spec);
  try {
    socket.binaryType = 'arraybuffer';
    const payload = spec.binary ? new Uint8Array(spec.size).fill(42).buffer : 'x'.repeat(spec.size);
    const timers = { ...probe.counts };
    const received = receive(socket, spec.count, spec.size, spec.timeoutMs);
    const start = performance.now();
    for (let i = 0; i < spec.count; i++) socket.send(payload);
    await received;
    const ms = performance.now() - start;
    return { ms, timers: timersSince(timers) };
  } finally {
    await shut(socket);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** One small message, wait for its echo, `count` times. */
async function roundTrips(spec: RoundTripSpec): Promise<RoundTripResult> {
  const socket = await open(spec);
  try {
    let arrived: () => void = () => undefined;
    socket.addEventListener('message', () => arrived());
    let expired = false;
    const deadline = new Promise<void>((resolve) => uncountedSetTimeout(() => { expired = true; resolve(); }, spec.timeoutMs));
    const samples = new Float64Array(spec.count);
    const message = 'x'.repeat(32);
    for (let i = 0; i < spec.count && !expired; i++) {
      const echoed = new Promise<void>((resolve) => (arrived = resolve));
      const start = performance.now();
      socket.send(message);
      await Promise.race([echoed, deadline]);
      samples[i] = performance.now() - start;
    }
    if (expired) throw new Error(`round trips did not finish within ${spec.timeoutMs} ms`);
    const sorted = [...samples].sort((a, b) => a - b);
    return { p50Us: percentile(sorted, 0.5) * 1_000, p99Us: percentile(sorted, 0.99) * 1_000 };
  } finally {
    await shut(socket);
  }
}

/** Constructor call to `open` event, for sockets opened one after the other. */
async function openTimes(spec: OpenSpec): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < spec.count; i++) {
    // Chromium holds a per-host lock for ~10 ms after a handshake: wait it out, so it is not what we time.
    await sleep(spec.gapMs);
    const start = performance.now();
    const socket = create(spec.socket, spec.url);
    await next(socket, 'open', spec.timeoutMs);
    times.push(performance.now() - start);
    await shut(socket);
  }
  return times;
}

/** Opens `count` sockets (Chromium lets one connect at a time) and keeps them open; resolves with how many are held. */
async function hold(spec: HoldSpec): Promise<number> {
  const sockets = Array.from({ length: spec.count }, () => create(spec.socket, spec.url));
  await Promise.all(sockets.map((socket) => next(socket, 'open', spec.timeoutMs)));
  held.push(...sockets);
  return held.length;
}

/** Closes every held socket. */
async function release(): Promise<void> {
  const sockets = held.splice(0, held.length);
  await Promise.all(sockets.map(shut));
}

/** The timer counts so far. */
function timers(): TimerCounts {
  return { ...probe.counts };
}

function info(): PageInfo {
  // The smallest positive step between two readings: 5 µs when cross-origin isolated, 100 µs otherwise.
  let step = Number.POSITIVE_INFINITY;
  let last = performance.now();
  for (let i = 0; i < 200_000 && step > 0.001; i++) {
    const now = performance.now();
    if (now > last) step = Math.min(step, now - last);
    last = now;
  }
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    visibilityState: document.visibilityState,
    clockResolutionUs: step * 1_000,
    libraryLoaded: typeof page.ResilientWebSocket === 'function',
  };
}

/** What the driver can call. */
export const bench = { stream, roundTrips, openTimes, hold, release, timers, info };

/** The type of `globalThis.bench` in the page. */
export type PageBench = typeof bench;

page.bench = bench;
