/**
 * resilient-websocket/server: the other end of the line, for the `ws`
 * package on Node. Answers the client heartbeat, pings clients and ends the
 * dead ones, logs every close, and shuts down with 1012 or 1001 instead of
 * handing every client a 1006.
 *
 * Node only; `ws` is an optional peer dependency (its types come from
 * `@types/ws`). Nothing here is loaded by the core entry, and nothing here
 * loads browser code.
 *
 * @packageDocumentation
 */

export { ServerCompanion, type ServerCompanionEventMap } from './companion.js';
export { companionDefaults, type ServerCompanionOptions, type HeartbeatAnswerOptions, type KeepaliveOptions } from './options.js';
export { formatCloseRecord, type CloseRecord, type CompanionCause } from './record.js';
export { planBatches, shutdownBatchStepMs, type ShutdownOptions, type ShutdownResult } from './shutdown.js';
