/**
 * The `on*` event handler attributes of the DOM: one listener per
 * attribute, registered when first set, kept in place when replaced,
 * removed when set to anything that is not a function. Defined on a
 * prototype as WebIDL defines them: enumerable, configurable accessors.
 *
 * @module
 */

/** A handler attribute's value. */
export type EventHandler<T, E extends Event> = ((this: T, event: E) => unknown) | null;

/** An attribute's handler and the one listener that calls it. */
interface Entry {
  handler: (this: EventTarget, event: Event) => unknown;
  readonly listener: (event: Event) => void;
}

/** Each target's attributes, by event type; made when the target's first one is set (most code uses addEventListener only). */
const attributes = /* @__PURE__ */ new WeakMap<EventTarget, Map<string, Entry>>();

/**
 * Defines `on<type>` for each of `types` on `prototype`: reading gives the
 * handler or `null`, setting a function registers it (once, in the place of
 * the first one set), setting anything else removes it.
 */
export function defineEventHandlers(prototype: EventTarget, types: readonly string[]): void {
  for (const type of types) {
    Object.defineProperty(prototype, `on${type}`, {
      get(this: EventTarget) {
        return attributes.get(this)?.get(type)?.handler ?? null;
      },
      set(this: EventTarget, handler: unknown) {
        let entries = attributes.get(this);
        if (!entries) attributes.set(this, (entries = new Map<string, Entry>()));
        const current = entries.get(type);
        if (typeof handler !== 'function') {
          if (current) this.removeEventListener(type, current.listener);
          entries.delete(type);
        } else if (current) {
          current.handler = handler as Entry['handler'];
        } else {
          const entry: Entry = { handler: handler as Entry['handler'], listener: (event) => entry.handler.call(this, event) };
          entries.set(type, entry);
          this.addEventListener(type, entry.listener);
        }
      },
      enumerable: true,
      configurable: true,
    });
  }
}
