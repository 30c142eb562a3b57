/**
 * Stand-in for src/core/event-handlers.ts in the "without exact native
 * behaviour" variant: `on*` attributes that read `null` and do nothing.
 *
 * @module
 */

export type { EventHandler } from '../../../src/core/event-handlers.js';

/** No `on*` handlers. */
export class EventHandlerAttributes {
  get(): null {
    return null;
  }
  set(): void {}
}
