/**
 * Page-side, for the analysis (bench/why.ts): what one message costs on the
 * library's hot path in Chromium, without the network.
 *
 * Two groups of cases. Whole paths: messages through {@link EchoFakeSocket}
 * (one `send()`, one `message` event read by the application), alone and
 * wrapped by the library. Forwarding shapes: what each way of handing an
 * incoming `MessageEvent` on to an application listener adds, from the
 * library's current re-dispatch to the alternatives.
 *
 * @module
 */

import type { ResilientWebSocket, WebSocketConstructor } from '../../../src/index.js';
import { EchoFakeSocket } from '../../fake-socket.js';

/** A case: processes `n` messages, returns a checksum so nothing is optimised away. */
type Case = (n: number) => number;

const page = globalThis as unknown as { ResilientWebSocket?: typeof ResilientWebSocket; dispatchBench?: unknown };
const url = 'ws://127.0.0.1:9/fake';
const origin = 'ws://127.0.0.1:9';
const payload = 'x'.repeat(32);

interface Receiving {
  addEventListener(type: 'message', listener: (event: MessageEvent<string>) => void): void;
  send(data: string): unknown;
}

function ours(): typeof ResilientWebSocket {
  const Ours = page.ResilientWebSocket;
  if (!Ours) throw new Error('ResilientWebSocket is not loaded');
  return Ours;
}

/** Messages through a socket the application listens to, echoed by `fake`. */
function pump(app: Receiving, fake: EchoFakeSocket): Case {
  let chars = 0;
  app.addEventListener('message', (event) => {
    chars += event.data.length;
  });
  fake.accept();
  return (n) => {
    for (let i = 0; i < n; i++) {
      app.send(payload);
      fake.echo();
    }
    return chars;
  };
}

function wrapped(options: object): Case {
  const app = new (ours())(url, [], { WebSocket: EchoFakeSocket as unknown as WebSocketConstructor, ...options });
  return pump(app, EchoFakeSocket.latest!);
}

/** Proposal: a `MessageEvent` whose `origin` is a getter, so Blink never converts it per message. */
class SocketMessageEvent extends MessageEvent<unknown> {
  readonly #origin: string;
  constructor(data: unknown, eventOrigin: string) {
    super('message', { data });
    this.#origin = eventOrigin;
  }
  static {
    Object.defineProperty(this.prototype, 'origin', {
      get(this: SocketMessageEvent) {
        return this.#origin;
      },
      enumerable: true,
      configurable: true,
    });
  }
}

/** Option: a plain `Event` dressed as a `MessageEvent` (prototype chain and getters; Blink sees an `Event`). */
class LookAlikeMessageEvent extends Event {
  readonly #data: unknown;
  readonly #origin: string;
  constructor(data: unknown, eventOrigin: string) {
    super('message');
    this.#data = data;
    this.#origin = eventOrigin;
  }
  get data(): unknown {
    return this.#data;
  }
  get origin(): string {
    return this.#origin;
  }
  // eslint-disable-next-line @typescript-eslint/class-literal-property-style -- a prototype getter, as the platform's
  get lastEventId(): string {
    return '';
  }
  static {
    Object.setPrototypeOf(this.prototype, MessageEvent.prototype);
  }
}

/**
 * A forwarding shape: an incoming event (made once, as the platform would)
 * handed on to one application listener `n` times.
 */
function forwarding(forward: (incoming: MessageEvent<string>, target: EventTarget, listener: (event: MessageEvent<string>) => void) => void): () => Case {
  return () => {
    const incoming = new MessageEvent('message', { data: payload, origin, lastEventId: '' });
    const target = new EventTarget();
    let chars = 0;
    const listener = (event: MessageEvent<string>): void => {
      chars += event.data.length;
    };
    target.addEventListener('message', listener as EventListener);
    return (n) => {
      for (let i = 0; i < n; i++) forward(incoming, target, listener);
      return chars;
    };
  };
}

/** The cases, by name; each is built fresh (its own socket) before timing. */
const cases: Record<string, () => Case> = {
  'path: fake socket alone': () => {
    const fake = new EchoFakeSocket(url);
    return pump(fake as unknown as Receiving, fake);
  },
  'path: ours over the fake, defaults': () => wrapped({}),
  'path: ours over the fake, heartbeat: true': () => wrapped({ heartbeat: true }),
  'forward: as today, dispatchEvent(new MessageEvent({data, origin, lastEventId}))': forwarding((incoming, target) => {
    target.dispatchEvent(new MessageEvent('message', { data: incoming.data, origin: incoming.origin || origin, lastEventId: incoming.lastEventId }));
  }),
  'forward: dispatchEvent(new MessageEvent({data})), no origin': forwarding((incoming, target) => {
    target.dispatchEvent(new MessageEvent('message', { data: incoming.data }));
  }),
  'forward: dispatchEvent(new SocketMessageEvent(data, origin)), origin getter': forwarding((incoming, target) => {
    target.dispatchEvent(new SocketMessageEvent(incoming.data, origin));
  }),
  'forward: dispatchEvent(Event dressed as MessageEvent)': forwarding((incoming, target) => {
    target.dispatchEvent(new LookAlikeMessageEvent(incoming.data, origin));
  }),
  'forward: listener.call(socket, incoming), own listener list': forwarding((incoming, target, listener) => {
    listener.call(target, incoming);
  }),
  'piece: new MessageEvent({data, origin, lastEventId})': () => (n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += new MessageEvent('message', { data: payload, origin, lastEventId: '' }).bubbles ? 0 : 1;
    return sum;
  },
  'piece: new MessageEvent({data})': () => (n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += new MessageEvent('message', { data: payload }).bubbles ? 0 : 1;
    return sum;
  },
};

/** Nanoseconds per message for each case: `rounds` rounds in rotating order, the median round. */
function run(messages: number, rounds: number): Record<string, number> {
  const names = Object.keys(cases);
  const built = new Map(names.map((name) => [name, cases[name]!()]));
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  let sink = 0;
  for (const [, fn] of built) sink += fn(Math.min(messages, 20_000)); // warm-up: optimised code before timing
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      const start = performance.now();
      sink += built.get(name)!(messages);
      times.get(name)!.push(((performance.now() - start) * 1e6) / messages);
    }
  }
  if (sink === 0) throw new Error('no work was done');
  const result: Record<string, number> = {};
  for (const [name, series] of times) result[name] = [...series].sort((a, b) => a - b)[series.length >> 1]!;
  return result;
}

/**
 * Whether binary data reaches the application as the very object the
 * socket delivered (no copy), through the library over the fake socket.
 */
function binaryIsNotCopied(): boolean {
  const app = new (ours())(url, [], { WebSocket: EchoFakeSocket as unknown as WebSocketConstructor, environment: false });
  const fake = EchoFakeSocket.latest!;
  const sent = new ArrayBuffer(64 * 1024);
  let received: unknown = null;
  app.addEventListener('message', (event) => {
    received = event.data;
  });
  fake.accept();
  app.send(sent);
  fake.echo();
  app.dispose();
  return received === sent;
}

/** What the driver can call. */
export const dispatchBench = { run, binaryIsNotCopied };

/** The type of `globalThis.dispatchBench` in the page. */
export type DispatchBench = typeof dispatchBench;

page.dispatchBench = dispatchBench;
