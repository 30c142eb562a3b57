/**
 * The types of the WebSocket surface and the pure helpers: constants,
 * `send()` and `close()` arguments, `with()`, how far the class fits where
 * the platform's `WebSocket` is expected, and the close classification.
 */

import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ResilientWebSocket,
  classifyClose,
  classifyCode,
  type CloseClass,
  type CloseClassification,
  type CloseReport,
  type SendData,
  type Status,
  type WebSocketConstructor,
} from '../../src/index.js';
import { idleSocket, typeOnly } from './support.js';

describe('the ready-state constants', () => {
  it('should be literal and read-only, on the class and on instances', () => {
    const ws = idleSocket();
    expectTypeOf(ResilientWebSocket.CONNECTING).toEqualTypeOf<0>();
    expectTypeOf(ResilientWebSocket.OPEN).toEqualTypeOf<1>();
    expectTypeOf(ResilientWebSocket.CLOSING).toEqualTypeOf<2>();
    expectTypeOf(ResilientWebSocket.CLOSED).toEqualTypeOf<3>();
    expectTypeOf(ws.OPEN).toEqualTypeOf<1>();
    expectTypeOf(ws.readyState).toEqualTypeOf<0 | 1 | 2 | 3>();
    expectTypeOf(ws.state).toEqualTypeOf<Status>();
    expect(() => {
      // @ts-expect-error -- the constants are read-only
      ResilientWebSocket.OPEN = 2;
    }).toThrow(TypeError);
    expect(ResilientWebSocket.OPEN).toBe(1);
    typeOnly(() => {
      // @ts-expect-error -- readyState has no setter
      ws.readyState = 3;
    });
  });
});

describe('the properties', () => {
  it('should type them like the native socket, plus the report history', () => {
    const ws = idleSocket();
    expectTypeOf(ws.url).toEqualTypeOf<string>();
    expectTypeOf(ws.protocol).toEqualTypeOf<string>();
    expectTypeOf(ws.bufferedAmount).toEqualTypeOf<number>();
    expectTypeOf(ws.binaryType).toEqualTypeOf<BinaryType>();
    expectTypeOf(ws.lastClose).toEqualTypeOf<CloseReport | null>();
    expectTypeOf(ws.history).toEqualTypeOf<readonly CloseReport[]>();
    ws.binaryType = 'arraybuffer';
    expect(ws.binaryType).toBe('arraybuffer');
    typeOnly(() => {
      // @ts-expect-error -- binaryType is 'blob' or 'arraybuffer'
      ws.binaryType = 'text';
    });
  });
});

describe('send() and close()', () => {
  it("should accept what the native send() accepts, and report whether it went out", () => {
    const ws = idleSocket();
    expectTypeOf(ws.send).parameters.toEqualTypeOf<[data: SendData]>();
    expectTypeOf(ws.send).returns.toEqualTypeOf<boolean>();
    expectTypeOf<string | ArrayBuffer | Blob | Uint8Array | DataView>().toExtend<SendData>();
    expectTypeOf<Parameters<WebSocket['send']>[0]>().toExtend<SendData>();
    expect([ws.send('text'), ws.send(new ArrayBuffer(2)), ws.send(new Uint8Array(2)), ws.send(new Blob(['x']))]).toEqual([false, false, false, false]);
    typeOnly(() => {
      // @ts-expect-error -- not a message
      ws.send(42);
      // @ts-expect-error -- objects are not serialized for you
      ws.send({ type: 'hello' });
      // @ts-expect-error -- the data is required
      ws.send();
    });
  });

  it('should take an optional numeric code and a string reason in close()', () => {
    const ws = idleSocket();
    expectTypeOf(ws.close).parameters.toEqualTypeOf<[code?: number, reason?: string]>();
    typeOnly(() => {
      // @ts-expect-error -- the code is a number
      ws.close('1000');
    });
    ws.close(4000, 'bye');
    expect(ws.readyState).toBe(ResilientWebSocket.CLOSING);
  });

  it('should be disposable with using', () => {
    const ws = idleSocket();
    expectTypeOf(ws[Symbol.dispose]).toEqualTypeOf<() => void>();
    expectTypeOf(ws).toExtend<Disposable>();
    expectTypeOf(ws.dispose).toEqualTypeOf<() => void>();
  });
});

describe('the class where a WebSocket class is expected', () => {
  it('should bind options with with(), keeping the class type', () => {
    const Bound = ResilientWebSocket.with({ heartbeat: true });
    expectTypeOf(Bound).toEqualTypeOf<typeof ResilientWebSocket>();
    expectTypeOf(Bound).toExtend<new (url: string, protocols?: string | string[]) => ResilientWebSocket>();
    expect(Bound.OPEN).toBe(1);
  });

  it('should construct like the native class and fit WebSocketConstructor', () => {
    expectTypeOf(ResilientWebSocket).toExtend<new (url: string | URL, protocols?: string | string[]) => EventTarget>();
    expectTypeOf(ResilientWebSocket).toExtend<WebSocketConstructor>();
    expectTypeOf<[url: string | URL, protocols?: string | string[]]>().toExtend<ConstructorParameters<typeof ResilientWebSocket>>();
  });

  it('should be assignable where the platform types expect a WebSocket, instance and class', () => {
    // What a handler attribute accepts is typed for this class (`this`, a ResilientCloseEvent);
    // what it reads back is loose enough to fit the native attribute types.
    expectTypeOf<ResilientWebSocket>().toExtend<WebSocket>();
    expectTypeOf<typeof ResilientWebSocket>().toExtend<typeof WebSocket>();
    expectTypeOf<ResilientWebSocket['onclose']>().toExtend<WebSocket['onclose']>();
    const asNative: typeof WebSocket = ResilientWebSocket;
    expect(asNative.OPEN).toBe(1);
  });
});

describe('the close classification', () => {
  it('should type classifyCode and classifyClose', () => {
    expectTypeOf(classifyCode).parameters.toEqualTypeOf<[code: number]>();
    expectTypeOf(classifyCode).returns.toEqualTypeOf<CloseClass>();
    expectTypeOf(classifyClose).returns.toEqualTypeOf<CloseClassification>();
    expectTypeOf<CloseClass>().toExtend<string>();
    const result = classifyClose({ code: 1006, reason: '', wasClean: false, opened: true });
    expectTypeOf(result.initiator).toEqualTypeOf<'client' | 'server' | 'library' | 'network'>();
    expect(result).toEqual({ class: 'abnormal', initiator: 'network', phase: 'open' });
    typeOnly(() => {
      // @ts-expect-error -- the facts need reason, wasClean and opened
      classifyClose({ code: 1006 });
      // @ts-expect-error -- a code is a number
      classifyCode('1006');
    });
  });
});
