/**
 * What a close code means: the classification table of RFC 6455 section
 * 7.4 and the IANA registry, with no opinion on what to do about it (that
 * is {@link decide}'s job, in `policy.ts`).
 *
 * @module
 */

/** The class of a close code. */
export const CloseClass = {
  /** 1000: the peer finished on purpose. */
  Normal: 'normal',
  /** 1001: the server is shutting down or the page is navigating away. */
  GoingAway: 'going-away',
  /** 1002: a protocol error. */
  ProtocolError: 'protocol-error',
  /** 1003: the peer cannot accept this type of data. */
  UnsupportedData: 'unsupported-data',
  /** 1005: a close frame without a status code. */
  NoStatus: 'no-status',
  /** 1006: no close frame at all (network, crash, proxy, half-open TCP, timeouts). */
  Abnormal: 'abnormal',
  /** 1007: a message was not consistent with its type (bad UTF-8). */
  InvalidPayload: 'invalid-payload',
  /** 1008: a policy violation, often authentication. */
  PolicyViolation: 'policy-violation',
  /** 1009: a message was too big. */
  MessageTooBig: 'message-too-big',
  /** 1010: the client required an extension the server did not offer. */
  MandatoryExtension: 'mandatory-extension',
  /** 1011: the server hit an unexpected condition. */
  ServerError: 'server-error',
  /** 1012: the service is restarting. */
  ServiceRestart: 'service-restart',
  /** 1013: try again later (overload). */
  TryAgainLater: 'try-again-later',
  /** 1014: a gateway got a bad response upstream. */
  BadGateway: 'bad-gateway',
  /** 1015: the TLS handshake failed. */
  TlsHandshake: 'tls-handshake',
  /** 1004 and 1016-2999: reserved by the protocol, unassigned. */
  Reserved: 'reserved',
  /** 3000-3999: registered with IANA for libraries and frameworks. */
  Registered: 'registered',
  /** 4000-4999: private use by applications. */
  Application: 'application',
  /** Anything outside 1000-4999 (should never reach a client). */
  Invalid: 'invalid',
} as const;

/** One of the {@link CloseClass} values. */
export type CloseClass = (typeof CloseClass)[keyof typeof CloseClass];

// Literal values, not CloseClass.X reads, here and in classifyCode: a bundler keeps the object for
// any property read, even where the application never imports it.

/** Every close class, in the order of {@link CloseClass} (a unit test holds the two together): what a policy may key its rules by. */
export const closeClasses: readonly CloseClass[] = [
  'normal',
  'going-away',
  'protocol-error',
  'unsupported-data',
  'no-status',
  'abnormal',
  'invalid-payload',
  'policy-violation',
  'message-too-big',
  'mandatory-extension',
  'server-error',
  'service-restart',
  'try-again-later',
  'bad-gateway',
  'tls-handshake',
  'reserved',
  'registered',
  'application',
  'invalid',
];

/** The class of each code from 1000 on, by its offset. */
const byCode: readonly CloseClass[] = [
  'normal',
  'going-away',
  'protocol-error',
  'unsupported-data',
  'reserved',
  'no-status',
  'abnormal',
  'invalid-payload',
  'policy-violation',
  'message-too-big',
  'mandatory-extension',
  'server-error',
  'service-restart',
  'try-again-later',
  'bad-gateway',
  'tls-handshake',
];

/**
 * The class of a close code.
 *
 * @example
 * ```ts
 * classifyCode(1006); // 'abnormal'
 * classifyCode(4001); // 'application'
 * ```
 */
export function classifyCode(code: number): CloseClass {
  if (!Number.isInteger(code) || code < 1000 || code > 4999) return 'invalid';
  return byCode[code - 1000] ?? (code < 3000 ? 'reserved' : code < 4000 ? 'registered' : 'application');
}

/** Who ended a connection. */
export type Initiator = 'client' | 'server' | 'library' | 'network';

/** Whether the connection had opened before it ended. */
export type Phase = 'handshake' | 'open';

/** The raw facts of one close, as the native `close` event gives them, plus who asked for it. */
export interface CloseFacts {
  /** The close code the client saw. */
  readonly code: number;
  /** The close reason the client saw. */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
  /** Whether the socket had opened. */
  readonly opened: boolean;
  /** Who decided to close, when it was not the peer or the network. */
  readonly requestedBy?: 'client' | 'library' | undefined;
}

/** What {@link classifyClose} concludes from {@link CloseFacts}. */
export interface CloseClassification {
  /** The class of the code. */
  readonly class: CloseClass;
  /** Who ended the connection. */
  readonly initiator: Initiator;
  /** Whether it ended before or after `open`. */
  readonly phase: Phase;
}

/**
 * Classifies one close: the class of its code, who ended it and in which
 * phase. Pure; it decides nothing.
 *
 * A close the application or the library asked for is theirs whatever the
 * code; otherwise a 1006 (no close frame) is the network's doing and any
 * other code came from the server.
 */
export function classifyClose(facts: CloseFacts): CloseClassification {
  const initiator: Initiator =
    facts.requestedBy ?? (facts.code === 1006 ? 'network' : 'server');
  return { class: classifyCode(facts.code), initiator, phase: facts.opened ? 'open' : 'handshake' };
}
