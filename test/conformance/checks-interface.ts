/**
 * Conformance checks for the WebIDL surface: constants, read-only
 * attributes, the class string, `on*` handler attributes and their
 * interplay with `addEventListener`.
 */

import { classString, fail, handlerEvents, ok, restoring, same, type Check, type HandlerName } from './support.js';
import { nextEvent, waitUntil } from './wait.js';

const constants = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;
const readonlyAttributes = ['url', 'readyState', 'bufferedAmount', 'protocol', 'extensions'] as const;

/** The descriptor of `name` on `prototype` or the first prototype above it that has it (ours puts `.with()` subclasses in between). */
function inheritedDescriptor(prototype: object | null, name: string): PropertyDescriptor | undefined {
  for (let at = prototype; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/** Dispatches a synthetic (script-made) event of `type` on the socket. */
function dispatchSynthetic(ws: WebSocket, type: string, init?: CustomEventInit<number>): void {
  ws.dispatchEvent(new CustomEvent(type, init));
}

export const interfaceChecks: readonly Check[] = [
  {
    name: 'constants: CONNECTING, OPEN, CLOSING and CLOSED are 0 to 3 on the class, the prototype and instances',
    wpt: ['interfaces/WebSocket/constants/001.html', 'interfaces/WebSocket/constants/004.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      constants.forEach((name, value) => {
        same(WS[name], value, `WebSocket.${name}`);
        same((WS.prototype as unknown as Record<string, unknown>)[name], value, `WebSocket.prototype.${name}`);
        same(ws[name], value, `ws.${name}`);
      });
    },
  },
  {
    name: 'constants: assignment and delete on the class, the prototype and instances leave them unchanged',
    wpt: ['interfaces/WebSocket/constants/002.html', 'interfaces/WebSocket/constants/003.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      constants.forEach((name, value) => {
        for (const [target, label] of [[WS, 'WebSocket'], [WS.prototype, 'WebSocket.prototype'], [ws, 'ws']] as const) {
          restoring(target, name, () => {
            Reflect.set(target, name, 5);
            same(ws[name], value, `ws.${name} after assigning 5 to ${label}.${name}`);
            same(WS[name], value, `WebSocket.${name} after assigning 5 to ${label}.${name}`);
            Reflect.deleteProperty(target, name);
            same(ws[name], value, `ws.${name} after deleting ${label}.${name}`);
            same((WS.prototype as unknown as Record<string, unknown>)[name], value, `WebSocket.prototype.${name} after deleting ${label}.${name}`);
          });
        }
      });
    },
  },
  {
    name: 'constants: redefining one on the prototype throws a TypeError',
    wpt: ['interfaces/WebSocket/constants/005.html', 'interfaces/WebSocket/constants/006.html'],
    run: async (WS) => {
      for (const name of constants) {
        for (const accessor of [{ get: () => 'foo' }, { set: () => undefined }]) {
          let threw: unknown;
          restoring(WS.prototype, name, () => {
            try {
              Object.defineProperty(WS.prototype, name, accessor);
            } catch (error) {
              threw = error;
            }
          });
          ok(threw instanceof TypeError, `Object.defineProperty(WebSocket.prototype, '${name}', accessor) should throw a TypeError`);
        }
      }
    },
  },
  {
    name: 'interface: instances and the prototype have the class string WebSocket',
    wpt: ['idlharness.any.js'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      same(classString(ws), '[object WebSocket]', 'Object.prototype.toString of an instance');
      same(classString(WS.prototype), '[object WebSocket]', 'Object.prototype.toString of the prototype');
    },
  },
  {
    name: 'interface: url, readyState, bufferedAmount, protocol and extensions are inherited accessors that ignore assignment and delete',
    wpt: ['interfaces/WebSocket/readyState/002.html', 'interfaces/WebSocket/readyState/003.html', 'interfaces/WebSocket/bufferedAmount/002.html', 'interfaces/WebSocket/bufferedAmount/004.html', 'idlharness.any.js'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      for (const name of readonlyAttributes) {
        same(Object.getOwnPropertyDescriptor(ws, name), undefined, `own property ${name} on the instance`);
        const before = ws[name];
        Reflect.set(ws, name, name === 'readyState' || name === 'bufferedAmount' ? 5 : 'changed');
        same(ws[name], before, `${name} after assignment`);
        Reflect.deleteProperty(ws, name);
        same(ws[name], before, `${name} after delete`);
      }
    },
  },
  {
    name: 'interface: attributes and operations are enumerable, configurable prototype members (WebIDL)',
    wpt: ['idlharness.any.js'],
    run: async (WS, server) => {
      for (const name of [...readonlyAttributes, ...handlerEvents.map((type): HandlerName => `on${type}`), 'binaryType', 'close', 'send']) {
        const descriptor = inheritedDescriptor(WS.prototype, name);
        if (descriptor === undefined) fail(`${name} is not on the prototype chain`);
        same(descriptor.enumerable, true, `${name} is enumerable`);
        same(descriptor.configurable, true, `${name} is configurable`);
        const settable = name === 'binaryType' || name.startsWith('on');
        const operation = name === 'close' || name === 'send';
        same(typeof (operation ? descriptor.value : descriptor.get), 'function', `${name} is ${operation ? 'a method' : 'an accessor'}`);
        if (!operation) same(typeof descriptor.set, settable ? 'function' : 'undefined', `${name} ${settable ? 'has' : 'has no'} setter`);
      }
      const enumerated: string[] = [];
      for (const key in new WS(server.url('/'))) enumerated.push(key);
      for (const name of ['url', 'readyState', 'send', 'close', 'onmessage', 'CONNECTING']) ok(enumerated.includes(name), `for...in over a socket lists ${name}`);
    },
  },
  {
    name: 'readyState: CLOSING right after close() on a connecting socket, and delete does not change it',
    wpt: ['interfaces/WebSocket/readyState/003.html', 'interfaces/WebSocket/close/close-connecting.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/sleep'));
      await waitUntil(() => server.upgrades('/sleep') > 0, 'the handshake reached the server');
      ws.close();
      same(ws.readyState, WS.CLOSING, 'readyState right after close()');
      Reflect.deleteProperty(ws, 'readyState');
      same(ws.readyState, WS.CLOSING, 'readyState after close() and delete');
    },
  },
  {
    name: 'interface: close and send are methods an instance may shadow by assignment',
    wpt: ['interfaces/WebSocket/close/002.html', 'interfaces/WebSocket/send/002.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const name of ['close', 'send'] as const) {
        same(typeof ws[name], 'function', `typeof ws.${name}`);
        restoring(ws, name, () => {
          Reflect.set(ws, name, 5);
          same(ws[name], 5, `ws.${name} after assigning 5`);
        });
      }
    },
  },
  {
    name: 'on*: every handler attribute exists and is null by default',
    wpt: ['interfaces/WebSocket/events/001.html', 'interfaces/WebSocket/events/006.html', 'eventhandlers.any.js'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        ok(`on${type}` in ws, `'on${type}' in ws`);
        same(ws[`on${type}`], null, `on${type} by default`);
      }
    },
  },
  {
    name: 'on*: a function reads back as itself, and null or undefined read back as null',
    wpt: ['interfaces/WebSocket/events/002.html', 'interfaces/WebSocket/events/010.html', 'interfaces/WebSocket/events/014.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        const name: HandlerName = `on${type}`;
        for (const reset of [null, undefined]) {
          const handler = (): void => undefined;
          Reflect.set(ws, name, handler);
          same(ws[name], handler, `${name} after assigning a function`);
          Reflect.set(ws, name, reset);
          same(ws[name], null, `${name} after assigning ${String(reset)}`);
        }
      }
    },
  },
  {
    name: 'on*: a non-object value reads back as null and the previous handler is no longer called',
    wpt: ['eventhandlers.any.js', 'interfaces/WebSocket/events/011.html', 'interfaces/WebSocket/events/012.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        const name: HandlerName = `on${type}`;
        for (const junk of [2, 1, ';', true]) {
          let calls = 0;
          Reflect.set(ws, name, () => calls++);
          Reflect.set(ws, name, junk);
          same(ws[name], null, `${name} after assigning ${JSON.stringify(junk)}`);
          dispatchSynthetic(ws, type);
          same(calls, 0, `calls of the replaced ${name} handler`);
        }
      }
    },
  },
  {
    name: 'on*: an object with handleEvent reads back as null',
    wpt: ['interfaces/WebSocket/events/013.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        Reflect.set(ws, `on${type}`, { handleEvent: () => undefined });
        same(ws[`on${type}`], null, `on${type} after assigning {handleEvent}`);
      }
    },
  },
  {
    name: 'on*: a synthetic event reaches the handler synchronously, with this, target and currentTarget the socket',
    wpt: ['interfaces/WebSocket/events/003.html', 'interfaces/WebSocket/events/007.html', 'interfaces/WebSocket/events/008.html', 'interfaces/WebSocket/events/009.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        const calls: { self: unknown; detail: unknown; target: unknown; currentTarget: unknown; phase: number }[] = [];
        Reflect.set(ws, `on${type}`, function (this: unknown, event: CustomEvent<number>) {
          calls.push({ self: this, detail: event.detail, target: event.target, currentTarget: event.currentTarget, phase: event.eventPhase });
        });
        dispatchSynthetic(ws, type, { detail: 5 });
        same(calls.length, 1, `on${type} calls during dispatchEvent`);
        const [call] = calls;
        same(call?.self, ws, `this in on${type}`);
        same(call?.detail, 5, `detail seen by on${type}`);
        same(call?.target, ws, `event.target in on${type}`);
        same(call?.currentTarget, ws, `event.currentTarget in on${type}`);
        same(call?.phase, Event.AT_TARGET, `event.eventPhase in on${type}`);
        Reflect.set(ws, `on${type}`, null);
      }
    },
  },
  {
    name: 'on*: assigning another function leaves a single invocation, of the new one',
    wpt: ['eventhandlers.any.js'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        const calls: string[] = [];
        Reflect.set(ws, `on${type}`, () => calls.push('first'));
        Reflect.set(ws, `on${type}`, () => calls.push('second'));
        dispatchSynthetic(ws, type);
        same(calls.join(), 'second', `handlers called for a synthetic ${type}`);
      }
    },
  },
  {
    name: 'on*: a replaced handler keeps its place among the listeners',
    wpt: ['interfaces/WebSocket/events/016.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      for (const type of handlerEvents) {
        const calls: string[] = [];
        ws.addEventListener(type, () => calls.push('before'));
        Reflect.set(ws, `on${type}`, () => calls.push('handler 1'));
        ws.addEventListener(type, () => calls.push('after'));
        Reflect.set(ws, `on${type}`, () => calls.push('handler 2'));
        dispatchSynthetic(ws, type);
        same(calls.join(), 'before,handler 2,after', `call order for a synthetic ${type}`);
      }
    },
  },
  {
    name: 'addEventListener: listeners and on* handlers run in registration order for open, message and close',
    wpt: ['interfaces/WebSocket/events/016.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      const calls: string[] = [];
      for (const type of ['open', 'message', 'close'] as const) {
        ws.addEventListener(type, () => calls.push(`${type} listener 1`), false);
        Reflect.set(ws, `on${type}`, () => calls.push(`${type} handler`));
        ws.addEventListener(type, () => calls.push(`${type} listener 2`), true);
      }
      ws.addEventListener('open', () => ws.send('Goodbye'), { once: true });
      await nextEvent(ws, 'close');
      const expected = ['open', 'message', 'close'].flatMap((type) => [`${type} listener 1`, `${type} handler`, `${type} listener 2`]);
      same(calls.join(), expected.join(), 'call order');
    },
  },
  {
    name: 'removeEventListener: a removed listener is not called',
    wpt: ['interfaces/WebSocket/events/019.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      ws.close();
      for (const type of handlerEvents) {
        const got: string[] = [];
        const listener = (event: Event): void => {
          got.push(event.type);
        };
        ws.addEventListener(type, listener, false);
        ws.removeEventListener(type, listener, false);
        ws.dispatchEvent(new Event(type));
        if (got.length > 0) fail(`removed ${type} listener was called`);
      }
    },
  },
];
