/**
 * The JavaScript that runs inside the test pages, as source text: it is
 * served to the browser as is, never transformed, so it is plain ES2022.
 *
 * - {@link probeScript} runs before any page script (the test pages load it
 *   first, as every engine's driver can): it wraps the native `WebSocket`
 *   constructor and the timer functions so the test can count attempts and
 *   timer callbacks the library makes, and records uncaught errors.
 * - {@link harnessScript} defines `window.harness`, which creates clients
 *   and records each one's timeline (see `timeline.ts` for the shape).
 */

/**
 * Installs `window.__probe`: `constructs` (every native WebSocket the page
 * created: `url`, `t`, `at`), `timers` (every `setTimeout` /
 * `setInterval` callback that ran: `kind`, `delay`, `t`) and `errors`
 * (uncaught errors and unhandled rejections, as text). Idempotent.
 */
export const probeScript = String.raw`(() => {
  if (window.__probe) return;
  const probe = { constructs: [], timers: [], errors: [] };
  Object.defineProperty(window, '__probe', { value: probe });

  // Uncaught errors (a script that failed to load, the library throwing from a timer or a listener).
  window.addEventListener('error', (event) => {
    const target = event.target;
    if (target && target !== window && target.src) probe.errors.push('failed to load ' + target.src);
    else probe.errors.push(String(event.message || event.error));
  }, true);
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    probe.errors.push('unhandled rejection: ' + String(reason && reason.message ? reason.message : reason));
  });

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class WebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      probe.constructs.push({ url: String(args[0]), t: performance.now(), at: Date.now() });
    }
  };

  for (const kind of ['setTimeout', 'setInterval']) {
    const native = window[kind];
    window[kind] = function (callback, delay, ...rest) {
      if (typeof callback !== 'function') return native.call(window, callback, delay, ...rest);
      const counted = function (...args) {
        if (probe.timers.length < 100000) probe.timers.push({ kind, delay: Number(delay) || 0, t: performance.now() });
        return callback.apply(this, args);
      };
      return native.call(window, counted, delay, ...rest);
    };
  }
})();`;

/**
 * Defines `window.harness`. A page calls `harness.install(ResilientWebSocket,
 * kind)` once the library has loaded; the test then drives clients by name.
 */
export const harnessScript = String.raw`(() => {
  const clients = Object.create(null);
  const text = (data) => (typeof data === 'string' ? data : '<binary>');
  const client = (name) => {
    const found = clients[name];
    if (!found) throw new Error('no client named ' + name);
    return found;
  };

  const harness = {
    kind: null,
    ready: false,
    install(ResilientWebSocket, kind, extras) {
      harness.ResilientWebSocket = ResilientWebSocket;
      // The script-tag build hangs every export on the class; the ESM page passes what it imported.
      harness.diagnose = (extras && extras.diagnose) || ResilientWebSocket.diagnose;
      harness.kind = kind;
      harness.ready = true;
    },
    create(name, url, options, diagnosed) {
      if (clients[name]) throw new Error('a client named ' + name + ' exists');
      if (diagnosed && typeof harness.diagnose !== 'function') throw new Error('this build does not export diagnose');
      const ws = new harness.ResilientWebSocket(url, undefined, diagnosed ? Object.assign({}, options, { diagnose: harness.diagnose }) : options);
      const timeline = [];
      const record = (type, fields) => {
        timeline.push(Object.assign({ type, t: performance.now(), at: Date.now(), state: ws.state }, fields));
      };
      clients[name] = { ws, timeline, record };
      ws.addEventListener('open', () => record('open', {}));
      ws.addEventListener('error', () => record('error', {}));
      ws.addEventListener('close', (event) => {
        const report = event.report;
        record('close', {
          code: event.code,
          reason: event.reason,
          wasClean: event.wasClean,
          class: report.class,
          phase: report.phase,
          initiator: report.initiator,
          libraryCause: report.libraryCause,
          online: report.online,
          decision: report.decision.action,
        });
      });
      ws.addEventListener('reconnecting', (event) => record('reconnecting', { attempt: event.attempt, delayMs: event.delayMs }));
      ws.addEventListener('giveup', (event) => record('giveup', { reason: event.reason }));
      ws.addEventListener('drop', (event) => record('drop', { data: text(event.data), reason: event.reason }));
      ws.addEventListener('message', (event) => record('message', { data: text(event.data) }));
      ws.addEventListener('statechange', (event) => record('statechange', { from: event.from, to: event.to, cause: event.cause }));
      ws.addEventListener('diagnosis', (event) => {
        const { cause, confidence, summary, findings } = event.diagnosis;
        const first = findings[0];
        record('diagnosis', { cause, confidence, summary, timeoutMs: (first && first.timeoutMs) || null, fix: first ? first.fix : '' });
      });
    },
    send(name, data) {
      return client(name).ws.send(data);
    },
    sendNumbered(name, prefix, count) {
      const { ws } = client(name);
      const results = [];
      for (let i = 1; i <= count; i++) results.push(ws.send(prefix + i));
      return results;
    },
    call(name, method, args) {
      const { ws, record } = client(name);
      record('call', { method });
      ws[method](...args);
    },
    diagnosis(name) {
      const diagnosis = client(name).ws.diagnosis;
      return diagnosis === null ? null : JSON.parse(JSON.stringify(diagnosis));
    },
    status(name) {
      const { ws } = client(name);
      return { state: ws.state, readyState: ws.readyState, attempt: ws.attempt, bufferedAmount: ws.bufferedAmount };
    },
    timeline(name) {
      return client(name).timeline;
    },
    find(name, match, after) {
      const { timeline } = client(name);
      for (let index = after; index < timeline.length; index++) {
        const entry = timeline[index];
        if (Object.keys(match).every((key) => entry[key] === match[key])) return { index, entry };
      }
      return null;
    },
  };
  window.harness = harness;
})();`;
