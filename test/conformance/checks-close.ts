/**
 * Conformance checks for the life of a connection: readyState, close()
 * argument validation, the close event after client- and server-initiated
 * closes, and failed connections.
 */

import { doesNotThrow, nextClose, ok, openSocket, same, throwsDom, untilOpen, type Check, type WebSocketClass } from './support.js';
import { delay, nextEvent, record, waitUntil } from './wait.js';

/** How long to watch for an event that must not come (there is no event to await for an absence). */
const quietMs = 150;

/** Opens a socket on /echo, closes it with `args`, and returns the close event. */
async function closeWith(WS: WebSocketClass, url: string, ...args: unknown[]): Promise<CloseEvent> {
  const ws = await openSocket(WS, url);
  const closed = nextClose(ws);
  const result: unknown = Reflect.apply(ws.close.bind(ws), ws, args);
  same(result, undefined, `close(${args.map((arg) => JSON.stringify(arg)).join(', ')}) return value`);
  same(ws.readyState, WS.CLOSING, 'readyState right after close()');
  return closed;
}

const invalidCodes: unknown[] = [0, 500, 999, 1001, 1005, 1006, 2999, 5000, 0x10000 + 1000, -1, NaN, null, 'string', 'Close with only reason'];

export const closeChecks: readonly Check[] = [
  {
    name: 'readyState: OPEN in the open event, CLOSING right after close(), CLOSED in the close event',
    wpt: ['interfaces/WebSocket/readyState/006.html', 'interfaces/WebSocket/readyState/007.html', 'interfaces/WebSocket/readyState/008.html', 'Secure-Close-readyState-Closing.any.js', 'Secure-Close-readyState-Closed.any.js'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      same(ws.readyState, WS.CONNECTING, 'readyState after construction');
      const log = record(ws, ['open', 'close']);
      await untilOpen(ws);
      ws.close();
      same(ws.readyState, WS.CLOSING, 'readyState right after close()');
      await nextClose(ws);
      same(log.types().join(), 'open,close', 'events');
      same(log.seen[0]?.readyState, WS.OPEN, 'readyState in open');
      same(log.seen[1]?.readyState, WS.CLOSED, 'readyState in close');
      same(ws.readyState, WS.CLOSED, 'readyState after the close event');
    },
  },
  {
    name: 'close(): undefined, 1000, 3000 and 4999 are accepted on an open socket, which turns CLOSING',
    wpt: ['Close-undefined.any.js', 'Secure-Close-undefined.any.js', 'Close-1000.any.js', 'Secure-Close-3000-reason.any.js', 'Secure-Close-4999-reason.any.js', 'interfaces/WebSocket/close/004.html'],
    run: async (WS, server) => {
      for (const args of [[], [undefined], [1000], [3000, 'reason'], [4999, 'Clean Close with code - 4999']]) {
        const ws = await openSocket(WS, server.url('/echo'));
        let result: unknown;
        doesNotThrow(() => (result = Reflect.apply(ws.close.bind(ws), ws, args)), `close(${args.map((arg) => JSON.stringify(arg)).join(', ')})`);
        same(result, undefined, 'close() return value');
        same(ws.readyState, WS.CLOSING, 'readyState right after close()');
      }
    },
  },
  {
    name: 'close(code, reason): the close event has the code and reason the server echoed, wasClean true, readyState CLOSED',
    wpt: ['Close-1000-reason.any.js', 'Secure-Close-1000-verify-code.any.js', 'Secure-Close-3000-verify-code.any.js', 'Secure-Close-4999-reason.any.js'],
    run: async (WS, server) => {
      for (const code of [1000, 3000, 4999]) {
        const ws = await openSocket(WS, server.url('/echo'));
        const closed = nextClose(ws);
        ws.close(code, 'Clean Close');
        const event = await closed;
        same(event.code, code, 'code');
        same(event.reason, 'Clean Close', 'reason');
        same(event.wasClean, true, 'wasClean');
        same(ws.readyState, WS.CLOSED, 'readyState after the close event');
      }
    },
  },
  {
    name: 'close(): without a code, the close event has code 1005 and an empty reason, wasClean true',
    wpt: ['Secure-Close-1005-verify-code.any.js', 'closing-handshake/003.html', 'Create-valid-url-array-protocols.any.js'],
    run: async (WS, server) => {
      const event = await closeWith(WS, server.url('/echo'));
      same(event.code, 1005, 'code');
      same(event.reason, '', 'reason');
      same(event.wasClean, true, 'wasClean');
    },
  },
  {
    name: 'close(): a code other than 1000 or 3000-4999 throws InvalidAccessError and changes nothing',
    wpt: ['close-invalid.any.js', 'Secure-Close-2999-reason.any.js', 'Secure-Close-1005.any.js', 'Secure-Close-onlyReason.any.js', 'Close-0.htm', 'Close-NaN.htm', 'Close-null.htm', 'Close-string.htm'],
    run: async (WS, server) => {
      const connecting = new WS(server.url('/echo'));
      for (const code of invalidCodes) {
        throwsDom('InvalidAccessError', () => Reflect.apply(connecting.close.bind(connecting), connecting, [code]), `close(${JSON.stringify(code)}) while connecting`);
        same(connecting.readyState, WS.CONNECTING, `readyState after close(${JSON.stringify(code)}) threw`);
      }
      await untilOpen(connecting);
      for (const code of invalidCodes) {
        throwsDom('InvalidAccessError', () => Reflect.apply(connecting.close.bind(connecting), connecting, [code, 'reason']), `close(${JSON.stringify(code)}, 'reason') while open`);
        same(connecting.readyState, WS.OPEN, `readyState after close(${JSON.stringify(code)}) threw`);
      }
    },
  },
  {
    name: 'close(): a reason over 123 UTF-8 bytes throws a SyntaxError, and 123 bytes are accepted and echoed',
    wpt: ['Close-Reason-124Bytes.any.js', 'Secure-Close-Reason-124Bytes.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      for (const reason of ['0123456789'.repeat(12) + '0123', '\u00e9'.repeat(62), '\u20ac'.repeat(41) + 'a', '\ud83d\ude00'.repeat(31)]) {
        throwsDom('SyntaxError', () => ws.close(1000, reason), `close(1000, ${reason.length} chars)`);
        same(ws.readyState, WS.OPEN, 'readyState after close() threw');
      }
      const longest = '\u20ac'.repeat(40) + 'abc';
      const closed = nextClose(ws);
      doesNotThrow(() => ws.close(1000, longest), 'close(1000, a 123-byte reason)');
      same((await closed).reason, longest, 'reason of the close event');
    },
  },
  {
    name: 'close(): unpaired surrogates in the reason count as U+FFFD (3 bytes) and arrive as U+FFFD',
    wpt: ['Close-reason-unpaired-surrogates.any.js', 'Secure-Close-Reason-Unpaired-surrogates.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      throwsDom('SyntaxError', () => ws.close(1000, '\ud807'.repeat(42)), 'close(1000, 42 lone surrogates = 126 bytes)');
      same(ws.readyState, WS.OPEN, 'readyState after close() threw');
      const closed = nextClose(ws);
      ws.close(1000, '\ud807');
      same((await closed).reason, '\ufffd', 'reason of the close event');
    },
  },
  {
    name: 'close(): the close event fires after close() returns, never inside it',
    wpt: ['interfaces/WebSocket/close/close-basic.html', 'Secure-Close-readyState-Closing.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const log = record(ws, ['close', 'error']);
      ws.close(1000);
      same(log.types().join(), '', 'events dispatched inside close()');
      await nextClose(ws);
    },
  },
  {
    name: 'close(): calling it several times gives one close event',
    wpt: ['interfaces/WebSocket/close/003.html', 'interfaces/WebSocket/close/close-multiple.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const log = record(ws, ['close']);
      ws.close();
      ws.close();
      ws.close(3000, 'again');
      await nextClose(ws);
      await delay(quietMs);
      same(log.count('close'), 1, 'close events');
    },
  },
  {
    name: 'close(): calling it inside the close event keeps CLOSED and adds no close event',
    wpt: ['interfaces/WebSocket/close/005.html', 'interfaces/WebSocket/close/close-nested.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const states: number[] = [];
      let closes = 0;
      ws.onclose = () => {
        closes++;
        states.push(ws.readyState);
        ws.close();
        states.push(ws.readyState);
      };
      ws.close();
      same(ws.readyState, WS.CLOSING, 'readyState right after close()');
      await waitUntil(() => closes > 0, 'the close event fired');
      await delay(quietMs);
      same(closes, 1, 'close events');
      same(states.join(), `${WS.CLOSED},${WS.CLOSED}`, 'readyState before and after close() in the close event');
    },
  },
  {
    name: 'close(): on a connecting socket, CLOSING at once, then one close event (not clean, 1006) while CLOSED, and no open',
    wpt: ['interfaces/WebSocket/close/close-connecting.html', 'interfaces/WebSocket/close/006.html', 'interfaces/WebSocket/close/001.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/sleep'));
      await waitUntil(() => server.upgrades('/sleep') > 0, 'the handshake reached the server');
      same(ws.readyState, WS.CONNECTING, 'readyState while the handshake hangs');
      const log = record(ws, ['open', 'close']);
      ws.close();
      same(log.types().join(), '', 'events dispatched inside close()');
      same(ws.readyState, WS.CLOSING, 'readyState right after close()');
      const event = await nextClose(ws);
      same(event.wasClean, false, 'wasClean');
      same(event.code, 1006, 'code');
      await delay(quietMs);
      same(log.types().join(), 'close', 'events');
      same(log.seen[0]?.readyState, WS.CLOSED, 'readyState in close');
    },
  },
  {
    name: 'server close: the close event has the code and reason the server sent, wasClean true, readyState CLOSED',
    wpt: ['Secure-Close-server-initiated-close.any.js', 'closing-handshake/002.html'],
    run: async (WS, server) => {
      for (const [code, reason] of [[1000, ''], [1001, 'going away'], [3001, 'server says bye'], [4999, '\u00e9t\u00e9']] as const) {
        const ws = new WS(server.url(`/remote-close?code=${code}&reason=${encodeURIComponent(reason)}`));
        const log = record(ws, ['open', 'close']);
        const event = await nextClose(ws);
        same(log.types().join(), 'open,close', `events for a server close with ${code}`);
        same(event.code, code, 'code');
        same(event.reason, reason, 'reason');
        same(event.wasClean, true, 'wasClean');
        same(log.seen[1]?.readyState, WS.CLOSED, 'readyState in close');
      }
    },
  },
  {
    name: 'server close: a close frame without a status reads as code 1005 and an empty reason',
    wpt: ['Secure-Close-1005-verify-code.any.js'],
    run: async (WS, server) => {
      const event = await nextClose(new WS(server.url('/remote-close')));
      same(event.code, 1005, 'code');
      same(event.reason, '', 'reason');
      same(event.wasClean, true, 'wasClean');
    },
  },
  {
    name: "server close: on 'Goodbye' the server closes cleanly (1000) and no message arrives",
    wpt: ['closing-handshake/002.html', 'Secure-Close-server-initiated-close.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo_exit'), 'echo');
      const log = record(ws, ['message', 'error', 'close']);
      ws.send('Goodbye');
      const event = await nextClose(ws);
      same(event.wasClean, true, 'wasClean');
      same(event.code, 1000, 'code');
      same(log.types().join(), 'close', 'events');
      same(log.seen[0]?.readyState, WS.CLOSED, 'readyState in close');
    },
  },
  {
    name: "server close: data after the server's close frame is not delivered",
    wpt: ['closing-handshake/004.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo_close_data'));
      const log = record(ws, ['message', 'error', 'close']);
      ws.send('Goodbye');
      const event = await nextClose(ws);
      await delay(quietMs);
      same(log.types().join(), 'close', 'events');
      same(event.code, 1000, 'code');
      same(event.reason, 'Goodbye', 'reason');
      same(event.wasClean, true, 'wasClean');
    },
  },
  {
    name: 'server close: the socket stays closed, nothing reopens it',
    wpt: ['closing-handshake/002.html', 'interfaces/WebSocket/send/008.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo_exit'));
      const log = record(ws, ['open', 'close']);
      ws.send('Goodbye');
      await nextClose(ws);
      // Longer than the first automatic retry of any reconnecting wrapper's default backoff.
      await delay(2_000);
      same(log.types().join(), 'close', 'events after the server closed');
      same(ws.readyState, WS.CLOSED, 'readyState');
      same(server.upgrades('/echo_exit'), 1, 'handshakes the server saw');
    },
  },
  {
    name: 'failure: a refused handshake fires error, then close (1006, not clean) while CLOSED, and never open',
    wpt: ['interfaces/WebSocket/events/020.html', 'constructor/012.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/no-such-handler'));
      const log = record(ws, ['open', 'error', 'close']);
      const event = await nextClose(ws);
      same(log.types().join(), 'error,close', 'events');
      ok(log.seen[0]?.event instanceof Event, 'the error event is an Event');
      same(event.code, 1006, 'code');
      same(event.wasClean, false, 'wasClean');
      same(log.seen[1]?.readyState, WS.CLOSED, 'readyState in close');
    },
  },
  {
    name: 'failure: a reserved opcode fails the connection: message while OPEN, then error and close (not clean) while CLOSED',
    wpt: ['interfaces/WebSocket/events/015.html', 'interfaces/WebSocket/events/017.html', 'interfaces/WebSocket/events/018.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/bad-opcode'));
      const log = record(ws, ['message', 'error', 'close']);
      ws.send('go');
      const event = await nextClose(ws);
      same(log.types().join(), 'message,error,close', 'events');
      same((log.seen[0]?.event as MessageEvent | undefined)?.data, 'test', 'data of the valid frame');
      same(log.seen[0]?.readyState, WS.OPEN, 'readyState in message');
      same(log.seen[1]?.readyState, WS.CLOSED, 'readyState in error');
      same(log.seen[2]?.readyState, WS.CLOSED, 'readyState in close');
      same(event.wasClean, false, 'wasClean');
    },
  },
  {
    name: 'many sockets: 25 at once each open, echo their own message and close cleanly',
    wpt: ['constructor/013.html'],
    run: async (WS, server) => {
      const sockets = Array.from({ length: 25 }, () => new WS(server.url('/echo')));
      const outcomes = sockets.map(async (ws, id) => {
        const log = record(ws, ['open', 'message', 'error', 'close']);
        await untilOpen(ws);
        const message = nextEvent<MessageEvent>(ws, 'message');
        ws.send(String(id));
        same((await message).data, String(id), `echo on socket ${id}`);
        const closed = nextClose(ws);
        ws.close();
        same((await closed).wasClean, true, `wasClean on socket ${id}`);
        return log;
      });
      const logs = await Promise.all(outcomes);
      await delay(quietMs);
      logs.forEach((log, id) => same(log.types().join(), 'open,message,close', `events on socket ${id}`));
    },
  },
];
