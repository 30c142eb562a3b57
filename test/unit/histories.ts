/**
 * Close reports as the socket records them, for diagnosis tests: a drop
 * after some silence, a refused or timed-out handshake, a server close, a
 * heartbeat timeout, an application close. Times are absolute (`at`).
 */

import { classifyClose } from '../../src/core/close-codes.js';
import type { CloseReport } from '../../src/core/report.js';

const base = {
  reason: '',
  libraryCause: null,
  url: 'wss://example.com/socket',
  attempt: 0,
  sinceLastPongMs: null,
  errorFirst: false,
  online: true,
  visible: true,
  decision: { action: 'reconnect' },
  delayMs: 500,
  explanation: '',
} as const;

function report(code: number, wasClean: boolean, opened: boolean, fields: Partial<CloseReport> & { at: number }): CloseReport {
  return { ...base, code, wasClean, ...classifyClose({ code, reason: '', wasClean, opened }), openDurationMs: null, sinceLastMessageMs: null, ...fields };
}

/** An open connection dropped without a close frame after `silenceMs` without inbound traffic. */
export function drop(at: number, silenceMs: number, fields: Partial<CloseReport> = {}): CloseReport {
  return report(1006, false, true, { at, openDurationMs: silenceMs + 250, sinceLastMessageMs: silenceMs, ...fields });
}

/** A handshake that failed at once (refused, HTTP 401, TLS...). */
export function refused(at: number, fields: Partial<CloseReport> = {}): CloseReport {
  return report(1006, false, false, { at, errorFirst: true, ...fields });
}

/** A handshake abandoned by the connect timeout. */
export function timedOut(at: number): CloseReport {
  return report(1006, false, false, { at, reason: 'connect timeout', initiator: 'library', libraryCause: 'connect-timeout' });
}

/** A URL provider that failed. */
export function providerFailed(at: number): CloseReport {
  return report(1006, false, false, { at, reason: 'url or protocols provider failed: boom', initiator: 'library', libraryCause: 'provider-failed', errorFirst: true });
}

/** A close frame from the server after `openMs` open. */
export function serverClose(code: number, at: number, openMs = 30_000, fields: Partial<CloseReport> = {}): CloseReport {
  return report(code, true, true, { at, openDurationMs: openMs, sinceLastMessageMs: Math.min(openMs, 500), ...fields });
}

/** The heartbeat declared the connection dead; `pongAgoMs` null when no pong ever came. */
export function heartbeatTimeout(at: number, pongAgoMs: number | null, fields: Partial<CloseReport> = {}): CloseReport {
  return report(1006, false, true, {
    at,
    reason: 'heartbeat timeout',
    initiator: 'library',
    libraryCause: 'heartbeat-timeout',
    openDurationMs: 120_000,
    sinceLastMessageMs: 35_000,
    sinceLastPongMs: pongAgoMs,
    ...fields,
  });
}

/** The application called close(). */
export function appClose(at: number): CloseReport {
  return report(1000, true, true, { at, initiator: 'client', openDurationMs: 5_000, sinceLastMessageMs: 100, decision: { action: 'stop', reason: 'closed by the application' }, delayMs: null });
}

/** The library closed the socket as the page entered the back/forward cache. */
export function pageHidden(at: number): CloseReport {
  return report(1006, false, true, { at, reason: 'page hidden', initiator: 'library', libraryCause: 'page-hidden', openDurationMs: 5_000, sinceLastMessageMs: 100 });
}

/** A drop after `silenceMs`, then `failures` refused handshakes 300 ms apart; the next report (if any) is the success. */
export function crash(at: number, silenceMs: number, failures: number): CloseReport[] {
  return [drop(at, silenceMs), ...Array.from({ length: failures }, (_, i) => refused(at + 300 * (i + 1)))];
}
