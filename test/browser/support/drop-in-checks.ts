/**
 * The drop-in checks that matter most, as plain JavaScript run in a test
 * page: close() validation and its DOMExceptions, the order of events,
 * binaryType, URL parsing, and the shape of the interface's members. Each
 * check goes through the global `WebSocket`, which is the browser's own or,
 * for a run with `ours`, the library's class assigned to `window.WebSocket`
 * (as an app would do it). The checks return what they observed, so the
 * test can require the library to observe exactly what the engine's native
 * socket does, and a few absolute facts from the WebSocket standard.
 *
 * Source text, never transformed, so it is plain ES2022 (see `page-scripts.ts`).
 */

/** What one check observed, by check name. */
export type DropInObservations = Record<string, unknown>;

/** What the page needs: an echo server, a URL that refuses connections, and which class to use. */
export interface DropInConfig {
  /** `ws://127.0.0.1:<port>/` of an echo server (binary echoed as binary). */
  readonly echoUrl: string;
  /** A ws URL whose port refuses connections. */
  readonly refusedUrl: string;
  /** Use the library's class as the global `WebSocket` (else the native one). */
  readonly ours: boolean;
}

/**
 * Defines `window.__dropInChecks(config)`, resolving to the observations.
 * The global `WebSocket` is put back as it was before it resolves. Every
 * socket a check creates is closed (the library's ones disposed) after it.
 */
export const dropInChecksScript = String.raw`(() => {
  const bounded = (promise, ms, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(what + ': nothing within ' + ms + ' ms')), ms)),
  ]);
  const nextEvent = (ws, type) => bounded(new Promise((resolve) => ws.addEventListener(type, resolve, { once: true })), 10000, type);
  const thrown = (fn) => {
    try {
      fn();
      return 'no throw';
    } catch (error) {
      return (error instanceof DOMException ? 'DOMException ' : (error && error.constructor && error.constructor.name) + ' ') + error.name;
    }
  };
  const settle = (ws) => {
    if (typeof ws.dispose === 'function') ws.dispose();
    else if (ws.readyState < 2) ws.close();
  };

  const checks = {
    async closeValidation(WS, config, track) {
      const ws = track(new WS(config.echoUrl));
      const codes = [0, 999, 1001, 1005, 1006, 2999, 5000, -1, NaN, null, 'string'];
      const connecting = codes.map((code) => [String(code), thrown(() => ws.close(code)), ws.readyState]);
      await nextEvent(ws, 'open');
      const open = codes.map((code) => [String(code), thrown(() => ws.close(code, 'reason')), ws.readyState]);
      const reasons = ['0123456789'.repeat(12) + '0123', '\u20ac'.repeat(41) + 'a', '\ud807'.repeat(42)]
        .map((reason) => [reason.length, thrown(() => ws.close(1000, reason)), ws.readyState]);
      const longest = '\u20ac'.repeat(40) + 'abc';
      const closed = nextEvent(ws, 'close');
      const accepted = thrown(() => ws.close(1000, longest));
      const event = await closed;
      return { connecting, open, reasons, accepted, echoedReason: event.reason === longest, code: event.code, wasClean: event.wasClean };
    },

    async eventOrder(WS, config, track) {
      const ws = track(new WS(config.echoUrl));
      const seen = [];
      let inClose = false;
      for (const type of ['open', 'message', 'error', 'close']) {
        ws.addEventListener(type, (event) => seen.push([type, ws.readyState, inClose, type === 'close' ? [event.code, event.reason, event.wasClean] : null]));
      }
      await nextEvent(ws, 'open');
      ws.send('hello');
      await nextEvent(ws, 'message');
      const closed = nextEvent(ws, 'close');
      inClose = true;
      ws.close(3000, 'bye');
      inClose = false;
      await closed;
      return { seen, readyState: ws.readyState };
    },

    async refusedHandshake(WS, config, track) {
      const ws = track(new WS(config.refusedUrl));
      const seen = [];
      for (const type of ['open', 'error', 'close']) {
        ws.addEventListener(type, (event) => seen.push([type, ws.readyState, type === 'close' ? [event.code, event.wasClean] : null, Object.prototype.toString.call(event) + (event instanceof CloseEvent ? ' instanceof CloseEvent' : '')]));
      }
      await nextEvent(ws, 'close');
      return { seen };
    },

    async binaryType(WS, config, track) {
      const ws = track(new WS(config.echoUrl));
      const initial = ws.binaryType;
      const kinds = [];
      await nextEvent(ws, 'open');
      for (const type of ['arraybuffer', 'blob']) {
        ws.binaryType = type;
        const message = nextEvent(ws, 'message');
        ws.send(new Uint8Array([1, 2, 3]));
        const { data } = await message;
        const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : new Uint8Array(data);
        kinds.push([type, Object.prototype.toString.call(data), Array.from(bytes)]);
      }
      ws.binaryType = 'arraybuffer';
      ws.binaryType = 'bogus';
      const afterInvalid = ws.binaryType;
      return { initial, kinds, afterInvalid };
    },

    async urlParsing(WS, config, track) {
      const port = new URL(config.echoUrl).port;
      const inputs = [
        'ws://127.0.0.1:' + port,
        'WS://127.0.0.1:' + port + '/a/../b?c=d e',
        'http://127.0.0.1:' + port + '/x',
        'https://127.0.0.1:' + port + '/x',
        'ws://127.0.0.1:80/default-port',
        '/relative?q',
        'ws://127.0.0.1:' + port + '/#',
        'ws://127.0.0.1:' + port + '/#frag',
        'ftp://127.0.0.1:' + port + '/',
        'ws://[::1',
        'not a url',
      ];
      return inputs.map((input) => {
        try {
          const ws = track(new WS(input));
          return [input, 'url ' + ws.url.replace(location.host, '<page host>').replace(':' + port, ':<port>')];
        } catch (error) {
          return [input, (error instanceof DOMException ? 'DOMException ' : '') + error.name];
        }
      });
    },

    async instanceShape(WS, config, track) {
      const ws = track(new WS(config.echoUrl));
      return {
        isGlobal: ws instanceof WebSocket,
        isEventTarget: ws instanceof EventTarget,
        constants: [WS.CONNECTING, WS.OPEN, WS.CLOSING, WS.CLOSED, ws.OPEN],
        readyState: ws.readyState,
        protocol: ws.protocol,
        extensions: ws.extensions,
        bufferedAmount: ws.bufferedAmount,
      };
    },

    async members(WS) {
      const names = ['url', 'readyState', 'bufferedAmount', 'onopen', 'onerror', 'onclose', 'extensions', 'protocol', 'onmessage', 'binaryType', 'close', 'send', 'CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
      return names.map((name) => {
        let at = WS.prototype;
        while (at !== null && !Object.getOwnPropertyDescriptor(at, name)) at = Object.getPrototypeOf(at);
        const d = at === null ? undefined : Object.getOwnPropertyDescriptor(at, name);
        if (!d) return [name, 'missing'];
        const kind = 'value' in d ? typeof d.value + (d.writable ? ' writable' : ' read-only') : (d.get ? 'get' : '') + (d.set ? ' set' : '');
        return [name, kind, d.enumerable ? 'enumerable' : 'not enumerable', d.configurable ? 'configurable' : 'not configurable'];
      });
    },
  };

  window.__dropInChecks = async (config) => {
    const Native = window.WebSocket;
    if (config.ours) window.WebSocket = window.harness.ResilientWebSocket;
    const sockets = [];
    const track = (ws) => (sockets.push(ws), ws);
    const results = {};
    try {
      for (const [name, check] of Object.entries(checks)) {
        try {
          results[name] = await check(window.WebSocket, config, track);
        } catch (error) {
          results[name] = { failed: String(error && error.message || error) };
        }
      }
    } finally {
      window.WebSocket = Native;
      sockets.forEach(settle);
    }
    return results;
  };
})();`;
