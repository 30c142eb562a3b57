/**
 * Runs an example: a local `ws` server (echo, plus a tick every 5 s), the
 * fault proxy in front of it, and the app (Vite's dev server for react, vue
 * and svelte; a static server for the script-tag page, which loads dist/).
 * Type a fault on stdin to watch the page explain it and recover.
 *
 *   npm run example:react        (or example:vue, example:svelte, example:script-tag)
 */

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import { WebSocketServer } from 'ws';
import { FaultProxy } from '../tools/fault-proxy.js';

const examples = ['react', 'vue', 'svelte', 'script-tag'] as const;
type Example = (typeof examples)[number];
const name = process.argv[2] as Example;
if (!examples.includes(name)) {
  console.error(`Expected the example to be one of ${examples.join(', ')}, got ${String(process.argv[2])}`);
  process.exit(1);
}
const here = path.dirname(fileURLToPath(import.meta.url));

/** The WebSocket server: answers 'ping' with 'pong', echoes the rest, and ticks. */
async function startWsServer(): Promise<{ port: number; wss: WebSocketServer; http: http.Server }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      const isPing = !isBinary && Buffer.isBuffer(data) && data.toString('utf8') === 'ping';
      socket.send(isPing ? 'pong' : data, { binary: isBinary });
    });
    socket.send('welcome');
  });
  const tick = setInterval(() => {
    for (const client of wss.clients) client.send(`tick ${new Date().toLocaleTimeString()}`);
  }, 5000);
  server.on('close', () => clearInterval(tick));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, wss, http: server };
}

/** Serves the repository's examples/ and dist/ folders for the script-tag page. */
async function startStaticServer(): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(here, '..');
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((request, response) => {
    const pathname = path.posix.normalize(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (!/^\/(examples|dist)\/[\w./-]+$/.test(pathname) || pathname.includes('..')) return void response.writeHead(404).end();
    readFile(path.join(root, pathname)).then(
      (body) => response.writeHead(200, { 'content-type': types[path.extname(pathname)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/examples/script-tag.html`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const ws = await startWsServer();
const proxy = await FaultProxy.start({ targetPort: ws.port });
const wsUrl = `ws://127.0.0.1:${proxy.port}/`;

let app: { url: string; close(): Promise<void> };
if (name === 'script-tag') {
  app = await startStaticServer();
} else {
  const vite = await createViteServer({ configFile: path.join(here, name, 'vite.config.ts'), server: { host: '127.0.0.1', port: 0 } });
  await vite.listen();
  app = { url: vite.resolvedUrls?.local[0] ?? '', close: () => vite.close() };
}

console.log(`\n${name} example: open ${app.url}?ws=${encodeURIComponent(wsUrl)}\n`);
console.log('Type a fault and press Enter:');
console.log('  crash      the server drops every connection without a close frame (1006)');
console.log('  restart    the server closes every connection with 1012 (service restart)');
console.log('  blackhole  the live connection goes silent (half-open TCP; the heartbeat finds it)');
console.log('  refuse     toggle refusing new connections');
console.log('  quit');

let refusing = false;
const faults: Record<string, () => void> = {
  crash: () => proxy.dropAll(),
  restart: () => {
    for (const client of ws.wss.clients) client.close(1012, 'service restart');
  },
  blackhole: () => proxy.blackhole(),
  refuse: () => {
    refusing = !refusing;
    proxy.refuse(refusing);
    console.log(refusing ? 'refusing new connections' : 'accepting connections');
  },
};

const input = readline.createInterface({ input: process.stdin });
const stop = async (): Promise<void> => {
  input.close();
  await app.close();
  await proxy.close();
  for (const client of ws.wss.clients) client.terminate();
  await new Promise((resolve) => ws.http.close(resolve));
};
input.on('line', (line) => {
  const command = line.trim();
  if (command === 'quit') return void stop();
  const fault = faults[command];
  if (fault) fault();
  else if (command !== '') console.log(`unknown command: ${command}`);
});
process.once('SIGINT', () => void stop());
