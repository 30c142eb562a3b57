/**
 * A deploy next to a crash, with the server companion: the same fleet of
 * clients (default policy, heartbeat on) meets a release that shuts down
 * with `shutdown({ code: 1012 })` and then a process that dies. What the
 * clients see (1012 and a clean close, versus 1006) and how they come back
 * (arrival times at the new release) is measured and printed. Every check
 * fails the run if it does not hold. Run with `npm run demo:deploy`.
 */

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { ResilientWebSocket, type ResilientCloseEvent } from '../src/index.js';
import { ServerCompanion } from '../src/server/index.js';
import { heading, log } from './timeline.js';

const fleet = 50;
const crashDowntimeMs = 1_500;

setTimeout(() => {
  console.error('\n✘ the deploy demo did not finish within 60 s');
  process.exit(1);
}, 60_000).unref();

/** One release of the server: a WebSocketServer with the companion on the shared HTTP listener. */
function release(server: http.Server, name: string, arrivals: number[]): { wss: WebSocketServer; companion: ServerCompanion } {
  const wss = new WebSocketServer({ server });
  const companion = new ServerCompanion(wss, { keepalive: { intervalMs: 5_000, timeoutMs: 2_000 } });
  wss.on('connection', (socket) => {
    arrivals.push(performance.now());
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => socket.send(data));
  });
  log('server', `${name} is up`);
  return { wss, companion };
}

function spread(label: string, fromMs: number, arrivals: readonly number[]): string {
  const sorted = arrivals.map((t) => t - fromMs).sort((a, b) => a - b);
  const at = (p: number): string => `${((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) / 1000).toFixed(2)} s`;
  const peak = Math.max(...sorted.map((t, i) => sorted.slice(i).filter((u) => u < t + 100).length));
  return `${label}: ${sorted.length} back, first ${at(0)}, median ${at(0.5)}, last ${at(1)}; most in any 100 ms: ${peak}`;
}

function tally(closes: readonly ResilientCloseEvent[]): string {
  const counts = new Map<string, number>();
  for (const close of closes) {
    const key = `${close.code} wasClean ${close.wasClean}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} × ${key}`).join(', ');
}

const failures: string[] = [];
function check(condition: boolean, failure: string): void {
  if (!condition) failures.push(failure);
  log(condition ? '✔' : '✘', condition ? failure.replace(/^expected /, '') : failure);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

heading('Setup');
const server = http.createServer();
const sockets = new Set<Socket>();
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
let arrivals: number[] = [];
let current = release(server, 'release 1', arrivals);
const closes: ResilientCloseEvent[] = [];
const clients = Array.from({ length: fleet }, () => {
  const ws = new ResilientWebSocket(`ws://127.0.0.1:${port}/`, undefined, { WebSocket: NodeWebSocket, heartbeat: true });
  ws.addEventListener('close', (event) => closes.push(event));
  return ws;
});
await until(() => clients.every((ws) => ws.state === 'open'), 10_000);
log('clients', `${fleet} clients open (default reconnect policy, heartbeat on)`);

heading('A deploy: shutdown({ code: 1012, reason: "deploy" })');
let from = performance.now();
const result = await current.companion.shutdown({ code: 1012, reason: 'deploy', drainMs: 5_000 });
log('server', `release 1 shut down in ${result.durationMs} ms: ${result.closed} closed cleanly, ${result.terminated} terminated`);
arrivals = [];
current = release(server, 'release 2', arrivals);
await until(() => arrivals.length >= fleet, 30_000);
log('clients', `saw ${tally(closes)}`);
log('clients', spread('returned', from, arrivals));
check(closes.length === fleet && closes.every((c) => c.code === 1012 && c.wasClean), `expected every client to see 1012, clean (${tally(closes)})`);
check(arrivals.length === fleet, `expected all ${fleet} clients back at release 2 (${arrivals.length})`);

heading(`A crash: the process dies, a new one listens ${crashDowntimeMs} ms later`);
closes.length = 0;
await until(() => clients.every((ws) => ws.state === 'open'), 10_000);
from = performance.now();
current.companion.close();
for (const socket of current.wss.clients) socket.terminate();
for (const socket of sockets) socket.destroy();
current.wss.close();
await new Promise<void>((resolve) => server.close(() => resolve()));
log('server', 'release 2 crashed: every socket destroyed, nothing listens');
await new Promise((resolve) => setTimeout(resolve, crashDowntimeMs));
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
arrivals = [];
current = release(server, 'release 3', arrivals);
await until(() => arrivals.length >= fleet, 30_000);
const crashCloses = closes.filter((c) => c.report.phase === 'open');
log('clients', `saw ${tally(crashCloses)} (then ${closes.length - crashCloses.length} refused attempts while nothing listened)`);
log('clients', spread('returned', from, arrivals));
check(crashCloses.length === fleet && crashCloses.every((c) => c.code === 1006 && !c.wasClean), `expected every client to see 1006, not clean (${tally(crashCloses)})`);
check(arrivals.length === fleet, `expected all ${fleet} clients back at release 3 (${arrivals.length})`);

heading('Cleanup');
for (const ws of clients) ws.dispose();
current.companion.close();
for (const socket of current.wss.clients) socket.terminate();
current.wss.close();
server.closeAllConnections();
await new Promise<void>((resolve) => server.close(() => resolve()));
console.log(
  failures.length === 0
    ? '\nA deploy with the companion is a 1012 the clients understand: a clean close and a return spread by their policy. A crash is a 1006.'
    : `\n${failures.length} check(s) failed.`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
setTimeout(() => {
  console.error(`✘ still running 5 s after cleanup; open resources: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 5_000).unref();
