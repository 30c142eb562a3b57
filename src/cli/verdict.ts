/**
 * What a measured silence means: the idle timeout named after the
 * intermediary whose default it matches, and the heartbeat that beats it.
 * Pure.
 *
 * @module
 */

import { knownIdleTimeouts } from '../core/report.js';
import type { ConnectionEnd } from './connection.js';

/** What the idle step saw. */
export interface IdleFacts {
  readonly end: Omit<ConnectionEnd, 'at'> | null;
  readonly timeoutMs: number | null;
  readonly maxMs: number;
  readonly serverPings: number;
  readonly interrupted: boolean;
  readonly waitedMs: number;
  /** The connection had ended before the idle step began. */
  readonly endedBefore: boolean;
}

/** Seconds with one decimal: `60.0 s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The known intermediary whose idle timeout `ms` matches (within 3 %, at least 1 s), if any. */
export function matchIdleTimeout(ms: number): { readonly ms: number; readonly who: string } | null {
  return knownIdleTimeouts.find((known) => Math.abs(ms - known.ms) <= Math.max(1000, known.ms * 0.03)) ?? null;
}

/** The measured timeout as a bound to stay below: the known default it matches, else rounded down to 1 s (100 ms under 2 s). */
function bound(ms: number, match: { readonly ms: number } | null): number {
  if (match !== null) return match.ms;
  const step = ms >= 2000 ? 1000 : 100;
  return Math.max(step, Math.floor(ms / step) * step);
}

/** A heartbeat interval that beats an idle timeout of `timeoutMs` with a 2x margin: at most 25 s (the client's default), in whole seconds above 2 s. */
export function intervalFor(timeoutMs: number): number {
  const half = timeoutMs / 2;
  const step = half >= 2000 ? 1000 : 100;
  return Math.max(100, Math.min(25_000, Math.floor(half / step) * step));
}

/** How the connection ended, in words. */
export function describeEnd(end: Omit<ConnectionEnd, 'at'>): string {
  if (end.how === 'close-frame') return `closed with a close frame, code ${end.code ?? 1005}${end.reason === '' ? '' : ` "${end.reason}"`}`;
  if (end.how === 'reset') return 'reset (TCP RST) without a close frame: the browser sees 1006';
  if (end.how === 'error') return 'broken by a socket error without a close frame: the browser sees 1006';
  return 'cut without a close frame (TCP FIN): the browser sees 1006';
}

/**
 * The verdict of the idle step: what was seen, and no more. A silence the
 * connection survived bounds the idle timeout from below only; a drop after
 * a silence is an idle timeout or a limit on connection age (one run cannot
 * tell them apart: `--keepalive` can); the server's own pings may be what
 * kept a connection open.
 */
export function idleVerdict(facts: IdleFacts): string {
  if (facts.endedBefore && facts.end !== null) return `not measured: the connection had already ended before the idle step, ${describeEnd(facts.end)}.`;
  const pings = facts.serverPings > 0 ? `the server sent ${facts.serverPings} protocol ping(s) meanwhile, which the probe answered as a browser does` : '';
  if (facts.end === null || facts.timeoutMs === null) {
    if (facts.interrupted) return `interrupted after ${seconds(facts.waitedMs)} of silence, the connection still open${pings === '' ? '' : `; ${pings}`}.`;
    const survived = `none within ${seconds(facts.maxMs)}: the connection stayed open through ${seconds(facts.maxMs)} of silence from the probe`;
    if (pings !== '') return `${survived}, but ${pings}: they may be what kept it open, and a path or client without them may still time out.`;
    return `${survived}; a longer idle timeout would go unseen (a larger --idle-max looks further).`;
  }
  const after = `dropped after ${seconds(facts.timeoutMs)} of silence, ${describeEnd(facts.end)}`;
  const match = matchIdleTimeout(facts.timeoutMs);
  const cause = match === null ? 'an idle timeout on the path, or a limit on connection age (--keepalive tells them apart)' : `matches ${match.who}`;
  const advice = `set heartbeat.intervalMs below ${bound(facts.timeoutMs, match)}, e.g. ${intervalFor(facts.timeoutMs)}`;
  return `${after}: ${cause}; ${advice}.${pings === '' ? '' : ` Before it, ${pings}.`}`;
}
