/**
 * A smoke run of the built package in another runtime (Deno, Bun), as a
 * user would load it: Bun through the package's `exports` (the package
 * name), Deno through a relative import of dist/index.js (offline, no npm
 * specifier). No option but the URL and a fast clock: the runtime's own
 * WebSocket, EventTarget and events.
 *
 *   bun test/runtimes/smoke.ts <echo url> <policy url>
 *   deno run --no-remote --cached-only --no-config --allow-net=127.0.0.1 --allow-read test/runtimes/smoke.ts <echo url> <policy url>
 *
 * It prints one JSON line per event. The echo server is crashed by the
 * test when the first `open` line appears; the script then expects a 1006,
 * a reconnect and the echo of 'after crash'. The policy server closes
 * every connection with 1008: two slow retries, then a giveup. Each close
 * line carries `explainClose`'s sentence. The last line is `{"event":"done"}`;
 * the exit code is 0 when everything happened in order, 1 otherwise.
 */

import type * as Package from '../../src/index.js'; // the types of what dist/ is built from

declare const Deno: { exit(code: number): never; args: string[]; version: { deno: string } } | undefined;
declare const Bun: { version: string } | undefined;
declare const process: { argv: string[]; exit(code: number): never } | undefined;

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : 'unknown';
const args = typeof Deno !== 'undefined' ? Deno.args : (process?.argv.slice(2) ?? []);
const exit = (code: number): never => (typeof Deno !== 'undefined' ? Deno.exit(code) : process!.exit(code));
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));

// Bun resolves the package by its name through package.json `exports`; Deno, offline, by path.
const specifier = typeof Deno !== 'undefined' ? '../../dist/index.js' : 'resilient-websocket';
const { ResilientWebSocket, explainClose } = (await import(specifier)) as typeof Package;

const [echoUrl = '', policyUrl = ''] = args;
if (echoUrl === '' || policyUrl === '') {
  print({ event: 'usage', message: 'smoke.ts <echo url> <policy url>' });
  exit(2);
}

/** Time 50x faster for the policy client, so the 5 s floor of a 1008 retry passes in 100 ms. */
function warpedClock(speed: number): Package.Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    random: () => Math.random(),
    setTimeout: (callback, delayMs) => setTimeout(callback, delayMs / speed),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

const failAfter = setTimeout(() => {
  print({ event: 'timeout', message: 'the smoke run did not finish within 20 s' });
  exit(1);
}, 20_000);

function watch(name: string, socket: Package.ResilientWebSocket): void {
  socket.addEventListener('close', (event) => {
    print({ event: 'close', client: name, code: event.code, wasClean: event.wasClean, class: event.report.class, initiator: event.report.initiator, decision: event.report.decision.action, explanation: explainClose(event.report) });
  });
  socket.addEventListener('giveup', (event) => print({ event: 'giveup', client: name, reason: event.reason }));
}

print({ event: 'start', runtime, eventTarget: typeof EventTarget, webSocket: typeof WebSocket });

// 1. The echo server: open, message, crash (by the test), 1006, reconnect, message.
const echo = new ResilientWebSocket(echoUrl, [], { reconnect: { baseDelayMs: 50, minDelayMs: 10, maxDelayMs: 200 } });
watch('echo', echo);
let opens = 0;
await new Promise<void>((resolve) => {
  echo.addEventListener('open', () => {
    opens += 1;
    print({ event: 'open', client: 'echo', n: opens, readyState: echo.readyState });
    echo.send(opens === 1 ? `hello from ${runtime}` : 'after crash');
  });
  echo.addEventListener('message', (event) => {
    print({ event: 'message', client: 'echo', data: String(event.data) });
    if (event.data === 'after crash') resolve();
  });
});
echo.close();

// 2. The policy server: 1008 on every connection; two slow retries, then giveup.
const policy = new ResilientWebSocket(policyUrl, [], { clock: warpedClock(50), connectTimeoutMs: 500_000 });
watch('policy', policy);
await new Promise<void>((resolve) => policy.addEventListener('giveup', () => resolve()));

clearTimeout(failAfter);
print({ event: 'done', state: policy.state });
exit(0);
