/**
 * A guided tour of resilient-websocket against real faults: a `ws` server
 * behind a fault-injecting TCP proxy, and one client that has to survive
 * a crash, an idle timeout, half-open TCP, an overloaded server and a
 * policy close. Every step waits for the events it expects and fails if
 * they do not come. Run with `npm run demo`.
 */

import { WebSocket as NodeWebSocket } from 'ws';
import { ResilientWebSocket } from '../src/index.js';
import { FaultProxy } from '../tools/fault-proxy.js';
import { DemoServer } from './server.js';
import { formatMs, heading, log, Timeline } from './timeline.js';

const stepBudgetMs = 20_000; // generous: the machine may be busy
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// If anything hangs, say so and fail rather than run forever; unref'd so it never keeps the process alive.
setTimeout(() => {
  console.error('\n✘ the tour did not finish within 85 s');
  process.exit(1);
}, 85_000).unref();

const server = await DemoServer.start();
const proxy = await FaultProxy.start({ targetPort: server.port });
heading('Setup');
log('setup', `ws server on 127.0.0.1:${server.port}, fault proxy on 127.0.0.1:${proxy.port} in front of it`);
log('setup', 'client: heartbeat 1000/1000 ms, reconnect base 300 ms, floor 200 ms, cap 2000 ms');

const ws = new ResilientWebSocket(`ws://127.0.0.1:${proxy.port}/`, undefined, {
  WebSocket: NodeWebSocket, // Node 20 has no global WebSocket
  heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 },
  reconnect: { baseDelayMs: 300, minDelayMs: 200, maxDelayMs: 2_000 },
});
const timeline = new Timeline(ws, () => `connected through the proxy (server connection #${server.connections})`);

const results: { title: string; ok: boolean; note: string }[] = [];

/** Runs one step: a heading, the body (which throws on a failed check), a ✔ or ✘ line. */
async function step(title: string, budgetMs: number, body: (within: () => number) => Promise<string>): Promise<void> {
  heading(title);
  const deadline = Date.now() + budgetMs;
  try {
    const note = await body(() => deadline - Date.now());
    results.push({ title, ok: true, note });
    log('✔', note);
  } catch (error) {
    const note = error instanceof Error ? error.message : String(error);
    results.push({ title, ok: false, note });
    log('✘', note);
    await recover();
  }
}

function check(condition: boolean, failure: string): void {
  if (!condition) throw new Error(failure);
}

/** After a failed step: clear every fault and get the client connected again, so later steps still mean something. */
async function recover(): Promise<void> {
  proxy.forward();
  server.closeNewConnectionsWith(null);
  await server.restart().catch(() => undefined); // already listening unless the crash step failed
  timeline.skip();
  ws.reconnect();
  await timeline.next('open', 'the client to reconnect after a failed step', 10_000).catch(() => undefined);
}

await step('(a) Messages flow', stepBudgetMs, async (within) => {
  await timeline.next('open', 'the first open', within());
  const sent = ['hello 1', 'hello 2', 'hello 3'];
  const live = sent.map((text) => ws.send(text));
  for (const text of sent) await timeline.next('message', `the echo of "${text}"`, within(), (e) => e.data === text);
  check(live.every(Boolean), 'send() should have returned true on an open socket');
  return '3 messages sent on the open socket, 3 echoes back in order';
});

await step('(b) The server crashes: no close frame, and it comes back', stepBudgetMs, async (within) => {
  const from = timeline.mark();
  log('server', 'crash: every socket destroyed, port closed');
  server.crash();
  const close = await timeline.next('close', 'a close after the crash', within());
  check(close.code === 1006 && close.report.initiator === 'network', `expected 1006 by network, got ${close.code} by ${close.report.initiator}`);
  const queued = !ws.send('sent while down');
  log('send', `"sent while down" → ${queued ? 'queued' : 'sent?!'} (bufferedAmount ${ws.bufferedAmount} bytes)`);
  await sleep(1_500); // let a few attempts fail against the dead server
  await server.restart();
  log('server', `restarted on the same port ${server.port}`);
  await timeline.next('open', 'the reconnect after the restart', within());
  await timeline.next('message', 'the echo of the queued message', within(), (e) => e.data === 'sent while down');
  const failed = timeline.since(from, 'close').filter((c) => c.report.phase === 'handshake').length;
  check(queued, 'send() while down should queue');
  return `1006 reported truthfully, back after ${failed} failed handshake(s); the queued message was delivered`;
});

await step('(c) The proxy drops idle connections after 2.5 s; the heartbeat keeps the line alive', stepBudgetMs, async (within) => {
  const from = timeline.mark();
  const before = { pings: server.pings, pongs: server.pongs, dropped: proxy.stats().dropped };
  proxy.idleTimeout(2_500);
  log('proxy', 'idle timeout 2.5 s (like nginx proxy_read_timeout); watching for 6 s');
  await sleep(Math.min(6_000, within()));
  const pings = server.pings - before.pings;
  const pongs = server.pongs - before.pongs;
  const dropped = proxy.stats().dropped - before.dropped;
  log('server', `${pings} pings received, ${pongs} pongs sent; proxy idle drops: ${dropped}`);
  proxy.forward();
  log('proxy', 'idle timeout off');
  check(timeline.since(from, 'close').length === 0 && dropped === 0, 'the connection was dropped despite the heartbeat');
  check(pings >= 3, `expected at least 3 pings in 6 s, got ${pings}`);
  return `no drop in 6 s: ${pings} pings / ${pongs} pongs kept the proxy from timing out`;
});

await step('(d) The proxy black-holes the connection (half-open TCP)', stepBudgetMs, async (within) => {
  const started = Date.now();
  proxy.blackhole();
  log('proxy', 'black hole: the live connection forwards nothing, both sockets stay open');
  const close = await timeline.next('close', 'the heartbeat to declare the connection dead', within());
  check(close.report.libraryCause === 'heartbeat-timeout' && close.code === 1006, `expected 1006 heartbeat timeout, got ${close.code} "${close.reason}"`);
  const detectedMs = Date.now() - started;
  await timeline.next('open', 'the reconnect through the proxy', within());
  return `half-open connection detected by the heartbeat after ${formatMs(detectedMs)}, reconnected`;
});

await step('(e) The server says 1013 (try again later)', stepBudgetMs, async (within) => {
  log('server', 'closing every connection with 1013 "overloaded"');
  server.closeAll(1013, 'overloaded');
  const close = await timeline.next('close', 'the 1013 close', within());
  check(close.code === 1013 && close.report.initiator === 'server', `expected 1013 by server, got ${close.code} by ${close.report.initiator}`);
  const retry = await timeline.next('reconnecting', 'a retry to be scheduled', within());
  check(retry.delayMs >= 5_000, `expected a retry delay ≥ 5000 ms, got ${formatMs(retry.delayMs)}`);
  log('demo', `the client will wait ${formatMs(retry.delayMs)}; the tour skips that wait with ws.reconnect()`);
  ws.reconnect();
  await timeline.next('open', 'the reconnect', within());
  return `slower retry scheduled (${formatMs(retry.delayMs)} ≥ 5000 ms floor for 1013)`;
});

await step('(f) The server closes with 1008 (policy) on every connection', 30_000, async (within) => {
  const from = timeline.mark();
  const connectionsBefore = server.connections;
  log('server', 'closing this and every new connection with 1008 "token expired"');
  server.closeNewConnectionsWith(1008, 'token expired');
  server.closeAll(1008, 'token expired');
  const giveup = await timeline.next('giveup', 'the client to give up', within());
  const retries = timeline.since(from, 'reconnecting').length;
  const closes = timeline.since(from, 'close').filter((c) => c.code === 1008).length;
  const attempts = server.connections - connectionsBefore;
  log('server', `${attempts} new connection(s) during this step`);
  check(retries === 2 && attempts === 2 && closes === 3, `expected 3 closes and 2 retries, got ${closes} closes, ${retries} retries, ${attempts} connections`);
  check(ws.state === 'closed' && ws.readyState === ws.CLOSED, `expected the socket closed, got ${ws.state}`);
  return `gave up after 2 retries: "${giveup.reason}"`;
});

heading('Cleanup');
ws.dispose();
await proxy.close();
await server.stop();
log('cleanup', 'client disposed, proxy and server closed; the process should now exit on its own');

heading('Summary');
for (const { title, ok, note } of results) console.log(`${ok ? '✔' : '✘'} ${title}\n    ${note}`);
const failures = results.filter((r) => !r.ok).length;
console.log(failures === 0 ? `\nAll ${results.length} steps passed.` : `\n${failures} of ${results.length} steps failed.`);
process.exitCode = failures === 0 ? 0 : 1;

// A leaked handle would keep the process alive: name it and fail instead of hanging.
setTimeout(() => {
  console.error(`✘ still running 5 s after cleanup; open resources: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 5_000).unref();
