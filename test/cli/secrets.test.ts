/**
 * No secret in any output of the real bin (dist/cli.js): a distinctive
 * secret in every URL part and every argument that may carry one, against
 * good and bad targets, every byte of stdout and stderr searched, in text
 * and JSON. What counts as a secret is documented in src/cli/secrets.ts:
 * userinfo, query values, the fragment, header values, offered
 * sub-protocols. The host, port, path, header names, the selected
 * sub-protocol and the ping and pong texts are shown, and the tests say so.
 */

import { readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { safeUrl } from '../../src/cli/secrets.js';
import { listenOnLoopback } from '../support/listen.js';
import { binPath, freePort, runBin } from './support.js';

beforeAll(async () => {
  await access(binPath).catch(() => {
    throw new Error(`${binPath} is missing: run \`npm run build\` first (\`npm test\` does it).`);
  });
});

const teardowns: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) await teardown();
});

/** Every secret carries this prefix: no output may contain it. */
const prefix = 'S3CRET';
const secret = {
  user: 'S3CRET-user',
  password: 'S3CRET-password',
  query: 'S3CRET-query',
  bareQuery: 'S3CRET-bare',
  bearer: 'S3CRET-bearer',
  cookie: 'S3CRET-cookie',
  apiKey: 'S3CRET-apikey',
  protocol: 'S3CRET-protocol',
} as const;

/** A URL with a secret in every part that may hold one, and a shown path. */
const urlTo = (authority: string, scheme = 'ws'): string => `${scheme}://${secret.user}:${secret.password}@${authority}/live/SHOWN-path?token=${secret.query}&${secret.bareQuery}`;

/** Headers and sub-protocols that carry secrets; the ping and pong are shown. */
const carrying = ['-H', `Authorization: Bearer ${secret.bearer}`, '-H', `Cookie: session=${secret.cookie}`, '-H', `X-Api-Key: ${secret.apiKey}`, '-p', 'chat', '-p', secret.protocol, '--ping', 'SHOWN-ping', '--pong', 'SHOWN-pong'];

function expectNoSecret(run: { stdout: string; stderr: string }): void {
  const all = run.stdout + run.stderr;
  for (const value of Object.values(secret)) expect(all).not.toContain(value);
  expect(all).not.toContain(prefix);
}

/** Runs the bin twice, as text and as JSON; both outputs must hold no secret. */
async function probeBoth(args: readonly string[]): Promise<{ text: Awaited<ReturnType<typeof runBin>>; json: Awaited<ReturnType<typeof runBin>> }> {
  const [text, json] = await Promise.all([runBin(args), runBin([...args, '--json'])]);
  expectNoSecret(text);
  expectNoSecret(json);
  return { text, json };
}

/** A ws server that answers SHOWN-ping and selects `chat`, and records what the upgrade carried. */
async function echoServer(): Promise<{ port: number; headers: http.IncomingHttpHeaders[] }> {
  const server = http.createServer();
  const headers: http.IncomingHttpHeaders[] = [];
  const wss = new WebSocketServer({ server, handleProtocols: (offered: Set<string>) => (offered.has('chat') ? 'chat' : false) });
  wss.on('connection', (socket, request) => {
    headers.push(request.headers);
    socket.on('message', (data: Buffer) => {
      if (data.toString() === 'SHOWN-ping') socket.send('SHOWN-pong');
    });
  });
  const port = await listenOnLoopback(server);
  teardowns.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  teardowns.push(() => {
    for (const socket of wss.clients) socket.terminate();
    wss.close();
  });
  return { port, headers };
}

/** Answers every upgrade with 401, echoing the credentials in the status line, a header and the body, as careless servers do. */
async function echoing401(): Promise<number> {
  const server = http.createServer();
  const sockets = new Set<Socket>();
  server.on('upgrade', (request: http.IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const echo = `${request.headers.authorization ?? ''} ${request.headers.cookie ?? ''} ${request.url ?? ''} ${String(request.headers['sec-websocket-protocol'])}`;
    const body = JSON.stringify(request.headers);
    socket.end(`HTTP/1.1 401 Unauthorized ${echo}\r\nWWW-Authenticate: ${echo}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
  const port = await listenOnLoopback(server);
  teardowns.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return port;
}

/** Accepts the upgrade, then closes with a reason that echoes the query and a header. */
async function echoingClose(): Promise<number> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, handleProtocols: () => 'chat' });
  wss.on('connection', (socket, request) => {
    const token = new URL(request.url ?? '/', 'ws://x').searchParams.get('token') ?? '';
    setTimeout(() => socket.close(4001, `bad ${token} ${request.headers['x-api-key'] as string}`), 200);
  });
  const port = await listenOnLoopback(server);
  teardowns.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  teardowns.push(() => {
    for (const socket of wss.clients) socket.terminate();
    wss.close();
  });
  return port;
}

describe('the probe never prints a secret', () => {
  it('against a real ws server: host, port, path, header names, the selected sub-protocol, ping and pong shown; the rest masked', async () => {
    const server = await echoServer();
    const { text, json } = await probeBoth(['probe', urlTo(`127.0.0.1:${server.port}`), ...carrying, '--idle-max', '0', '--timeout', '2s', '--keepalive', '100']);
    expect(text.code).toBe(0);
    expect(json.code).toBe(0);
    // The secrets were sent.
    expect(server.headers[0]).toMatchObject({ authorization: `Bearer ${secret.bearer}`, cookie: `session=${secret.cookie}`, 'x-api-key': secret.apiKey, 'sec-websocket-protocol': `chat, ${secret.protocol}` });
    // The output stays useful.
    expect(text.stdout).toContain(`resilient-websocket probe ws://***:***@127.0.0.1:${server.port}/live/SHOWN-path?token=***&***`);
    expect(text.stdout).toContain('headers: Authorization, Cookie, X-Api-Key (values hidden)');
    expect(text.stdout).toContain('sub-protocols offered: chat, ***');
    expect(text.stdout).toContain('(101, sub-protocol chat)');
    expect(text.stdout).toContain("application ping 'SHOWN-ping' -> 'SHOWN-pong': 3 of 3 answered");
    expect(text.stdout).toContain('const ws = new ResilientWebSocket(url, protocols, {');
    expect(text.stderr).toContain(`connecting to ws://***:***@127.0.0.1:${server.port}/live/SHOWN-path?token=***&***`);
    expect(text.stderr).toContain("keepalive: sending 'SHOWN-ping' every 100 ms");
    expect(JSON.parse(json.stdout)).toMatchObject({ protocols: ['chat', '***'], headers: ['Authorization', 'Cookie', 'X-Api-Key'], handshake: { ok: true, protocol: 'chat' } });
  });

  it('against a server that answers 401 and echoes the credentials in its status line, a header and its body', async () => {
    const port = await echoing401();
    const { text, json } = await probeBoth(['probe', urlTo(`127.0.0.1:${port}`), ...carrying, '--idle-max', '0', '--timeout', '2s']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('the upgrade was answered with HTTP 401 Unauthorized *** *** /live/SHOWN-path?token=***&*** ***, ***: authentication failed');
    expect(text.stdout).toContain('sub-protocols offered: ***, ***');
    expect(JSON.parse(json.stdout)).toMatchObject({ handshake: { ok: false, failure: { status: 401 } } });
  });

  it('against a server that closes with a reason echoing the token', async () => {
    const port = await echoingClose();
    const { text } = await probeBoth(['probe', urlTo(`127.0.0.1:${port}`), ...carrying, '--idle-max', '1', '--timeout', '500']);
    // The close came during the pings: the idle step measured nothing and says so.
    expect(text.stdout).toContain('idle timeout: not measured: the connection had already ended before the idle step, closed with a close frame, code 4001 "bad *** ***".');
    expect(text.stdout).toContain("application ping 'SHOWN-ping' -> 'SHOWN-pong': the connection ended before an answer (1 sent)");
  });

  it('against a refused port, and a TLS server with a self-signed certificate', async () => {
    const refused = await probeBoth(['probe', urlTo(`127.0.0.1:${await freePort()}`), ...carrying, '--idle-max', '0', '--timeout', '2s']);
    expect(refused.text.code).toBe(1);
    expect(refused.text.stdout).toContain('connection refused by 127.0.0.1:');

    const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    const server = https.createServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') });
    const port = await listenOnLoopback(server);
    teardowns.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const tls = await probeBoth(['probe', urlTo(`localhost:${port}`, 'wss'), ...carrying, '--idle-max', '0', '--timeout', '2s']);
    expect(tls.text.code).toBe(1);
    expect(tls.text.stdout).toContain('TLS failed');
  });

  it.each([
    ['an invalid port (99999)', ['probe', urlTo('127.0.0.1:99999')], 'got "ws://***@127.0.0.1:99999/live/SHOWN-path?token=***&***": the port 99999 is above 65535'],
    ['a port that is not a number', ['probe', `${urlTo('127.0.0.1:80x')}#S3CRET-fragment`], 'got "ws://***@127.0.0.1:80x/live/SHOWN-path?token=***&***#***": a port that is not a number'],
    ['a password with an unescaped /', ['probe', `ws://${secret.user}:S3CRET/pass@127.0.0.1:1/live`], 'got "ws://***@127.0.0.1:1/live"'],
    ['a fragment', ['probe', `ws://127.0.0.1:1/live#S3CRET-fragment`], 'Expected <url> without a fragment'],
    ['a URL without a scheme', ['probe', `${secret.user}:${secret.password}@127.0.0.1:1/live`], 'Expected <url> to start with ws://'],
    ['the URL in the place of the command', [urlTo('127.0.0.1:1')], 'Expected the command probe, got the URL "ws://***:***@127.0.0.1:1/live/SHOWN-path?token=***&***" (probe goes before it)'],
    ['a token in the place of the command', ['S3CRET-command', 'ws://127.0.0.1:1/'], 'Expected the command probe, got an argument that is not a command'],
    ['--pings', ['probe', 'ws://127.0.0.1:1/', '--pings', 'S3CRET-pings'], 'Expected --pings to be a whole number from 1 to 100, got a value that is not a number'],
    ['--timeout', ['probe', 'ws://127.0.0.1:1/', '--timeout', 'S3CRET-timeout'], 'Expected --timeout to be a duration'],
    ['--idle-max', ['probe', 'ws://127.0.0.1:1/', '--idle-max', 'S3CRET-idle'], 'Expected --idle-max to be a duration'],
    ['--keepalive', ['probe', 'ws://127.0.0.1:1/', '--keepalive', 'S3CRET-keepalive'], 'Expected --keepalive to be a duration'],
    ['a sub-protocol with a space', ['probe', 'ws://127.0.0.1:1/', '-p', 'chat', '-p', 'S3CRET protocol'], 'got sub-protocol 2 with a space at character 7'],
    ['a sub-protocol given twice', ['probe', 'ws://127.0.0.1:1/', '-p', secret.protocol, '-p', secret.protocol], 'Expected each --protocol once, got sub-protocol 2 repeating sub-protocol 1'],
    ['a header value with a line break', ['probe', 'ws://127.0.0.1:1/', '-H', 'X-Token: S3CRET-value\r\nEvil: S3CRET-injected'], 'Expected the value of the -H X-Token header on one line'],
    ['a header without a colon', ['probe', 'ws://127.0.0.1:1/', '-H', 'S3CRET-nocolon'], "Expected -H to be 'Name: value'"],
    ['a header name with a space', ['probe', 'ws://127.0.0.1:1/', '-H', 'Bearer S3CRET-name: x'], 'got a name with a space at character 7'],
    ['an unknown option', ['probe', 'ws://127.0.0.1:1/', '--S3CRET-flag'], 'Unknown option (not shown: it may hold a secret)'],
    ['a value for a flag that takes none', ['probe', 'ws://127.0.0.1:1/', '--json=S3CRET-json'], 'Expected --json without a value'],
  ])('in the argument error for %s', async (_what, args, message) => {
    const run = await runBin(args);
    expectNoSecret(run);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`resilient-websocket: `);
    expect(run.stderr).toContain(message);
  });
});

describe('safeUrl()', () => {
  it.each([
    ['ws://alice:pw@host:99999/p?a=1&b#f', 'ws://***@host:99999/p?a=***&***#***'],
    ['ws://alice:p/w@host/p', 'ws://***@host/p'],
    ['ws://host:99999/users/@me', 'ws://***@me'],
    ['ws://alice:pw@host:8080/p?token=t', 'ws://***:***@host:8080/p?token=***'],
    ['wss://host/p', 'wss://host/p'],
  ])('should mask %s as %s', (text, masked) => {
    expect(safeUrl(text)).toBe(masked);
  });
});
