/**
 * Conformance checks for the constructor: arguments, URL parsing and
 * serialization, and sub-protocol validation and negotiation.
 */

import { record } from './wait.js';
import { nextClose, nextMessage, ok, openSocket, same, throwsDom, throwsType, untilOpen, type Check, type WebSocketClass } from './support.js';

/** `new WS(...args)` without the type system's arity rules, for calls a browser script may make. */
function construct(WS: WebSocketClass, ...args: unknown[]): WebSocket {
  return Reflect.construct(WS, args) as WebSocket;
}

function throwsSyntax(WS: WebSocketClass, args: unknown[], what: string): void {
  throwsDom('SyntaxError', () => construct(WS, ...args), `${what} (${args.map((arg) => JSON.stringify(arg)).join(', ')})`);
}

/** Every code unit a protocol token may not contain, in the ranges the WPT probes. */
function invalidProtocolCharacters(): string[] {
  const characters: string[] = [];
  for (let code = 0; code < 0x21; code++) characters.push(String.fromCharCode(code));
  for (const separator of '()<>@,;:\\"/[]?={}') characters.push(separator);
  for (let code = 0x7f; code < 0x100; code++) characters.push(String.fromCharCode(code));
  return characters;
}

export const constructorChecks: readonly Check[] = [
  {
    name: 'constructor: without arguments throws a TypeError',
    wpt: ['constructor/001.html'],
    run: async (WS) => {
      throwsType(() => construct(WS), 'new WebSocket()');
    },
  },
  {
    name: 'constructor: returns an instance of the class, an EventTarget, in CONNECTING',
    wpt: ['constructor/005.html', 'interfaces/WebSocket/readyState/001.html', 'interfaces/WebSocket/events/004.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'));
      ok(ws instanceof WS, 'instanceof the class');
      ok(ws instanceof EventTarget, 'instanceof EventTarget');
      same(ws.readyState, WS.CONNECTING, 'readyState after construction');
      for (const method of ['addEventListener', 'removeEventListener', 'dispatchEvent'] as const) same(typeof ws[method], 'function', method);
    },
  },
  {
    name: 'constructor: arguments after the second are ignored',
    wpt: ['constructor.any.js'],
    run: async (WS, server) => {
      const ws = construct(WS, server.url('/echo'), 'echo', 'Stray argument');
      ok(ws instanceof WS, 'instanceof the class');
      await untilOpen(ws);
      same(ws.protocol, 'echo', 'protocol');
    },
  },
  {
    name: 'constructor: an unparsable URL throws a SyntaxError',
    wpt: ['Create-invalid-urls.any.js', 'Create-Secure-url-with-space.any.js', 'constructor/002.html'],
    run: async (WS, server) => {
      for (const url of ['ws://foo bar.com/', 'wss://foo bar.com/', `ws://web platform.test:${server.port}/echo`, 'ws://[1::2::3]/']) {
        throwsSyntax(WS, [url], 'unparsable URL');
      }
    },
  },
  {
    name: 'constructor: a scheme other than ws, wss, http or https throws a SyntaxError',
    wpt: ['Create-wrong-scheme.any.js', 'Create-invalid-urls.any.js', 'constructor/002.html'],
    run: async (WS, server) => {
      for (const url of [`ftp://127.0.0.1:${server.port}/`, 'mailto:example@example.org', 'about:blank', `invalid-scheme://127.0.0.1:${server.port}/echo`, 'data:,hello', 'file:///tmp/echo']) {
        throwsSyntax(WS, [url], 'wrong scheme');
      }
    },
  },
  {
    name: 'constructor: a URL with a fragment, even an empty one, throws a SyntaxError',
    wpt: ['Create-invalid-urls.any.js', 'constructor/002.html'],
    run: async (WS, server) => {
      for (const url of [server.url('/#'), server.url('/#test'), server.url('/echo#'), server.url('/echo?x#y')]) throwsSyntax(WS, [url], 'fragment');
    },
  },
  {
    name: 'constructor: a relative URL throws a SyntaxError where there is no document base URL',
    wpt: ['Create-non-absolute-url.any.js', 'Create-invalid-urls.any.js', 'constructor/002.html'],
    run: async (WS) => {
      for (const url of ['127.0.0.1', '/test', '?test', '#test', 'echo']) throwsSyntax(WS, [url], 'relative URL');
    },
  },
  {
    name: 'constructor: http: and https: become ws: and wss:, and url reads the result at once',
    wpt: ['Create-http-urls.any.js'],
    run: async (WS, server) => {
      const http = new WS(`http://127.0.0.1:${server.port}/`);
      same(http.url, `ws://127.0.0.1:${server.port}/`, 'url of an http: URL');
      http.close();
      const https = new WS(`https://127.0.0.1:${server.port}/`);
      same(https.url, `wss://127.0.0.1:${server.port}/`, 'url of an https: URL');
      https.close();
    },
  },
  {
    name: 'constructor: an http: URL connects like its ws: twin',
    wpt: ['Create-valid-url-http.tentative.any.js'],
    run: async (WS, server) => {
      const ws = await openSocket(WS, `http://127.0.0.1:${server.port}/echo`);
      same(ws.readyState, WS.OPEN, 'readyState in open');
      const closed = nextClose(ws);
      ws.close();
      same((await closed).wasClean, true, 'wasClean');
    },
  },
  {
    name: 'url: reads back the serialized URL (path added, scheme lowercased, default port dropped, other ports kept)',
    wpt: ['interfaces/WebSocket/url/001.html', 'Create-verify-url-set-non-default-port.any.js', 'Create-Secure-verify-url-set-non-default-port.any.js'],
    run: async (WS, server) => {
      const cases: [string, string][] = [
        [server.base, `${server.base}/`],
        [server.url('/echo?a=1'), server.url('/echo?a=1')],
        [`WS://127.0.0.1:${server.port}/Echo`, `ws://127.0.0.1:${server.port}/Echo`],
        ['ws://127.0.0.1:80/echo', 'ws://127.0.0.1/echo'],
        ['wss://127.0.0.1:443/echo', 'wss://127.0.0.1/echo'],
      ];
      for (const [given, expected] of cases) {
        const ws = new WS(given);
        same(ws.url, expected, `url of ${given}`);
        ws.close();
      }
    },
  },
  {
    name: 'url: a URL object or any object with toString() is stringified, and connects',
    wpt: ['constructor/006.html'],
    run: async (WS, server) => {
      const fromUrl = new WS(new URL(server.url('/echo')));
      same(fromUrl.url, server.url('/echo'), 'url from a URL object');
      fromUrl.close();
      const stringifiable = { toString: () => server.url('/echo') };
      const ws = construct(WS, stringifiable);
      same(ws.url, server.url('/echo'), 'url from an object with toString()');
      await untilOpen(ws);
      const message = nextMessage(ws);
      ws.send('test');
      same((await message).data, 'test', 'echo');
    },
  },
  {
    name: 'url: ws: with too few slashes parses as a full URL, and an uppercase scheme connects',
    wpt: ['constructor/017.html', 'constructor/019.html'],
    run: async (WS, server) => {
      for (const url of [`ws:127.0.0.1:${server.port}/echo`, `ws:/127.0.0.1:${server.port}/echo`]) {
        const ws = new WS(url);
        same(ws.url, server.url('/echo'), `url of ${url}`);
        ws.close();
      }
      const upper = await openSocket(WS, `WS://127.0.0.1:${server.port}/echo`);
      same(upper.readyState, WS.OPEN, 'readyState of the uppercase-scheme socket');
    },
  },
  {
    name: 'url: non-ASCII characters and NUL in the query reach the server percent-encoded as UTF-8',
    wpt: ['constructor/016.html', 'constructor/018.html'],
    run: async (WS, server) => {
      const cases: [string, string][] = [['\u00e5\u00e4\u00f6', '%C3%A5%C3%A4%C3%B6'], ['x\u0000y', 'x%00y']];
      for (const [query, expected] of cases) {
        const ws = new WS(server.url(`/echo-query?${query}`));
        const message = await nextMessage(ws);
        same(message.data, expected, `query ${JSON.stringify(query)} as the server saw it`);
        ws.close();
      }
    },
  },
  {
    name: 'url: assignment and delete leave url unchanged, and there is no URL attribute',
    wpt: ['interfaces/WebSocket/url/002.html', 'interfaces/WebSocket/url/003.html', 'interfaces/WebSocket/url/004.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/'));
      Reflect.set(ws, 'url', server.url('/test'));
      same(ws.url, server.url('/'), 'url after assignment');
      Reflect.deleteProperty(ws, 'url');
      same(ws.url, server.url('/'), 'url after delete');
      same('URL' in ws, false, "'URL' in ws");
      same('URL' in WS.prototype, false, "'URL' in the prototype");
    },
  },
  {
    name: 'protocols: a string is offered, and protocol reads the selected one in open',
    wpt: ['Create-valid-url-protocol.any.js', 'Create-Secure-valid-url-protocol-setCorrectly.any.js', 'Create-Secure-valid-url-protocol-string.any.js', 'constructor/009.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'), 'echo');
      same(ws.protocol, '', 'protocol before the handshake');
      await untilOpen(ws);
      same(ws.readyState, WS.OPEN, 'readyState in open');
      same(ws.protocol, 'echo', 'protocol in open');
      const closed = nextClose(ws);
      ws.close();
      same((await closed).wasClean, true, 'wasClean');
    },
  },
  {
    name: 'protocols: from an array, protocol reads the one the server selected',
    wpt: ['Create-valid-url-array-protocols.any.js', 'Create-Secure-valid-url-array-protocols.any.js', 'constructor/022.html'],
    run: async (WS, server) => {
      const first = await openSocket(WS, server.url('/handshake_protocol'), ['foobar', 'foobar2']);
      same(first.protocol, 'foobar', 'protocol selected by /handshake_protocol');
      const echo = await openSocket(WS, server.url('/echo'), ['chat', 'echo']);
      same(echo.protocol, 'echo', 'protocol selected by /echo');
      const closed = nextClose(echo);
      echo.close();
      same((await closed).wasClean, true, 'wasClean');
    },
  },
  {
    name: 'protocols: the empty string before the handshake, and with an empty array nothing is offered',
    wpt: ['Create-valid-url-protocol-empty.any.js', 'interfaces/WebSocket/protocol/001.html'],
    run: async (WS, server) => {
      const offered = new WS(server.url('/echo'), ['echo', 'chat']);
      same(offered.protocol, '', 'protocol while connecting');
      offered.close();
      const none = new WS(server.url('/handshake_protocol'), []);
      same(none.protocol, '', 'protocol while connecting, nothing offered');
      await untilOpen(none);
      same(none.protocol, '', 'protocol in open, nothing offered');
    },
  },
  {
    name: 'protocols: a handshake that selects none of the offered protocols fails: error, close (1006, not clean), no open',
    wpt: ['constructor/012.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/empty-message'), 'foobar');
      const log = record(ws, ['open', 'message', 'error', 'close']);
      const event = await nextClose(ws);
      same(log.types().join(), 'error,close', 'events');
      same(event.code, 1006, 'code');
      same(event.wasClean, false, 'wasClean');
      same(ws.protocol, '', 'protocol');
    },
  },
  {
    name: 'protocols: a repeated value throws a SyntaxError',
    wpt: ['Create-protocols-repeated.any.js', 'constructor/021.html'],
    run: async (WS, server) => {
      throwsSyntax(WS, [server.url('/echo'), ['echo', 'echo']], 'repeated protocol');
      throwsSyntax(WS, [server.url('/echo'), ['foobar', 'chat', 'foobar']], 'repeated protocol');
    },
  },
  {
    name: 'protocols: values differing only in case count as repeated (SyntaxError)',
    wpt: ['Create-protocols-repeated-case-insensitive.any.js'],
    run: async (WS, server) => {
      throwsSyntax(WS, [server.url('/echo'), ['echo', 'eCho']], 'case-insensitively repeated protocol');
    },
  },
  {
    name: 'protocols: an empty string, a space, a separator or a control character throws a SyntaxError',
    wpt: ['Create-asciiSep-protocol-string.any.js', 'Create-protocol-with-space.any.js', 'constructor/004.html', 'constructor/007.html'],
    run: async (WS, server) => {
      throwsSyntax(WS, [server.url('/echo'), ''], 'empty protocol');
      throwsSyntax(WS, [server.url('/echo'), '/echo'], 'separator');
      throwsSyntax(WS, [server.url('/echo'), 'ec ho'], 'space');
      throwsSyntax(WS, [server.url('/echo'), ['echo', 'ch at']], 'space in an array');
      for (const character of invalidProtocolCharacters().filter((c) => c.charCodeAt(0) < 0x80)) {
        throwsSyntax(WS, [server.url('/echo'), `a${character}b`], 'invalid protocol character');
      }
    },
  },
  {
    name: 'protocols: a non-ASCII character throws a SyntaxError',
    wpt: ['Create-nonAscii-protocol-string.any.js', 'constructor/004.html'],
    run: async (WS, server) => {
      throwsSyntax(WS, [server.url('/echo'), '\u0080echo'], 'non-ASCII protocol');
      throwsSyntax(WS, [server.url('/echo'), ['echo', '\u4e2d\u6587']], 'non-ASCII protocol in an array');
      for (const character of invalidProtocolCharacters().filter((c) => c.charCodeAt(0) >= 0x80)) {
        throwsSyntax(WS, [server.url('/echo'), `a${character}b`], 'non-ASCII protocol character');
      }
    },
  },
  {
    name: 'extensions: the empty string before the handshake and after one that negotiated none',
    wpt: ['Create-Secure-extensions-empty.any.js', 'interfaces/WebSocket/extensions/001.html'],
    run: async (WS, server) => {
      const ws = new WS(server.url('/echo'), 'echo');
      same(ws.extensions, '', 'extensions while connecting');
      await untilOpen(ws);
      same(ws.extensions, '', 'extensions in open');
      const closed = nextClose(ws);
      ws.close();
      same((await closed).wasClean, true, 'wasClean');
    },
  },
];
