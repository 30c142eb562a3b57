/**
 * Conformance parity: every check in `checks.ts` runs against undici's
 * WHATWG WebSocket (the implementation Node 22 ships as the global, built
 * against the WPT) and against `ResilientWebSocket` bound to it with default
 * options. Whatever undici passes, ours must pass, except for the
 * documented deliberate differences, where ours is held to its own
 * documented behaviour instead. Checks undici itself fails are listed with
 * the reason, and the list is verified on every run so it cannot rot.
 */

import { WebSocket as UndiciWebSocket } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ResilientWebSocket, type ResilientWebSocketOptions } from '../../src/index.js';
import { checks, type Check, type WebSocketClass } from './checks.js';
import { startConformanceServer, type ConformanceServer } from './server.js';
import { nextClose, openSocket, same, throwsDom, untilOpen } from './support.js';
import { nextEvent, waitUntil } from './wait.js';

/** Checks undici fails in Node, with why. Each must really fail for undici. */
const referenceFailures: Readonly<Record<string, string>> = {
  'on*: an object with handleEvent reads back as null':
    'undici follows the current HTML spec ([LegacyTreatNonObjectAsNull]: any object is kept and reads back as itself); the WPT file predates that rule.',
  'on*: a replaced handler keeps its place among the listeners':
    'undici removes the old listener and adds the new one at the end, instead of swapping the callback in place as the HTML event handler processing does.',
  "binaryType: an invalid value leaves 'arraybuffer' in place (WebIDL enumeration)":
    "undici's setter resets any invalid value to 'blob' instead of ignoring it as a WebIDL enum attribute must.",
  'close(): on a connecting socket, CLOSING at once, then one close event (not clean, 1006) while CLOSED, and no open':
    'undici fails the connection synchronously inside close(): error and close fire before close() returns, and readyState is then left at CLOSING for good.',
  'events: error is a plain Event, neither bubbling nor cancelable':
    "undici dispatches its own ErrorEvent class for error ('[object ErrorEvent]').",
};

/**
 * Checks ours fails only because of the platform it runs on here, with the
 * proof that the platform is the cause (it must hold, so the list cannot rot).
 */
const platformGaps: Readonly<Record<string, { readonly reason: string; readonly holds: () => boolean }>> = {
  'events: message is an Event with the class string of a MessageEvent': {
    reason:
      "message events are made with the platform's global MessageEvent, which in Node 20 has no class string ('[object Event]'); in browsers and in Node 22 it reports '[object MessageEvent]'.",
    holds: () => Object.prototype.toString.call(new MessageEvent('message')) !== '[object MessageEvent]',
  },
};

/** A fresh `ResilientWebSocket` subclass bound to undici, with `options` on top of the defaults. */
function bindOurs(options: ResilientWebSocketOptions = {}): WebSocketClass {
  return ResilientWebSocket.with({ WebSocket: UndiciWebSocket as never, ...options });
}

/**
 * Per test: a server, and every socket made through the classes handed
 * out, so the teardown can dispose (ours) or close (undici) each one and no
 * socket reconnects in the background after its test.
 */
interface Session {
  server: ConformanceServer;
  /** Wraps `Base` so that every instance constructed through it is torn down after the test. */
  track(Base: WebSocketClass): WebSocketClass;
}

/** What the running test has created: torn down, sockets first, after it. */
const live: { servers: ConformanceServer[]; sockets: WebSocket[] } = { servers: [], sockets: [] };

/** A fresh server for the running test (a test may start more than one). */
async function startSession(): Promise<Session> {
  const server = await startConformanceServer();
  live.servers.push(server);
  return {
    server,
    track(Base) {
      // A Proxy rather than a subclass: the checks probe the class's own constants and prototype.
      const tracked: WebSocketClass = new Proxy(Base, {
        construct(target, args, newTarget) {
          const instance = Reflect.construct(target, args, newTarget === tracked ? target : newTarget) as WebSocket;
          live.sockets.push(instance);
          return instance;
        },
      });
      return tracked;
    },
  };
}

afterEach(async () => {
  for (const ws of live.sockets.splice(0)) {
    try {
      const own = ws as WebSocket & { dispose?: () => void };
      if (typeof own.dispose === 'function') own.dispose();
      else if (ws.readyState < 2) UndiciWebSocket.prototype.close.call(ws);
    } catch {
      // A socket a check broke on purpose (shadowed close) or already closed.
    }
  }
  await Promise.all(live.servers.splice(0).map((server) => server.close()));
});

/** Ours, where it deliberately differs from the native socket: the reason, and our documented behaviour to assert instead. */
interface DeliberateDifference {
  readonly reason: string;
  readonly ours: (session: Session) => Promise<void>;
}

const deliberateDifferences: Readonly<Record<string, DeliberateDifference>> = {
  'send: before open throws InvalidStateError, whatever the data': {
    reason: 'DESIGN.md: send() while not open queues the message for the next open and returns false; with `buffer: false` it throws InvalidStateError like the native socket.',
    async ours({ server, track }) {
      const Unbuffered = track(bindOurs({ buffer: false }));
      const strict = new Unbuffered(server.url('/echo'));
      throwsDom('InvalidStateError', () => strict.send('Message to send'), 'send() while connecting with buffer: false');
      throwsDom('InvalidStateError', () => strict.send('a\udc00x'), 'send(a lone surrogate) while connecting with buffer: false');
      const Buffered = track(bindOurs());
      const queued = new Buffered(server.url('/echo'));
      same(queued.send('queued before open'), false, 'send() while connecting returns false (queued)');
      const echoed = nextEvent<MessageEvent>(queued, 'message');
      await untilOpen(queued);
      same((await echoed).data, 'queued before open', 'the queued message, echoed after open');
    },
  },
  'send: returns undefined': {
    reason: 'DESIGN.md (Send buffer): send() returns whether the data went to a live socket now: true when open, false when queued.',
    async ours({ server, track }) {
      const ws = await openSocket(track(bindOurs()), server.url('/echo'));
      const echoed = nextEvent<MessageEvent>(ws, 'message');
      same(ws.send('test'), true, 'send() on an open socket');
      await echoed;
    },
  },
  'server close: the socket stays closed, nothing reopens it': {
    reason: 'DESIGN.md: like every reconnecting socket, close fires on each drop and open on each reconnect; a server-initiated close is followed by a reconnect.',
    async ours({ server, track }) {
      const ws = await openSocket(track(bindOurs()), server.url('/echo_exit'));
      let readyStateInClose = -1;
      ws.addEventListener('close', () => (readyStateInClose = ws.readyState));
      const closed = nextClose(ws);
      ws.send('Goodbye');
      const event = await closed;
      same(event.code, 1000, 'code of the server close');
      same(readyStateInClose, 3, 'readyState in the close event');
      await untilOpen(ws);
      same(ws.readyState, 1, 'readyState after the automatic reconnect');
      await waitUntil(() => server.upgrades('/echo_exit') === 2, 'the server saw the second handshake');
    },
  },
  'events: close is not cancelable': {
    reason: 'DESIGN.md (Inside protocol clients): the close event is cancelable; preventDefault() in a close listener stops the automatic reconnect for that drop.',
    async ours({ server, track }) {
      const ws = await openSocket(track(bindOurs()), server.url('/echo_exit'));
      ws.addEventListener('close', (event) => event.preventDefault());
      const closed = nextClose(ws);
      ws.send('Goodbye');
      const event = await closed;
      same(event.cancelable, true, 'close cancelable');
      same(event.defaultPrevented, true, 'close defaultPrevented after preventDefault()');
      same(ws.readyState, 3, 'readyState after a canceled drop');
    },
  },
};

type Outcome = 'pass' | 'fail' | 'documented' | 'platform';
const undiciOutcomes = new Map<string, Outcome>();
const ourOutcomes = new Map<string, Outcome>();

/** Runs `body`, records whether it passed, and rethrows its failure. */
async function recorded(outcomes: Map<string, Outcome>, name: string, body: () => Promise<void>, passed: Outcome = 'pass'): Promise<void> {
  outcomes.set(name, 'fail');
  await body();
  outcomes.set(name, passed);
}

function isListed(check: Check): boolean {
  return check.name in referenceFailures;
}

describe('conformance lists', () => {
  it('should name only existing checks, each once', () => {
    const names = checks.map((check) => check.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of [...Object.keys(referenceFailures), ...Object.keys(deliberateDifferences)]) expect(names).toContain(name);
    for (const name of Object.keys(deliberateDifferences)) expect(referenceFailures).not.toHaveProperty(name);
  });
});

describe('undici WebSocket (reference)', () => {
  for (const check of checks) {
    const reason = referenceFailures[check.name];
    if (reason === undefined) {
      it(check.name, async () => {
        const { server, track } = await startSession();
        await recorded(undiciOutcomes, check.name, () => check.run(track(UndiciWebSocket as unknown as WebSocketClass), server));
      });
    } else {
      it(`${check.name} [known reference failure]`, async () => {
        const { server, track } = await startSession();
        undiciOutcomes.set(check.name, 'fail');
        await expect(check.run(track(UndiciWebSocket as unknown as WebSocketClass), server), `listed as failing for undici: ${reason}`).rejects.toThrow();
      });
    }
  }
});

describe('ResilientWebSocket bound to undici', () => {
  for (const check of checks) {
    const difference = deliberateDifferences[check.name];
    if (isListed(check)) {
      // Not a parity requirement: the reference fails it too. Run for information only.
      it(`${check.name} [informational: undici fails it]`, async () => {
        const { server, track } = await startSession();
        await check.run(track(bindOurs()), server).then(
          () => ourOutcomes.set(check.name, 'pass'),
          () => ourOutcomes.set(check.name, 'fail'),
        );
      });
    } else if (check.name in platformGaps) {
      const gap = platformGaps[check.name];
      it(`${check.name} [platform gap]`, async () => {
        expect(gap?.holds(), `listed as a platform gap: ${gap?.reason ?? ''}`).toBe(true);
        const { server, track } = await startSession();
        ourOutcomes.set(check.name, 'platform');
        await expect(check.run(track(bindOurs()), server)).rejects.toThrow();
      });
    } else if (difference === undefined) {
      it(check.name, async () => {
        const { server, track } = await startSession();
        await recorded(ourOutcomes, check.name, () => check.run(track(bindOurs()), server));
      });
    } else {
      it(`${check.name} [deliberate difference: asserts our documented behaviour]`, async () => {
        const native = await startSession();
        await recorded(ourOutcomes, check.name, async () => {
          await expect(check.run(native.track(bindOurs()), native.server), 'listed as a deliberate difference, so the native behaviour must not hold').rejects.toThrow();
          await difference.ours(await startSession());
        }, 'documented');
      });
    }
  }
});

afterAll(() => {
  const reference = checks.filter((check) => undiciOutcomes.get(check.name) === 'pass');
  const passed = reference.filter((check) => ourOutcomes.get(check.name) === 'pass').length;
  const documented = reference.filter((check) => ourOutcomes.get(check.name) === 'documented').length;
  const platform = reference.filter((check) => ourOutcomes.get(check.name) === 'platform').length;
  const failing = reference.filter((check) => !['pass', 'documented', 'platform'].includes(ourOutcomes.get(check.name) ?? ''));
  const informational = checks.filter((check) => isListed(check));
  const oursPassInformational = informational.filter((check) => ourOutcomes.get(check.name) === 'pass');
  console.log(
    `conformance: ${checks.length} checks, undici passes ${reference.length}, resilient-websocket passes ${passed + documented} of those ${reference.length}` +
      ` (${documented} by a documented deliberate difference); ${platform} not reachable on this platform`,
  );
  if (failing.length > 0) console.log(`conformance: parity failures: ${failing.map((check) => check.name).join(' | ')}`);
  console.log(
    `conformance (informational): of the ${informational.length} checks undici fails, resilient-websocket passes ${oursPassInformational.length}` +
      (informational.length > oursPassInformational.length ? `; fails: ${informational.filter((check) => !oursPassInformational.includes(check)).map((check) => check.name).join(' | ')}` : ''),
  );
});
