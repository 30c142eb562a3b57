/**
 * A Node client with the `ws` package: heartbeat on, every close explained.
 *
 * Run against any server: `npx tsx examples/node.ts ws://127.0.0.1:8080`
 */
import WebSocket from 'ws';
import { explainClose, ResilientWebSocket } from '../src/index.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080';
const socket = new ResilientWebSocket(url, [], { WebSocket, heartbeat: { intervalMs: 10_000, timeoutMs: 5_000 } });

socket.addEventListener('open', () => {
  console.log(`open ${socket.url}`);
  socket.send('hello');
});
socket.addEventListener('message', (event) => {
  console.log('message', event.data);
});
socket.addEventListener('close', (event) => {
  console.log(`close ${event.code} (${event.report.class}, ${event.report.initiator}): ${explainClose(event.report)}`);
});
socket.addEventListener('reconnecting', (event) => {
  console.log(`retry ${event.attempt} in ${Math.round(event.delayMs)} ms`);
});
socket.addEventListener('giveup', (event) => {
  console.log(`gave up: ${event.reason}`);
});

process.on('SIGINT', () => {
  socket.close();
});
