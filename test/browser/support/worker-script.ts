/**
 * The script a test's Web Worker runs (dedicated or shared, served as
 * `/worker.js` by the page server): it counts the native WebSockets the
 * worker constructs, loads the script-tag build with `importScripts()`,
 * and drives one `ResilientWebSocket` on the page's orders, posting every
 * event back. No `window`, no `document`: only the worker's global.
 *
 * Orders (`postMessage` from the page): `{ cmd: 'create', url, options }`,
 * `{ cmd: 'send', data }`, `{ cmd: 'simulate', online }` (overrides
 * `navigator.onLine` and dispatches `offline` / `online` on the worker's
 * global, for engines whose offline emulation does not reach workers),
 * `{ cmd: 'pagehide' }` (a persisted `pagehide` on the worker's global),
 * `{ cmd: 'status' }`. Every message posted back has a `type` and `at`.
 */

export const workerScript = String.raw`(() => {
  const ports = [];
  const events = [];
  const post = (type, fields) => {
    const message = Object.assign({ type, at: Date.now() }, fields);
    events.push(message);
    for (const port of ports) port.postMessage(message);
  };
  self.addEventListener('error', (event) => post('worker-error', { message: String(event.message) }));
  self.addEventListener('unhandledrejection', (event) => post('worker-error', { message: String(event.reason) }));
  self.addEventListener('offline', () => post('offline', { onLine: navigator.onLine }));
  self.addEventListener('online', () => post('online', { onLine: navigator.onLine }));

  // Count the attempts: every native WebSocket the library constructs in this worker.
  const Native = self.WebSocket;
  let constructs = 0;
  self.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      constructs += 1;
      post('construct', { url: String(args[0]), count: constructs });
    }
  };

  let importError = null;
  try {
    importScripts('/dist/resilient-websocket.umd.js');
  } catch (error) {
    importError = String(error);
  }
  let ws = null;
  const handle = (order) => {
    try {
      if (order.cmd === 'create') {
        ws = new self.ResilientWebSocket(order.url, undefined, order.options);
        ws.addEventListener('open', () => post('open', {}));
        ws.addEventListener('message', (event) => post('message', { data: typeof event.data === 'string' ? event.data : '<binary>' }));
        ws.addEventListener('reconnecting', (event) => post('reconnecting', { attempt: event.attempt, delayMs: event.delayMs }));
        ws.addEventListener('statechange', (event) => post('statechange', { from: event.from, to: event.to }));
        ws.addEventListener('close', (event) => {
          const report = event.report;
          post('close', {
            code: event.code,
            wasClean: event.wasClean,
            class: report.class,
            phase: report.phase,
            initiator: report.initiator,
            libraryCause: report.libraryCause,
            online: report.online,
            decision: report.decision.action,
          });
        });
        post('created', {});
      } else if (order.cmd === 'send') {
        post('sent', { ok: ws.send(order.data) });
      } else if (order.cmd === 'simulate') {
        Object.defineProperty(Object.getPrototypeOf(navigator), 'onLine', { configurable: true, get: () => order.online });
        self.dispatchEvent(new Event(order.online ? 'online' : 'offline'));
      } else if (order.cmd === 'pagehide') {
        // What a page's global would get on entering the back/forward cache; a worker has none.
        const event = new Event('pagehide');
        Object.defineProperty(event, 'persisted', { value: true });
        self.dispatchEvent(event);
        post('dispatched', { event: 'pagehide' });
      } else if (order.cmd === 'status') {
        post('status', { state: ws ? ws.state : null, attempt: ws ? ws.attempt : null, constructs, onLine: navigator.onLine });
      }
    } catch (error) {
      post('worker-error', { message: String(error) });
    }
  };
  const ready = {
    window: typeof window,
    document: typeof document,
    classType: typeof self.ResilientWebSocket,
    importError,
    shared: typeof SharedWorkerGlobalScope !== 'undefined' && self instanceof SharedWorkerGlobalScope,
  };
  if (typeof SharedWorkerGlobalScope !== 'undefined' && self instanceof SharedWorkerGlobalScope) {
    self.addEventListener('connect', (event) => {
      const port = event.ports[0];
      for (const message of events) port.postMessage(message); // what happened before this page connected
      ports.push(port);
      port.addEventListener('message', (message) => handle(message.data));
      port.start();
    });
  } else {
    ports.push(self);
    self.addEventListener('message', (message) => handle(message.data));
  }
  post('ready', ready);
})();
`;
