/**
 * resilient-websocket: a drop-in `WebSocket` that stays connected.
 *
 * @packageDocumentation
 */

export { ResilientWebSocket } from './core/resilient-websocket.js';
export type { ResilientWebSocketOptions, ReconnectOptions, HeartbeatOptions, BufferOptions, Provider, WebSocketConstructor, WebSocketLike } from './core/options.js';
export { defaults } from './core/options.js';
export { ResilientCloseEvent, StateChangeEvent, ReconnectingEvent, GiveUpEvent, DropEvent, DiagnosisEvent, type ResilientWebSocketEventMap } from './core/events.js';
export { classifyCode, classifyClose, CloseClass, type CloseFacts, type CloseClassification, type Initiator, type Phase } from './core/close-codes.js';
export { decide, defaultPolicy, presets, type Decision, type PolicyContext, type PolicyFunction, type PolicyOptions, type PolicyRange, type PolicyRule } from './core/policy.js';
export { computeDelay, BackoffStrategy, type BackoffOptions } from './core/backoff.js';
export { explainClose, redactUrl, redactUrls, knownIdleTimeouts, type CloseReport, type CloseSummary, type LibraryCause } from './core/report.js';
export { OverflowPolicy, type SendData } from './core/buffer.js';
export { browserEnvironment, staticEnvironment, type Environment, type EnvironmentSignal } from './core/environment.js';
export { systemClock, type Clock, type TimerHandle } from './core/clock.js';
export { ResilientWebSocketError, isResilientWebSocketError, ErrorCode } from './core/errors.js';
export type { Status, PauseReason, ClosedCause } from './core/state-machine.js';
export { createSocketStore, connectingSnapshot, closedSnapshot, type SocketSnapshot, type SocketStore } from './core/store.js';
export { leaseSocket, findSharedSocket, socketKey, type SocketLease } from './core/shared.js';
export { diagnose, type Cause, type Confidence, type Diagnosis, type DiagnosisContext, type DiagnoseFunction, type Finding, type SignalRecord } from './diagnosis/index.js';
export { logClose, type CloseLogEntry, type LogFunction, type Logger, type LogLevel } from './core/close-log.js';
