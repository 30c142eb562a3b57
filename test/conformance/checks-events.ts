/**
 * Conformance checks for the events themselves: their classes and fields,
 * `this` and targets in listeners, and that none is dispatched inside the
 * call that causes it.
 */

import { classString, nextClose, nextMessage, ok, openSocket, same, untilOpen, type Check } from './support.js';
import { record } from './wait.js';

export const eventChecks: readonly Check[] = [
  {
    name: 'events: open is a plain Event, neither bubbling nor cancelable',
    wpt: ['interfaces/WebSocket/events/015.html', 'interfaces/WebSocket/events/018.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      const log = record(ws, ['open']);
      await untilOpen(ws);
      const event = log.first('open');
      ok(event instanceof Event, 'open is an Event');
      same(classString(event), '[object Event]', 'class string of open');
      same(event?.bubbles, false, 'open bubbles');
      same(event?.cancelable, false, 'open cancelable');
    },
  },
  {
    name: 'events: message is an Event with the class string of a MessageEvent',
    wpt: ['interfaces/WebSocket/events/015.html', 'interfaces/WebSocket/events/018.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo?q=1'));
      const message = nextMessage(ws);
      ws.send('hello');
      const event = await message;
      ok(event instanceof Event, 'message is an Event');
      same(classString(event), '[object MessageEvent]', 'class string of message');
    },
  },
  {
    // Apart from the class string, so that a platform without it still checks the fields.
    name: 'events: message carries the data, the origin of the URL and an empty lastEventId, neither bubbling nor cancelable',
    wpt: ['interfaces/WebSocket/events/015.html', 'interfaces/WebSocket/events/018.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo?q=1'));
      const message = nextMessage(ws);
      ws.send('hello');
      const event = await message;
      same(event.data, 'hello', 'data');
      same(event.origin, server.origin, 'origin');
      same(event.lastEventId, '', 'lastEventId');
      same(event.bubbles, false, 'message bubbles');
      same(event.cancelable, false, 'message cancelable');
    },
  },
  {
    name: 'events: close is a CloseEvent whose code, reason and wasClean ignore assignment',
    wpt: ['interfaces/WebSocket/close/001.html', 'interfaces/WebSocket/close/close-basic.html', 'interfaces/WebSocket/events/015.html', 'interfaces/WebSocket/events/018.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const closed = nextClose(ws);
      ws.close(3000, 'why');
      const event = await closed;
      const PlatformCloseEvent = (globalThis as { CloseEvent?: typeof CloseEvent }).CloseEvent;
      if (PlatformCloseEvent) ok(event instanceof PlatformCloseEvent, 'close is an instance of the global CloseEvent');
      ok(event instanceof Event, 'close is an Event');
      same(classString(event), '[object CloseEvent]', 'class string of close');
      for (const [name, junk] of [['code', 1], ['reason', 'changed'], ['wasClean', false]] as const) {
        const before = event[name];
        Reflect.set(event, name, junk);
        same(event[name], before, `${name} after assignment`);
      }
      same(event.bubbles, false, 'close bubbles');
    },
  },
  {
    name: 'events: close is not cancelable',
    wpt: ['interfaces/WebSocket/events/018.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const closed = nextClose(ws);
      ws.close();
      same((await closed).cancelable, false, 'close cancelable');
    },
  },
  {
    name: 'events: error is a plain Event, neither bubbling nor cancelable',
    wpt: ['interfaces/WebSocket/events/018.html', 'interfaces/WebSocket/events/020.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/no-such-handler'));
      const log = record(ws, ['error']);
      await nextClose(ws);
      const event = log.first('error');
      ok(event instanceof Event, 'an error event fired');
      same(classString(event), '[object Event]', 'class string of error');
      same(event?.bubbles, false, 'error bubbles');
      same(event?.cancelable, false, 'error cancelable');
    },
  },
  {
    name: 'events: each listener runs with this, target and currentTarget the socket, at target',
    wpt: ['interfaces/WebSocket/events/017.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/bad-opcode'));
      const log = record(ws, ['open', 'message', 'error', 'close']);
      ws.addEventListener('open', () => ws.send('go'));
      await nextClose(ws);
      same(log.types().join(), 'open,message,error,close', 'events');
      for (const seen of log.seen) {
        same(seen.self, ws, `this in the ${seen.type} listener`);
        same(seen.event.target, ws, `target of ${seen.type}`);
        same(seen.event.type, seen.type, `type of ${seen.type}`);
      }
    },
  },
  {
    name: 'events: none fires inside the send() or close() call that causes it',
    wpt: ['interfaces/WebSocket/bufferedAmount/003.html', 'interfaces/WebSocket/close/close-basic.html'],
    run: async (WS, server) => {
      let inside = '';
      const synchronous: string[] = [];
      const watch = (ws: WebSocket): void => {
        for (const type of ['open', 'message', 'error', 'close']) {
          ws.addEventListener(type, () => {
            if (inside !== '') synchronous.push(`${type} inside ${inside}`);
          });
        }
      };
      const ws = new WS(server.url('/echo'));
      watch(ws);
      await untilOpen(ws);
      const message = nextMessage(ws);
      inside = 'send()';
      ws.send('hello');
      inside = '';
      await message;
      const closed = nextClose(ws);
      inside = 'close()';
      ws.close();
      inside = '';
      await closed;
      same(synchronous.join('; '), '', 'events dispatched synchronously');
    },
  },
];
