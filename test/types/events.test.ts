/**
 * The types of the events: the event map, typed `addEventListener` and
 * `removeEventListener`, and the `on*` handler attributes. Checked by
 * `tsc`; lines marked `@ts-expect-error` must not compile.
 */

import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  DropEvent,
  GiveUpEvent,
  ReconnectingEvent,
  ResilientCloseEvent,
  ResilientWebSocket,
  StateChangeEvent,
  DiagnosisEvent,
  type CloseClass,
  type CloseReport,
  type ResilientWebSocketEventMap,
  type SendData,
  type Status,
} from '../../src/index.js';
import { idleSocket } from './support.js';

describe('the event map', () => {
  it('should name every event the socket dispatches, with its class', () => {
    expectTypeOf<keyof ResilientWebSocketEventMap>().toEqualTypeOf<'open' | 'message' | 'error' | 'close' | 'statechange' | 'reconnecting' | 'giveup' | 'drop' | 'diagnosis'>();
    expectTypeOf<ResilientWebSocketEventMap['open']>().toEqualTypeOf<Event>();
    expectTypeOf<ResilientWebSocketEventMap['message']>().toEqualTypeOf<MessageEvent>();
    expectTypeOf<ResilientWebSocketEventMap['error']>().toEqualTypeOf<Event>();
    expectTypeOf<ResilientWebSocketEventMap['close']>().toEqualTypeOf<ResilientCloseEvent>();
    expectTypeOf<ResilientWebSocketEventMap['statechange']>().toEqualTypeOf<StateChangeEvent>();
    expectTypeOf<ResilientWebSocketEventMap['reconnecting']>().toEqualTypeOf<ReconnectingEvent>();
    expectTypeOf<ResilientWebSocketEventMap['giveup']>().toEqualTypeOf<GiveUpEvent>();
    expectTypeOf<ResilientWebSocketEventMap['drop']>().toEqualTypeOf<DropEvent>();
    expectTypeOf<ResilientWebSocketEventMap['diagnosis']>().toEqualTypeOf<DiagnosisEvent>();
    // The event classes are values too: `instanceof` works at run time.
    expect([ResilientCloseEvent, StateChangeEvent, ReconnectingEvent, GiveUpEvent, DropEvent, DiagnosisEvent].every((C) => C.prototype instanceof Event)).toBe(true);
  });

  it('should give the close event the CloseEvent fields and the report', () => {
    expectTypeOf<ResilientCloseEvent>().toExtend<CloseEvent>();
    expectTypeOf<ResilientCloseEvent['code']>().toEqualTypeOf<number>();
    expectTypeOf<ResilientCloseEvent['report']>().toEqualTypeOf<CloseReport>();
    expectTypeOf<CloseReport['class']>().toEqualTypeOf<CloseClass>();
    expectTypeOf<ReconnectingEvent['delayMs']>().toEqualTypeOf<number>();
    expectTypeOf<ReconnectingEvent['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<StateChangeEvent['to']>().toEqualTypeOf<Status>();
    expectTypeOf<GiveUpEvent['reason']>().toEqualTypeOf<string>();
    expectTypeOf<DropEvent['data']>().toEqualTypeOf<SendData>();
    expectTypeOf<DropEvent['reason']>().toEqualTypeOf<'overflow' | 'disposed'>();
  });
});

describe('addEventListener and removeEventListener', () => {
  it('should type the listener from the event name, with the socket as this', () => {
    const ws = idleSocket();
    ws.addEventListener('open', (e) => expectTypeOf(e).toEqualTypeOf<Event>());
    ws.addEventListener('message', (e) => expectTypeOf(e).toEqualTypeOf<MessageEvent>());
    ws.addEventListener('close', (e) => {
      expectTypeOf(e).toEqualTypeOf<ResilientCloseEvent>();
      expectTypeOf(e.report.class).toEqualTypeOf<CloseClass>();
    });
    ws.addEventListener('reconnecting', (e) => expectTypeOf(e.delayMs).toEqualTypeOf<number>());
    ws.addEventListener('statechange', (e) => expectTypeOf(e.from).toEqualTypeOf<Status>());
    ws.addEventListener('giveup', (e) => expectTypeOf(e).toEqualTypeOf<GiveUpEvent>());
    ws.addEventListener('drop', (e) => expectTypeOf(e).toEqualTypeOf<DropEvent>());
    ws.addEventListener('close', function (e) {
      expectTypeOf(this).toEqualTypeOf<ResilientWebSocket>();
      expectTypeOf(e).toEqualTypeOf<ResilientCloseEvent>();
    });
    ws.addEventListener('close', (e) => e.report, { once: true });
    expect(ws.readyState).toBe(ResilientWebSocket.CONNECTING);
  });

  it('should reject a listener that reads a field of another event', () => {
    const ws = idleSocket();
    // @ts-expect-error -- a close event has no delayMs (that is 'reconnecting')
    ws.addEventListener('close', (e) => e.delayMs);
    // @ts-expect-error -- a reconnecting event has no code (that is 'close')
    ws.addEventListener('reconnecting', (e) => e.code);
    // @ts-expect-error -- a message event has no report
    ws.addEventListener('message', (e) => e.report);
    expect(ws.readyState).toBe(ResilientWebSocket.CONNECTING);
  });

  it('should reject a typed listener under a misspelt event name, and type unknown names as plain Event', () => {
    const ws = idleSocket();
    // @ts-expect-error -- 'reconnect' is not an event: the listener expects a ReconnectingEvent but would get an Event
    ws.addEventListener('reconnect', (e: ReconnectingEvent) => e.delayMs);
    // @ts-expect-error -- 'closed' is not an event: a ResilientCloseEvent listener does not fit a plain Event
    ws.addEventListener('closed', (e: ResilientCloseEvent) => e.report);
    // Like the DOM, any other name is allowed, with a plain Event.
    ws.addEventListener('custom', (e) => expectTypeOf(e).toEqualTypeOf<Event>());
    // @ts-expect-error -- and a plain Event has no delayMs
    ws.addEventListener('custom', (e) => typeof e.delayMs);
    expect(ws.readyState).toBe(ResilientWebSocket.CONNECTING);
  });

  it('should type removeEventListener like addEventListener', () => {
    const ws = idleSocket();
    const onClose = (e: ResilientCloseEvent): CloseReport => e.report;
    const onReconnecting = (e: ReconnectingEvent): number => e.delayMs;
    ws.addEventListener('close', onClose);
    ws.removeEventListener('close', onClose);
    ws.removeEventListener('reconnecting', onReconnecting);
    // @ts-expect-error -- a reconnecting listener does not fit 'close'
    ws.removeEventListener('close', onReconnecting);
    expect(ws.readyState).toBe(ResilientWebSocket.CONNECTING);
  });
});

describe('the on* handler attributes', () => {
  it('should type each handler with its event and the socket as this, and accept null', () => {
    const ws = idleSocket();
    ws.onopen = (e) => expectTypeOf(e).toEqualTypeOf<Event>();
    ws.onmessage = (e) => expectTypeOf(e).toEqualTypeOf<MessageEvent>();
    ws.onerror = (e) => expectTypeOf(e).toEqualTypeOf<Event>();
    ws.onclose = function (e) {
      expectTypeOf(this).toEqualTypeOf<ResilientWebSocket>();
      expectTypeOf(e.report).toEqualTypeOf<CloseReport>();
    };
    // Read back, a handler is typed loosely (see the surface tests: that keeps the class assignable to `typeof WebSocket`).
    expectTypeOf<ResilientWebSocket['onclose']>().toEqualTypeOf<((this: unknown, event: Event) => unknown) | null>();
    expectTypeOf<ResilientWebSocket['onmessage']>().toEqualTypeOf<((this: unknown, event: Event) => unknown) | null>();
    expect(typeof ws.onclose).toBe('function');
    ws.onclose = null;
    expect(ws.onclose).toBeNull();
  });

  it('should reject a handler for another event, and a non-function', () => {
    const ws = idleSocket();
    // @ts-expect-error -- onclose receives a close event, not a reconnecting one
    ws.onclose = (e: ReconnectingEvent) => e.delayMs;
    // @ts-expect-error -- a close event has no delayMs
    ws.onclose = (e) => e.delayMs;
    // @ts-expect-error -- a handler is a function or null; the native attribute reads anything else back as null
    ws.onmessage = 'console.log(event)';
    expect(ws.onmessage).toBeNull();
    // @ts-expect-error -- only the four native handlers exist as attributes; use addEventListener('reconnecting')
    ws.onreconnecting = () => undefined;
  });
});
