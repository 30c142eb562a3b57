/**
 * The probe: what a person does by hand with `wscat` (connect, ping, wait
 * in silence, note when the connection dies), measured. Each step writes
 * into the report as it goes, so an interrupted probe still has everything
 * measured so far.
 *
 * @module
 */

import { redactUrl } from '../core/report.js';
import { ProbeConnection, type ConnectionEnd } from './connection.js';
import { handshake as openHandshake, type HandshakeFailure, type HandshakeResult, type HandshakeTarget, type HandshakeTimings } from './handshake.js';
import type { Progress } from './progress.js';
import { recommend, type Recommendation } from './recommend.js';
import { mask, Secrets } from './secrets.js';
import { idleVerdict } from './verdict.js';

/** What to probe and how. */
export interface ProbeOptions extends HandshakeTarget {
  /** The application ping, and the answer that counts as its pong. */
  readonly ping: string;
  readonly pong: string;
  /** How many application pings to time. */
  readonly pingCount: number;
  /** The longest silence to wait for in the idle step, in ms; 0 skips it. */
  readonly idleMaxMs: number;
  /** A heartbeat interval to check against the idle timeout, in ms, or `null`. */
  readonly keepaliveMs: number | null;
}

/** The handshake as reported. */
export interface HandshakeReport {
  readonly ok: boolean;
  readonly timings: HandshakeTimings;
  readonly failure: HandshakeFailure | null;
  readonly protocol: string | null;
  readonly extensions: string | null;
}

/** Application pings: how many were answered, and how fast. */
export interface AppPingReport {
  readonly ping: string;
  readonly pong: string;
  readonly sent: number;
  readonly answered: number;
  /** Round-trip times in ms, in order. */
  readonly rttMs: readonly number[];
  /** How long the probe waited for each pong, in ms (`--timeout`). */
  readonly timeoutMs: number;
  /** Whether the connection was still open when the step ended (a ping sent on a dead connection says nothing about the server). */
  readonly connectionOpen: boolean;
}

/** One protocol ping. */
export interface ProtocolPingReport {
  readonly answered: boolean;
  readonly rttMs: number | null;
  /** How long the probe waited for the pong, in ms (`--timeout`). */
  readonly timeoutMs: number;
  /** Whether the connection was still open when the step ended. */
  readonly connectionOpen: boolean;
}

/** The silence test. */
export interface IdleReport {
  readonly maxMs: number;
  /** How the connection ended, or `null` if it survived `maxMs` of silence (or the probe was interrupted). */
  readonly end: Omit<ConnectionEnd, 'at'> | null;
  /** How long the probe waited, in ms. */
  readonly waitedMs: number;
  /** The measured idle timeout: the silence before an end, in ms. */
  readonly timeoutMs: number | null;
  /** How many protocol pings the server sent meanwhile (the probe answered them, as a browser does). */
  readonly serverPings: number;
  /** The connection had ended before the idle step began: nothing was measured. */
  readonly endedBefore: boolean;
  /** The verdict in one sentence. */
  readonly verdict: string;
}

/** The heartbeat check. */
export interface KeepaliveReport {
  readonly intervalMs: number;
  /** How long the probe tried to hold the connection, in ms. */
  readonly targetMs: number;
  readonly heldMs: number;
  readonly survived: boolean;
  readonly end: Omit<ConnectionEnd, 'at'> | null;
  readonly failure: HandshakeFailure | null;
}

/** Everything measured. Fields stay `null` for steps not (yet) taken. */
export interface ProbeReport {
  /** The URL, userinfo and query values masked (`?token=***`). */
  readonly url: string;
  /** The names of the extra headers (their values are never shown). */
  readonly headers: readonly string[];
  /** The sub-protocols offered, each `***` (they may carry tokens) but the one the server selected. */
  protocols: readonly string[];
  handshake: HandshakeReport | null;
  appPing: AppPingReport | null;
  protocolPing: ProtocolPingReport | null;
  idle: IdleReport | null;
  keepalive: KeepaliveReport | null;
  recommendation: Recommendation | null;
  interrupted: boolean;
  /** 0 a clean report, 1 a failed probe (no connection, or the keepalive did not hold), 130 interrupted. */
  exitCode: number;
}

/** An empty report for `options`. */
export function newReport(options: ProbeOptions): ProbeReport {
  return {
    url: redactUrl(options.url.href),
    headers: Object.keys(options.headers),
    protocols: options.protocols.map(() => mask),
    handshake: null,
    appPing: null,
    protocolPing: null,
    idle: null,
    keepalive: null,
    recommendation: null,
    interrupted: false,
    exitCode: 0,
  };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** An end as reported: its time dropped, its reason (the server's text, which may echo a secret) scrubbed. */
const withoutAt = (end: ConnectionEnd | null, secrets: Secrets): Omit<ConnectionEnd, 'at'> | null => (end === null ? null : { how: end.how, code: end.code, reason: secrets.scrub(end.reason), silentMs: end.silentMs });

/** The handshake, with every text the server or Node wrote into its result scrubbed. */
async function handshake(options: ProbeOptions, secrets: Secrets, signal: AbortSignal): Promise<HandshakeResult> {
  const result = await openHandshake(options, signal);
  if (!result.ok) return { ...result, failure: { ...result.failure, message: secrets.scrub(result.failure.message) } };
  return { ...result, extensions: secrets.scrub(result.extensions) };
}

/** Runs every step into `report`; returns when done or aborted. */
export async function probe(options: ProbeOptions, report: ProbeReport, progress: Progress, signal: AbortSignal): Promise<void> {
  const secrets = Secrets.of(options);
  progress.line(`connecting to ${report.url}`);
  const opened = await handshake(options, secrets, signal);
  report.handshake = opened.ok
    ? { ok: true, timings: opened.timings, failure: null, protocol: opened.protocol, extensions: opened.extensions }
    : { ok: false, timings: opened.timings, failure: opened.failure, protocol: null, extensions: null };
  if (!opened.ok) {
    report.exitCode = 1;
    return;
  }
  // The server named the sub-protocol it speaks; the others stay masked.
  report.protocols = options.protocols.map((protocol) => (protocol === opened.protocol ? protocol : mask));
  const connection = new ProbeConnection(opened.socket, opened.head);
  try {
    report.appPing = await appPings(connection, options, signal);
    if (signal.aborted) return;
    report.protocolPing = await protocolPing(connection, options, signal);
    if (signal.aborted) return;
    if (options.idleMaxMs > 0) report.idle = await idle(connection, options, secrets, progress, signal);
  } finally {
    connection.close();
  }
  if (signal.aborted) return;
  if (options.keepaliveMs !== null) {
    report.keepalive = await keepalive(options, secrets, report.idle, progress, signal);
    if (!report.keepalive.survived && !signal.aborted) report.exitCode = 1;
  }
  if (!signal.aborted) report.recommendation = recommend(report);
}

async function appPings(connection: ProbeConnection, options: ProbeOptions, signal: AbortSignal): Promise<AppPingReport> {
  const rttMs: number[] = [];
  let sent = 0;
  for (let i = 0; i < options.pingCount && !signal.aborted; i++) {
    const before = connection.messages.length;
    const sentAt = performance.now();
    connection.sendText(options.ping);
    sent += 1;
    const answered = await connection.until(() => connection.messages.slice(before).some((m) => m.text === options.pong), options.timeoutMs, signal);
    const pong = connection.messages.slice(before).find((m) => m.text === options.pong);
    if (!answered || pong === undefined) break;
    rttMs.push(round(pong.at - sentAt));
  }
  return { ping: options.ping, pong: options.pong, sent, answered: rttMs.length, rttMs, timeoutMs: options.timeoutMs, connectionOpen: connection.end === null };
}

async function protocolPing(connection: ProbeConnection, options: ProbeOptions, signal: AbortSignal): Promise<ProtocolPingReport> {
  const before = connection.pongs.length;
  const sentAt = performance.now();
  connection.sendPing('resilient-websocket probe');
  const answered = await connection.until(() => connection.pongs.length > before, options.timeoutMs, signal);
  const pong = connection.pongs[before];
  return { answered, rttMs: answered && pong !== undefined ? round(pong.at - sentAt) : null, timeoutMs: options.timeoutMs, connectionOpen: connection.end === null };
}

async function idle(connection: ProbeConnection, options: ProbeOptions, secrets: Secrets, progress: Progress, signal: AbortSignal): Promise<IdleReport> {
  const startedAt = performance.now();
  const pingsBefore = connection.serverPings.length;
  const endedBefore = connection.end !== null;
  const wait = progress.wait('idle: staying silent to see whether the connection drops', options.idleMaxMs);
  // The bound counts from the last inbound byte, the moment a proxy's idle clock starts.
  const remainingMs = Math.max(0, options.idleMaxMs - (startedAt - connection.lastInboundAt));
  await connection.until(() => false, remainingMs, signal);
  wait.stop();
  const end = withoutAt(connection.end, secrets);
  const serverPings = connection.serverPings.length - pingsBefore;
  // An end before the step is not an idle timeout: the silence it ended was not the probe's.
  const timeoutMs = end === null || endedBefore ? null : end.silentMs;
  const waitedMs = Math.round(performance.now() - startedAt);
  const facts = { end, timeoutMs, maxMs: options.idleMaxMs, serverPings, interrupted: signal.aborted, waitedMs, endedBefore };
  return { maxMs: options.idleMaxMs, end, waitedMs, timeoutMs, serverPings, endedBefore, verdict: idleVerdict(facts) };
}

async function keepalive(options: ProbeOptions, secrets: Secrets, measured: IdleReport | null, progress: Progress, signal: AbortSignal): Promise<KeepaliveReport> {
  const intervalMs = options.keepaliveMs ?? 0;
  const timeoutMs = measured?.timeoutMs ?? null;
  const targetMs = timeoutMs === null ? 3 * intervalMs : Math.round(timeoutMs + Math.max(1000, timeoutMs / 2));
  const opened = await handshake(options, secrets, signal);
  if (!opened.ok) return { intervalMs, targetMs, heldMs: 0, survived: false, end: null, failure: opened.failure };
  const connection = new ProbeConnection(opened.socket, opened.head);
  const startedAt = performance.now();
  const wait = progress.wait(`keepalive: sending '${options.ping}' every ${intervalMs} ms`, targetMs);
  try {
    while (connection.end === null && !signal.aborted) {
      const leftMs = targetMs - (performance.now() - startedAt);
      if (leftMs <= 0) break;
      await connection.until(() => false, Math.min(intervalMs, leftMs), signal);
      if (connection.end === null && performance.now() - startedAt < targetMs) connection.sendText(options.ping);
    }
  } finally {
    wait.stop();
  }
  const heldMs = Math.round(performance.now() - startedAt);
  const end = withoutAt(connection.end, secrets);
  connection.close();
  return { intervalMs, targetMs, heldMs, survived: end === null && heldMs >= targetMs, end, failure: null };
}
