/**
 * resilient-websocket: a drop-in `WebSocket` that stays connected.
 *
 * @packageDocumentation
 */

export { ResilientWebSocket } from './resilient-websocket.js';
export type { ResilientWebSocketOptions, ReconnectOptions, HeartbeatOptions, BufferOptions, Provider, WebSocketConstructor, WebSocketLike } from './options.js';
export { defaults } from './options.js';
export { ResilientCloseEvent, StateChangeEvent, ReconnectingEvent, GiveUpEvent, DropEvent, DiagnosisEvent, type ResilientWebSocketEventMap } from './events.js';
export { classifyCode, classifyClose, CloseClass, type CloseFacts, type CloseClassification, type Initiator, type Phase } from './close-codes.js';
export { decide, defaultPolicy, presets, type Decision, type PolicyContext, type PolicyFunction, type PolicyOptions, type PolicyRange, type PolicyRule } from './policy.js';
export { computeDelay, BackoffStrategy, type BackoffOptions } from './backoff.js';
export { explainClose, redactUrl, redactUrls, knownIdleTimeouts, type CloseReport, type CloseSummary, type LibraryCause } from './report.js';
export { OverflowPolicy, type SendData } from './buffer.js';
export { browserEnvironment, staticEnvironment, type Environment, type EnvironmentSignal } from './environment.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { ResilientWebSocketError, isResilientWebSocketError, ErrorCode } from './errors.js';
export type { Status, PauseReason, ClosedCause } from './state-machine.js';
export { createSocketStore, connectingSnapshot, closedSnapshot, type SocketSnapshot, type SocketStore } from './store.js';
export { leaseSocket, findSharedSocket, socketKey, type SocketLease } from './shared.js';
export { diagnose, type Cause, type Confidence, type Diagnosis, type DiagnosisContext, type DiagnoseFunction, type Finding, type SignalRecord } from './diagnosis/index.js';
export { logClose, type CloseLogEntry, type LogFunction, type Logger, type LogLevel } from './close-log.js';
