/**
 * The client options a probe's measurements call for, as data and as a
 * snippet to paste. Pure.
 *
 * @module
 */

import type { IdleReport, ProbeReport } from './probe.js';
import { mask } from './secrets.js';
import { intervalFor, seconds } from './verdict.js';

/** Recommended client options, and why. */
export interface Recommendation {
  /** The options object for `new ResilientWebSocket(url, protocols, options)`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** One line per choice, saying why. */
  readonly notes: readonly string[];
  /** The options as TypeScript to paste. */
  readonly snippet: string;
}

/** Why no idle timeout is known, in words: the idle step was skipped, saw none within its bound, or came too late. */
function unmeasured(idle: IdleReport | null): string {
  if (idle === null) return 'the idle step did not run';
  if (idle.endedBefore) return 'the connection ended before the idle step';
  return `none within ${seconds(idle.maxMs)} of silence`;
}

/** What the report calls for. */
export function recommend(report: Pick<ProbeReport, 'handshake' | 'appPing' | 'idle' | 'keepalive' | 'protocols'>): Recommendation {
  const options: Record<string, unknown> = {};
  const notes: string[] = [];
  const idleMs = report.idle?.timeoutMs ?? null;
  const ping = report.appPing;
  if (ping !== null && ping.answered > 0) {
    const intervalMs = idleMs === null ? 25_000 : intervalFor(idleMs);
    const heartbeat: Record<string, unknown> = { intervalMs, timeoutMs: Math.min(10_000, Math.max(intervalMs, 1000)) };
    if (ping.ping !== 'ping') heartbeat.message = ping.ping;
    if (ping.pong !== 'pong') heartbeat.isPong = ping.pong;
    options.heartbeat = heartbeat;
    if (idleMs === null) {
      notes.push(`heartbeat: the server answers '${ping.ping}'; no idle timeout was seen (${unmeasured(report.idle)}), so the default 25 s interval, which beats the common 30-100 s idle timeouts but not a shorter one`);
    } else {
      const keepalive = report.keepalive?.failure === null ? report.keepalive : null;
      const checked =
        keepalive === null
          ? `--keepalive ${intervalMs} checks it`
          : keepalive.survived
            ? `--keepalive ${keepalive.intervalMs} held a connection past it`
            : `--keepalive ${keepalive.intervalMs} did not hold a connection past it`;
      notes.push(`heartbeat: a ping after ${intervalMs} ms of silence, at most half the ${seconds(idleMs)} of silence after which the connection dropped (${checked})`);
    }
  } else if (ping !== null) {
    options.heartbeat = false;
    notes.push(`heartbeat: off until the server answers '${ping.ping}' with '${ping.pong}' (resilient-websocket/server does); a heartbeat nobody answers would close healthy connections`);
  }
  const totalMs = report.handshake?.ok === true ? report.handshake.timings.totalMs : null;
  if (totalMs !== null && totalMs * 4 > 10_000) {
    options.connectTimeoutMs = Math.ceil((totalMs * 4) / 1000) * 1000;
    notes.push(`connectTimeoutMs: the one handshake measured took ${Math.round(totalMs)} ms; allow four times that`);
  }
  if (report.protocols.includes(mask)) notes.push(`protocols: the ${report.protocols.length} sub-protocol(s) you offered with -p, in that order (not shown: sub-protocols may carry tokens)`);
  return { options, notes, snippet: snippet(options, report.protocols) };
}

function snippet(options: Record<string, unknown>, protocols: readonly string[]): string {
  const render = (value: unknown): string => {
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).map(([key, v]) => (key === 'isPong' ? `isPong: (data) => data === ${JSON.stringify(v)}` : `${key}: ${render(v)}`));
      return `{ ${entries.join(', ')} }`;
    }
    return typeof value === 'number' ? value.toLocaleString('en-US').replaceAll(',', '_') : JSON.stringify(value);
  };
  const lines = Object.entries(options).map(([key, value]) => `  ${key}: ${render(value)},`);
  const protocolArgument = protocols.length === 0 ? 'undefined' : protocols.includes(mask) ? 'protocols' : JSON.stringify(protocols);
  return [`const ws = new ResilientWebSocket(url, ${protocolArgument}, {`, ...lines, '});'].join('\n');
}
