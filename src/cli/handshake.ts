/**
 * The opening handshake, one layer at a time (DNS, TCP, TLS, HTTP upgrade)
 * with node:dns, node:net, node:tls and node:http, so that each step is
 * timed and a failure names its real cause: the HTTP status of a rejected
 * upgrade, a refused port, a TLS error, all of which a browser reports as 1006.
 *
 * @module
 */

import { createHash, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Where and how to connect. */
export interface HandshakeTarget {
  readonly url: URL;
  /** Extra request headers (values are sent, never printed). */
  readonly headers: Readonly<Record<string, string>>;
  readonly protocols: readonly string[];
  /** Accept any TLS certificate. */
  readonly insecure: boolean;
  /** The bound of each step, in ms. */
  readonly timeoutMs: number;
}

/** The time each step took, in ms; `null` for a step not taken (no DNS for an IP, no TLS for ws:). */
export interface HandshakeTimings {
  dnsMs: number | null;
  tcpMs: number | null;
  tlsMs: number | null;
  upgradeMs: number | null;
  totalMs: number;
}

/** Which step failed, and how. */
export interface HandshakeFailure {
  readonly step: 'dns' | 'tcp' | 'tls' | 'upgrade';
  readonly kind: 'timeout' | 'refused' | 'error' | 'http-status' | 'closed' | 'bad-handshake' | 'aborted';
  /** The HTTP status of a rejected upgrade. */
  readonly status?: number;
  /** One sentence: what happened and what it usually means. */
  readonly message: string;
}

/** A finished handshake: the open socket, or the failure. */
export type HandshakeResult =
  | { readonly ok: true; readonly socket: Duplex; readonly head: Buffer; readonly address: string; readonly protocol: string; readonly extensions: string; readonly timings: HandshakeTimings }
  | { readonly ok: false; readonly failure: HandshakeFailure; readonly timings: HandshakeTimings };

class StepError extends Error {
  constructor(readonly failure: HandshakeFailure) {
    super(failure.message);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Races `work` against the step's bound and the abort signal; `cleanup` runs on a timeout or abort. */
function bounded<T>(step: HandshakeFailure['step'], work: Promise<T>, target: HandshakeTarget, signal: AbortSignal, what: string, cleanup: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (failure: HandshakeFailure): void => {
      cleanup();
      done();
      reject(new StepError(failure));
    };
    const onAbort = (): void => fail({ step, kind: 'aborted', message: `interrupted during ${what}` });
    const timer = setTimeout(() => fail({ step, kind: 'timeout', message: `${what} did not complete within ${seconds(target.timeoutMs)}` + hangHint(step) }), target.timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function hangHint(step: HandshakeFailure['step']): string {
  if (step === 'tcp') return ': often a firewall that drops packets, or a host that is down';
  if (step === 'upgrade') return ': the connection was accepted but the upgrade got no answer in that time (often a proxy that holds upgrades, or an overloaded server)';
  return '';
}

const statusHints: Readonly<Record<number, string>> = {
  200: 'answered like a plain HTTP request: a proxy or server on this path does not pass WebSocket upgrades',
  400: 'the server rejected the request (a wrong path, a missing header or a bad origin)',
  401: 'authentication failed or is missing: check the token, cookie or Authorization header',
  403: 'forbidden: the origin, the token or an IP rule',
  404: 'no WebSocket endpoint at this path',
  426: 'the server wants another protocol version',
  429: 'rate limited: too many connections or attempts',
  502: 'a proxy got no valid answer from the server behind it (the server is down or not listening)',
  503: 'the service is unavailable (shutting down, overloaded, or no healthy upstream)',
  504: 'a proxy timed out waiting for the server behind it',
};

function upgradeFailure(status: number, statusText: string): HandshakeFailure {
  const hint = statusHints[status] ?? (status >= 500 ? 'a server or gateway error' : 'the upgrade was not accepted');
  return { step: 'upgrade', kind: 'http-status', status, message: `the upgrade was answered with HTTP ${status} ${statusText}`.trimEnd() + `: ${hint}` };
}

function socketFailure(step: HandshakeFailure['step'], error: NodeJS.ErrnoException, target: HandshakeTarget): HandshakeFailure {
  const where = `${target.url.hostname}:${port(target.url)}`;
  if (step === 'dns') return { step, kind: 'error', message: `DNS lookup of ${target.url.hostname} failed (${error.code ?? error.message})` };
  if (error.code === 'ECONNREFUSED') return { step, kind: 'refused', message: `connection refused by ${where}: nothing listens on that port, or a firewall rejects connections to it` };
  if (step === 'tls') {
    const hint = /self[- ]signed|UNABLE_TO_VERIFY|CERT/i.test(`${error.code ?? ''} ${error.message}`) ? ' (--insecure accepts a self-signed certificate)' : '';
    return { step, kind: 'error', message: `TLS failed: ${error.code ?? 'error'}: ${error.message}${hint}` };
  }
  if (step === 'upgrade' && (error.code === 'ECONNRESET' || error.message === 'socket hang up')) {
    return { step, kind: 'closed', message: 'the connection was closed during the upgrade, without an HTTP answer: often a proxy or firewall that drops WebSocket upgrades, or a server that crashed' };
  }
  return { step, kind: 'error', message: `${step.toUpperCase()} failed: ${error.code ?? 'error'}: ${error.message}` };
}

function port(url: URL): number {
  return url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
}

/** Performs the opening handshake step by step; never throws. */
export async function handshake(target: HandshakeTarget, signal: AbortSignal): Promise<HandshakeResult> {
  const timings: HandshakeTimings = { dnsMs: null, tcpMs: null, tlsMs: null, upgradeMs: null, totalMs: 0 };
  const started = performance.now();
  const since = (t: number): number => Math.round((performance.now() - t) * 10) / 10;
  let current: HandshakeFailure['step'] = 'dns';
  let socket: Duplex | null = null;
  try {
    const host = target.url.hostname.replace(/^\[|\]$/g, '');
    let address = host;
    if (net.isIP(host) === 0) {
      const t = performance.now();
      address = (await bounded('dns', lookup(host), target, signal, 'DNS lookup', () => undefined)).address;
      timings.dnsMs = since(t);
    }

    current = 'tcp';
    let t = performance.now();
    const tcp = net.connect({ host: address, port: port(target.url) });
    socket = tcp;
    await bounded('tcp', once(tcp, 'connect'), target, signal, 'TCP connect', () => tcp.destroy());
    timings.tcpMs = since(t);

    if (target.url.protocol === 'wss:') {
      current = 'tls';
      t = performance.now();
      const secure = tls.connect({ socket: tcp, servername: net.isIP(host) === 0 ? host : undefined, rejectUnauthorized: !target.insecure, ALPNProtocols: ['http/1.1'] });
      socket = secure;
      await bounded('tls', once(secure, 'secureConnect'), target, signal, 'TLS handshake', () => secure.destroy());
      timings.tlsMs = since(t);
    }

    current = 'upgrade';
    t = performance.now();
    const upgraded = await bounded('upgrade', upgrade(target, socket), target, signal, 'the HTTP upgrade', () => socket?.destroy());
    timings.upgradeMs = since(t);
    timings.totalMs = since(started);
    return { ok: true, ...upgraded, address, timings };
  } catch (error) {
    socket?.destroy();
    timings.totalMs = since(started);
    const failure = error instanceof StepError ? error.failure : socketFailure(current, error as NodeJS.ErrnoException, target);
    return { ok: false, failure, timings };
  }
}

/** Resolves on `event`, rejects on `error`. */
function once(emitter: net.Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once(event, () => {
      emitter.off('error', reject);
      resolve();
    });
    emitter.once('error', reject);
  });
}

function upgrade(target: HandshakeTarget, socket: Duplex): Promise<{ socket: Duplex; head: Buffer; protocol: string; extensions: string }> {
  const key = randomBytes(16).toString('base64');
  const headers: Record<string, string> = { ...target.headers, Host: target.url.host, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' };
  if (target.protocols.length > 0) headers['Sec-WebSocket-Protocol'] = target.protocols.join(', ');
  return new Promise((resolve, reject) => {
    const request = http.request({ method: 'GET', path: `${target.url.pathname}${target.url.search}`, headers, createConnection: () => socket });
    request.on('response', (response) => {
      response.resume();
      socket.destroy();
      reject(new StepError(upgradeFailure(response.statusCode ?? 0, response.statusMessage ?? '')));
    });
    request.on('upgrade', (response, upgradedSocket: Duplex, head: Buffer) => {
      const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const protocol = String(response.headers['sec-websocket-protocol'] ?? '');
      const fail = (message: string): void => {
        upgradedSocket.destroy();
        reject(new StepError({ step: 'upgrade', kind: 'bad-handshake', message }));
      };
      if (response.headers['sec-websocket-accept'] !== expected) return fail('the 101 answer carried a wrong Sec-WebSocket-Accept: something between the probe and the server rewrote the handshake');
      if (protocol !== '' && !target.protocols.includes(protocol)) return fail(`the server selected the sub-protocol '${protocol}', which was not offered`);
      if (protocol === '' && target.protocols.length > 0) return fail(`the server selected none of the ${target.protocols.length} sub-protocol(s) offered`);
      resolve({ socket: upgradedSocket, head, protocol, extensions: String(response.headers['sec-websocket-extensions'] ?? '') });
    });
    request.on('error', reject);
    request.end();
  });
}
