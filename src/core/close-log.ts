/**
 * Close logging: one stable line per close, and a structured entry with it,
 * for the `logger` and `debug` options. The line is what 1006 guides tell
 * you to add by hand ("log every close with code, reason and duration"),
 * with what the library knows besides.
 *
 * @module
 */

import type { Diagnosis } from '../diagnosis/types.js';
import type { CloseReport } from './report.js';

/**
 * The level of a log line: `info` for closes by the application; `error`
 * when the socket stops for good after any other close; `info` for an
 * orderly close by the server that is retried (1000, 1001, 1012); `warn`
 * for the rest (1006 and every other code that is retried).
 */
export type LogLevel = 'info' | 'warn' | 'error';

/** The structured entry that goes with each line. */
export interface CloseLogEntry {
  /** The level the line was written at. */
  readonly level: LogLevel;
  /** The close (its URL redacted). */
  readonly report: CloseReport;
  /** The diagnosis, when it changed with this close (only with the `diagnose` option); else `null`. */
  readonly diagnosis: Diagnosis | null;
}

/** A log function: receives the line and its entry. */
export type LogFunction = (line: string, entry: CloseLogEntry) => void;

/** A logger object (`console`, or anything with the three methods): called as `logger[level](line, entry)`. */
export interface Logger {
  /** Closes by the application, and orderly server closes (1000, 1001, 1012) that are retried. */
  info(line: string, entry: CloseLogEntry): void;
  /** Other closes that will be retried (1006, 1008, 1011...). */
  warn(line: string, entry: CloseLogEntry): void;
  /** Closes after which the socket stops (policy, retries exhausted). */
  error(line: string, entry: CloseLogEntry): void;
}

const inSeconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`);

/**
 * Writes the line of a close to `logger`. The format, fields in this order,
 * durations in seconds with one decimal, `-` for an unknown value, strings
 * JSON-quoted:
 *
 * ```text
 * resilient-websocket close code=1006 reason="" clean=false class=abnormal initiator=network phase=open open=60.0s silent=60.0s decision=reconnect delay=0.4s url=wss://example.com/live?token=*** diagnosis="idle-timeout (medium confidence): ..."
 * ```
 *
 * `clean` is `wasClean`, `open` the open duration, `silent` the time since
 * the last inbound message, `decision` the action and `delay` the wait
 * before the next attempt. `diagnosis=` (the diagnosis summary) appears only
 * when the diagnosis changed with this close; a change when a connection
 * opens is announced by the `diagnosis` event only. The URL is the
 * report's, userinfo and query values masked; no message is ever logged.
 */
export function logClose(logger: Logger | LogFunction, report: CloseReport, diagnosis: Diagnosis | null): void {
  const { code } = report;
  const level: LogLevel = report.initiator === 'client' ? 'info' : report.decision.action === 'stop' ? 'error' : code === 1000 || code === 1001 || code === 1012 ? 'info' : 'warn';
  const line =
    `resilient-websocket close code=${code} reason=${JSON.stringify(report.reason)} clean=${report.wasClean} class=${report.class} initiator=${report.initiator} phase=${report.phase} ` +
    `open=${inSeconds(report.openDurationMs)} silent=${inSeconds(report.sinceLastMessageMs)} decision=${report.decision.action} delay=${inSeconds(report.delayMs)} url=${report.url}` +
    (diagnosis ? ` diagnosis=${JSON.stringify(diagnosis.summary)}` : '');
  const entry: CloseLogEntry = { level, report, diagnosis };
  if (typeof logger === 'function') logger(line, entry);
  else logger[level](line, entry);
}
