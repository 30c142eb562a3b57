/**
 * Stand-in for src/core/close-log.ts in the "without close logging"
 * variant.
 *
 * @module
 */

export type { CloseLogEntry, LogFunction, Logger, LogLevel } from '../../../src/core/close-log.js';

export function logClose(): void {}
