/**
 * The socket's events as data and back: the leader turns each event of its
 * socket into a {@link RelayedEvent} for the channel, and every tab turns
 * it into the same event class the socket dispatches.
 *
 * @module
 */

import {
  classifyCode,
  DiagnosisEvent,
  explainClose,
  GiveUpEvent,
  ReconnectingEvent,
  redactUrl,
  ResilientCloseEvent,
  type CloseReport,
  type CloseSummary,
  type DiagnosisEvent as DiagnosisEventType,
  type GiveUpEvent as GiveUpEventType,
  type ReconnectingEvent as ReconnectingEventType,
  type ResilientCloseEvent as CloseEventType,
  type StateChangeEvent,
} from 'resilient-websocket';
import type { RelayedEvent } from './protocol.js';

// The casts read events of the socket, which made them with these classes.
/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment */
/** The relayed form of an event of the leader's socket, or `null` for one that is not relayed (`message`, `drop`). */
export function toRelayed(event: Event): RelayedEvent | null {
  switch (event.type) {
    case 'open':
    case 'error':
      return { type: event.type };
    case 'statechange': {
      const { from, to, cause } = event as StateChangeEvent;
      return { type: 'statechange', from, to, cause };
    }
    case 'close':
      return { type: 'close', report: (event as CloseEventType).report };
    case 'reconnecting': {
      const { attempt, delayMs, report } = event as ReconnectingEventType;
      return { type: 'reconnecting', attempt, delayMs, report };
    }
    case 'giveup': {
      const { reason, report } = event as GiveUpEventType;
      return { type: 'giveup', reason, report };
    }
    case 'diagnosis':
      return { type: 'diagnosis', diagnosis: (event as DiagnosisEventType).diagnosis };
    default:
      return null;
  }
}

/* eslint-enable @typescript-eslint/no-unsafe-class-instance-assignment */

/** The event a tab dispatches for a relayed one (`statechange` is the tab's own, see the socket). */
export function toEvent(relayed: Exclude<RelayedEvent, { type: 'statechange' }>): Event {
  switch (relayed.type) {
    case 'open':
    case 'error':
      return new Event(relayed.type);
    case 'close':
      return new ResilientCloseEvent(relayed.report);
    case 'reconnecting':
      return new ReconnectingEvent(relayed.attempt, relayed.delayMs, relayed.report);
    case 'giveup':
      return new GiveUpEvent(relayed.reason, relayed.report);
    case 'diagnosis':
      return new DiagnosisEvent(relayed.diagnosis);
  }
}

/** What a tab knows when it closes its own view of the shared connection. */
export interface ClientClose {
  readonly code: number | undefined;
  readonly reason: string;
  readonly url: string;
  readonly attempt: number;
  readonly at: number;
  /** When the tab last saw the connection open, or `null`. */
  readonly openedAt: number | null;
  /** When its last message arrived, or `null`. */
  readonly lastMessageAt: number | null;
  readonly online: boolean | null;
  readonly visible: boolean | null;
}

/**
 * The report of a tab that closed its view while another tab holds the
 * connection: closed by the application, clean, no reconnect, as the
 * socket reports its own `close()`.
 */
export function clientCloseReport(close: ClientClose): CloseReport {
  const code = close.code ?? 1005;
  const summary: CloseSummary = {
    code,
    reason: close.reason,
    wasClean: true,
    class: classifyCode(code),
    initiator: 'client',
    phase: close.openedAt === null ? 'handshake' : 'open',
    libraryCause: null,
    url: redactUrl(close.url),
    attempt: close.attempt,
    at: close.at,
    openDurationMs: close.openedAt === null ? null : close.at - close.openedAt,
    sinceLastMessageMs: close.openedAt === null ? null : close.at - (close.lastMessageAt ?? close.openedAt),
    sinceLastPongMs: null,
    errorFirst: false,
    online: close.online,
    visible: close.visible,
  };
  return { ...summary, decision: { action: 'stop', reason: 'closed by the application' }, delayMs: null, explanation: explainClose(summary) };
}
