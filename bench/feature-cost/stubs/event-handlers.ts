/**
 * Stand-in for src/core/event-handlers.ts in the "without exact native
 * behaviour" variant: no `on*` attributes (the variant defines only the
 * constants, so nothing calls this).
 *
 * @module
 */

export type { EventHandler } from '../../../src/core/event-handlers.js';

/** Defines nothing. */
export function defineEventHandlers(): void {}
