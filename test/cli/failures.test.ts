/**
 * More ways a handshake fails, each named as Node sees it: a proxy that
 * answers the upgrade with 200, one that closes the connection, a
 * self-signed certificate (and `--insecure`); and the progress display.
 */

import { readFileSync } from 'node:fs';
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createProgress } from '../../src/cli/progress.js';
import { ServerCompanion } from '../../src/server/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { listenOnLoopback } from '../support/listen.js';
import { delay, waitUntil } from '../support/wait.js';
import { runProbe, startTarget } from './support.js';

const teardowns: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) await teardown();
});

const quick = ['--timeout', '1000', '--idle-max', '0', '--json'];

describe('the probe, on a failed handshake', () => {
  it('should say that an upgrade answered with 200 means a path that does not pass WebSockets', async () => {
    const server = await startTarget({ kind: 'status', status: 200 });
    teardowns.push(() => server.close());
    const { code, report } = await runProbe(['probe', server.url, ...quick]);
    expect(code).toBe(1);
    expect(report?.handshake?.failure).toMatchObject({ step: 'upgrade', kind: 'http-status', status: 200 });
    expect(report?.handshake?.failure?.message).toContain('does not pass WebSocket upgrades');
  });

  it('should say that the connection was closed during the upgrade', async () => {
    const server = await startTarget({ kind: 'companion' });
    teardowns.push(() => server.close());
    const proxy = await FaultProxy.start({ targetPort: server.port });
    teardowns.push(() => proxy.close());
    proxy.refuse(true);
    const { code, report } = await runProbe(['probe', `ws://127.0.0.1:${proxy.port}/`, ...quick]);
    expect(code).toBe(1);
    expect(report?.handshake?.failure?.step).toMatch(/^(tcp|upgrade)$/);
    expect(report?.handshake?.failure?.message).toMatch(/closed during the upgrade|ECONNRESET/);
  });

  it('should name a TLS error on a self-signed certificate, and connect with --insecure', async () => {
    const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    const server = https.createServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') });
    const wss = new WebSocketServer({ server });
    const companion = new ServerCompanion(wss, { keepalive: false });
    const port = await listenOnLoopback(server);
    teardowns.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    teardowns.push(() => {
      companion.close();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    });

    const rejected = await runProbe(['probe', `wss://localhost:${port}/`, ...quick]);
    expect(rejected.code).toBe(1);
    expect(rejected.report?.handshake?.failure).toMatchObject({ step: 'tls', kind: 'error' });
    expect(rejected.report?.handshake?.failure?.message).toMatch(/^TLS failed: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN).*--insecure accepts a self-signed certificate/);

    const accepted = await runProbe(['probe', `wss://localhost:${port}/`, '--insecure', ...quick]);
    expect(accepted.code).toBe(0);
    expect(accepted.report?.handshake?.timings.dnsMs).toBeGreaterThanOrEqual(0);
    expect(accepted.report?.handshake?.timings.tlsMs).toBeGreaterThan(0);
    expect(accepted.report?.appPing?.answered).toBe(3);
  });
});

describe('progress', () => {
  it('should rewrite one countdown line on a terminal, and clear it at the end', async () => {
    const writes: string[] = [];
    const wait = createProgress({ isTTY: true, write: (text: string) => writes.push(text) }).wait('idle', 10_000);
    await delay(600);
    wait.stop();
    expect(writes.length).toBeGreaterThanOrEqual(2);
    const clearLine = '\r\x1b[2K';
    expect(writes.slice(0, -1).every((text) => text.startsWith(clearLine) && /^idle: \d+\.\d s of 10\.0 s \(Ctrl-C prints what was measured so far\)$/.test(text.slice(clearLine.length)))).toBe(true);
    expect(writes.at(-1)).toBe('\r\x1b[2K');
    const count = writes.length;
    await delay(400);
    expect(writes).toHaveLength(count);
  });

  it('should print plain lines when not on a terminal', () => {
    const writes: string[] = [];
    const progress = createProgress({ isTTY: false, write: (text: string) => writes.push(text) });
    progress.wait('idle', 130_000).stop();
    expect(writes).toEqual(['idle: waiting up to 130.0 s\n']);
  });
});

describe('the probe, when the server closes', () => {
  it('should report a close frame with its code and reason, and answer it as a browser does', async () => {
    const { WebSocketServer: Server } = await import('ws');
    const http = await import('node:http');
    const server = http.createServer();
    const wss = new Server({ server });
    const seen: { code: number; reason: string }[] = [];
    // Closes after 300 ms of silence from the client, the way an application-level idle policy would.
    wss.on('connection', (socket) => {
      socket.on('close', (code: number, reason: Buffer) => seen.push({ code, reason: reason.toString() }));
      let timer = setTimeout(() => socket.close(4000, 'idle'), 300);
      socket.on('message', () => {
        clearTimeout(timer);
        timer = setTimeout(() => socket.close(4000, 'idle'), 300);
      });
    });
    const port = await listenOnLoopback(server);
    teardowns.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    teardowns.push(() => wss.close());
    const { code, report } = await runProbe(['probe', `ws://127.0.0.1:${port}/`, '--timeout', '100', '--pings', '1', '--idle-max', '3', '--json']);
    expect(code).toBe(0);
    expect(report?.idle?.end).toMatchObject({ how: 'close-frame', code: 4000, reason: 'idle' });
    expect(report?.idle?.verdict).toMatch(/closed with a close frame, code 4000 "idle"/);
    // The server saw the closing handshake complete: its own code came back, not a 1006.
    await waitUntil(() => seen.length === 1, 'the server saw the connection end');
    expect(seen).toEqual([{ code: 4000, reason: '' }]);
  });
});
