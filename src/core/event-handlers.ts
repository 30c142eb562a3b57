/**
 * The `on*` event handler attributes of the DOM: one listener per
 * attribute, registered when first set, kept in place when replaced,
 * removed when set to anything that is not a function.
 *
 * @module
 */

/** A handler attribute's value. */
export type EventHandler<T, E extends Event> = ((this: T, event: E) => unknown) | null;

/** The `on*` attributes of one event target. */
export class EventHandlerAttributes<T extends EventTarget> {
  readonly #target: T;
  readonly #entries = new Map<string, { handler: (this: T, event: Event) => unknown; listener: (event: Event) => void }>();

  /** @param target - where the listeners go, and the handlers' `this` */
  constructor(target: T) {
    this.#target = target;
  }

  /** The handler for `type`, or `null`. */
  get(type: string): EventHandler<T, Event> {
    return this.#entries.get(type)?.handler ?? null;
  }

  /** Sets the handler for `type`; a non-function removes it (and reads back as `null`). */
  set(type: string, handler: unknown): void {
    const current = this.#entries.get(type);
    if (typeof handler !== 'function') {
      if (current) this.#target.removeEventListener(type, current.listener);
      this.#entries.delete(type);
      return;
    }
    if (current) {
      current.handler = handler as (this: T, event: Event) => unknown;
      return;
    }
    const entry = {
      handler: handler as (this: T, event: Event) => unknown,
      listener: (event: Event) => {
        entry.handler.call(this.#target, event);
      },
    };
    this.#entries.set(type, entry);
    this.#target.addEventListener(type, entry.listener);
  }
}
