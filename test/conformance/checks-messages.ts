/**
 * Conformance checks for messages: send() in every state and with every
 * data type, bufferedAmount and binaryType.
 */

import { bytesOf, classString, doesNotThrow, echo, nextClose, nextMessage, ok, openSocket, same, sameBytes, thrownBy, throwsDom, throwsType, untilOpen, type Check } from './support.js';
import { delay, record, waitUntil } from './wait.js';

const quietMs = 150;

/** Bytes 0, 1, 2, ... of the given length, as an ArrayBuffer. */
function counting(length: number): ArrayBuffer {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 251;
  return bytes.buffer;
}

/** Views over one 16-byte buffer that each cover only part of it. */
function views(): ArrayBufferView[] {
  const buffer = counting(16);
  return [
    new Int8Array(buffer, 0, 8),
    new Int16Array(buffer, 2),
    new Uint16Array(buffer, 2, 2),
    new Uint8Array(buffer, 2),
    new Uint8Array(buffer, 2, 4),
    new Uint32Array(buffer, 4),
    new Float32Array(buffer, 8, 2),
    new Float64Array(buffer, 8, 1),
    new DataView(buffer, 3, 5),
  ];
}

export const messageChecks: readonly Check[] = [
  {
    name: 'send: text arrives back intact, and the data is a string',
    wpt: ['Send-data.any.js', 'Secure-Send-data.any.js', 'interfaces/CloseEvent/clean-close.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      same(await echo(ws, 'Message to send'), 'Message to send', 'echo');
      const closed = nextClose(ws);
      ws.close();
      same((await closed).wasClean, true, 'wasClean');
    },
  },
  {
    name: 'send: non-ASCII, combining and non-BMP text arrives back intact',
    wpt: ['Send-unicode-data.any.js', 'Send-paired-surrogates.any.js', 'interfaces/WebSocket/send/011.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      for (const text of ['\u00a5\u00a5\u00a5\u00a5\u00a5\u00a5', '\u00e5 a\u030a \ud801\udc7e', '\ud801\udc07', '\u4e2d\u6587 \ud83d\ude00']) {
        same(await echo(ws, text), text, `echo of ${JSON.stringify(text)}`);
      }
    },
  },
  {
    name: 'send: unpaired surrogates arrive as U+FFFD',
    wpt: ['Send-Unpaired-Surrogates.any.js', 'Secure-Send-unpaired-surrogates.any.js', 'interfaces/WebSocket/send/006.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      same(await echo(ws, '\ud807'), '\ufffd', 'echo of a lone high surrogate');
      same(await echo(ws, 'a\udc00xb\ud800xc\udc00\ud800x'), 'a\ufffdxb\ufffdxc\ufffd\ufffdx', 'echo of lone and misordered surrogates');
    },
  },
  {
    name: 'send: the empty string is a message of its own',
    wpt: ['Send-0byte-data.any.js', 'interfaces/WebSocket/send/009.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      same(await echo(ws, ''), '', 'echo of the empty string');
      const judge = await openSocket(WS, server.url('/empty-message'));
      same(await echo(judge, ''), 'pass', 'what the server saw');
    },
  },
  {
    name: 'send: text at every payload-length boundary arrives back intact',
    wpt: ['extended-payload-length.any.js', 'Send-65K-data.any.js', 'interfaces/WebSocket/bufferedAmount/bufferedAmount-large.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      for (const length of [125, 126, 0xffff, 0x10000, 65_000]) {
        const text = 'a'.repeat(length - 1) + 'z';
        same(await echo(ws, text), text, `echo of ${length} characters`);
      }
    },
  },
  {
    name: 'send: other values are sent as their string conversion',
    wpt: ['Send-null.any.js', 'Secure-Send-null.any.js', 'interfaces/WebSocket/send/010.html', 'interfaces/WebSocket/send/012.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const values: unknown[] = [null, undefined, 1, {}, [], [1, 2], new Error('oops'), function named(): void {}, ws];
      for (const value of values) {
        const message = nextMessage(ws);
        (ws.send as (data: unknown) => void)(value);
        same((await message).data, String(value), `echo of ${String(value)}`);
      }
    },
  },
  {
    name: 'send: an ArrayBuffer arrives back byte for byte',
    wpt: ['Send-binary-arraybuffer.any.js', 'Send-binary-65K-arraybuffer.any.js', 'binary/004.html', 'binary/005.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      ws.binaryType = 'arraybuffer';
      for (const length of [0, 10, 65_000, 100_000]) {
        const data = counting(length);
        const back = await echo(ws, data);
        ok(back instanceof ArrayBuffer, `echo of ${length} bytes is an ArrayBuffer (got ${classString(back)})`);
        sameBytes(await bytesOf(back), await bytesOf(data), `echo of ${length} bytes`);
      }
    },
  },
  {
    name: 'send: a typed array or DataView sends only the bytes of its view',
    wpt: ['Send-binary-arraybufferview-int8.any.js', 'Send-binary-arraybufferview-int16-offset.any.js', 'Secure-Send-binary-arraybufferview-uint16-offset-length.any.js', 'Secure-Send-binary-arraybufferview-uint32-offset.any.js', 'Secure-Send-binary-arraybufferview-uint8-offset.any.js', 'Secure-Send-binary-arraybufferview-float32.any.js', 'Secure-Send-binary-arraybufferview-float64.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      ws.binaryType = 'arraybuffer';
      for (const view of views()) {
        const back = await echo(ws, view);
        sameBytes(await bytesOf(back), await bytesOf(view), `echo of ${view.constructor.name}(offset ${view.byteOffset}, ${view.byteLength} bytes)`);
      }
    },
  },
  {
    name: 'send: a Blob arrives back as a Blob of the same bytes',
    wpt: ['Send-binary-blob.any.js', 'Secure-Send-binary-blob.any.js', 'binary/001.html', 'binary/002.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      for (const blob of [new Blob([new Uint8Array(65_000)]), new Blob(['text in a blob, ', counting(300)])]) {
        const back = await echo(ws, blob);
        ok(back instanceof Blob, `echo of a Blob is a Blob (got ${classString(back)})`);
        sameBytes(await bytesOf(back), await bytesOf(blob), `echo of a ${blob.size}-byte Blob`);
      }
    },
  },
  {
    name: 'send: returns undefined',
    wpt: ['interfaces/WebSocket/send/005.html', 'interfaces/WebSocket/send/007.html', 'interfaces/WebSocket/send/008.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const message = nextMessage(ws);
      same(ws.send('test'), undefined, 'send() on an open socket');
      await message;
    },
  },
  {
    name: 'send: before open throws InvalidStateError, whatever the data',
    wpt: ['Send-before-open.any.js', 'interfaces/WebSocket/send/003.html', 'interfaces/WebSocket/send/004.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      for (const data of ['Message to send', 'a\udc00x', 'a\ud800x', 'a\udc00\ud800x', new ArrayBuffer(4)]) {
        throwsDom('InvalidStateError', () => ws.send(data), `send(${typeof data === 'string' ? JSON.stringify(data) : 'ArrayBuffer'}) while connecting`);
      }
    },
  },
  {
    name: 'send: without arguments throws a TypeError while connecting',
    wpt: ['interfaces/WebSocket/send/001.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      throwsType(() => Reflect.apply(ws.send.bind(ws), ws, []), 'send() while connecting');
    },
  },
  {
    name: 'send: without arguments throws a TypeError while open, and sends nothing',
    wpt: ['interfaces/WebSocket/send/001.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const log = record(ws, ['message']);
      throwsType(() => Reflect.apply(ws.send.bind(ws), ws, []), 'send() while open');
      await delay(quietMs);
      same(log.count('message'), 0, 'messages echoed after send() threw');
    },
  },
  {
    name: 'send: after close() it neither throws nor sends, and one close event follows',
    wpt: ['interfaces/WebSocket/send/007.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const log = record(ws, ['message', 'error', 'close']);
      ws.close();
      doesNotThrow(() => ws.send('test'), 'send() after close()');
      const event = await nextClose(ws);
      same(event.wasClean, true, 'wasClean');
      await delay(quietMs);
      same(log.types().join(), 'close', 'events');
    },
  },
  {
    name: 'send: inside the close event it neither throws nor fires anything',
    wpt: ['interfaces/WebSocket/send/008.html'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      let threw: unknown = 'close event not seen';
      ws.addEventListener('close', () => (threw = thrownBy(() => ws.send('test'))));
      ws.send('Goodbye');
      await nextClose(ws);
      const log = record(ws, ['message', 'error', 'close']);
      await delay(quietMs);
      same(threw, undefined, 'what send() threw inside the close event');
      same(log.types().join(), '', 'events after the close event');
    },
  },
  {
    name: 'bufferedAmount: 0 at construction',
    wpt: ['interfaces/WebSocket/bufferedAmount/001.html', 'interfaces/WebSocket/bufferedAmount/bufferedAmount-getting.html'],
    run: async (WS, server) => {
      same(new WS(server.url('/echo')).bufferedAmount, 0, 'bufferedAmount');
    },
  },
  {
    name: 'bufferedAmount: grows at once by the UTF-8 byte length of each text message, and drains to 0',
    wpt: ['interfaces/WebSocket/bufferedAmount/003.html', 'interfaces/WebSocket/bufferedAmount/010.html', 'interfaces/WebSocket/bufferedAmount/bufferedAmount-unicode.html', 'Send-unicode-data.any.js', 'Send-paired-surrogates.any.js', 'Send-65K-data.any.js', 'Send-data.any.js', 'Send-0byte-data.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const log = record(ws, ['message']);
      let expected = 0;
      for (const [text, bytes] of [['x', 1], ['\u00e5', 2], ['\u5336', 3], ['\ud801\udc7e', 4], ['', 0], ['\u00a5'.repeat(6), 12], ['c'.repeat(65_000), 65_000]] as const) {
        ws.send(text);
        expected += bytes;
        same(ws.bufferedAmount, expected, `bufferedAmount after sending ${bytes} more bytes`);
      }
      await waitUntil(() => log.count('message') === 7, 'all seven echoes arrived');
      await waitUntil(() => ws.bufferedAmount === 0, 'bufferedAmount drained to 0');
    },
  },
  {
    name: 'bufferedAmount: grows at once by the byte length of ArrayBuffer, view and Blob messages',
    wpt: ['interfaces/WebSocket/bufferedAmount/007.html', 'interfaces/WebSocket/bufferedAmount/008.html', 'interfaces/WebSocket/bufferedAmount/bufferedAmount-arraybuffer.html', 'interfaces/WebSocket/bufferedAmount/bufferedAmount-blob.html', 'Send-binary-65K-arraybuffer.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      const log = record(ws, ['message']);
      const payloads = [counting(10), new Uint16Array(counting(16), 2, 2), new Blob(['seven!!']), counting(65_000)];
      let expected = 0;
      for (const data of payloads) {
        ws.send(data);
        expected += data instanceof Blob ? data.size : data.byteLength;
        same(ws.bufferedAmount, expected, `bufferedAmount after sending ${classString(data)}`);
      }
      await waitUntil(() => log.count('message') === payloads.length, 'every echo arrived');
      await waitUntil(() => ws.bufferedAmount === 0, 'bufferedAmount drained to 0');
    },
  },
  {
    name: "binaryType: 'blob' by default, before and after open, and binary messages arrive as Blobs",
    wpt: ['Create-Secure-valid-url-binaryType-blob.any.js', 'binary/001.html', 'interfaces/WebSocket/bufferedAmount/007.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      same(ws.binaryType, 'blob', 'binaryType while connecting');
      await untilOpen(ws);
      same(ws.binaryType, 'blob', 'binaryType in open');
      const back = await echo(ws, counting(10));
      ok(back instanceof Blob, `binary message with the default binaryType is a Blob (got ${classString(back)})`);
    },
  },
  {
    name: "binaryType: an invalid value leaves the default 'blob'",
    wpt: ['binaryType-wrong-value.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, server.url('/echo'));
      Reflect.set(ws, 'binaryType', 'notBlobOrArrayBuffer');
      same(ws.binaryType, 'blob', 'binaryType after an invalid value');
      const closed = nextClose(ws);
      ws.close();
      same((await closed).wasClean, true, 'wasClean');
    },
  },
  {
    name: "binaryType: an invalid value leaves 'arraybuffer' in place (WebIDL enumeration)",
    wpt: ['binaryType-wrong-value.any.js', 'idlharness.any.js'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      ws.binaryType = 'arraybuffer';
      for (const junk of ['notBlobOrArrayBuffer', 'Blob', '', null]) {
        Reflect.set(ws, 'binaryType', junk);
        same(ws.binaryType, 'arraybuffer', `binaryType after assigning ${JSON.stringify(junk)}`);
      }
    },
  },
  {
    name: "binaryType: 'arraybuffer' delivers ArrayBuffers, and switching between messages takes effect",
    wpt: ['binary/004.html', 'binary/005.html', 'interfaces/WebSocket/bufferedAmount/008.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      ws.binaryType = 'arraybuffer';
      same(ws.binaryType, 'arraybuffer', 'binaryType set while connecting');
      await untilOpen(ws);
      same(ws.binaryType, 'arraybuffer', 'binaryType in open');
      ok((await echo(ws, counting(10))) instanceof ArrayBuffer, "binary message with binaryType 'arraybuffer' is an ArrayBuffer");
      ws.binaryType = 'blob';
      ok((await echo(ws, counting(10))) instanceof Blob, "binary message after switching to 'blob' is a Blob");
      ws.binaryType = 'arraybuffer';
      ok((await echo(ws, counting(10))) instanceof ArrayBuffer, "binary message after switching back to 'arraybuffer' is an ArrayBuffer");
    },
  },
];
