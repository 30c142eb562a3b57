/**
 * A fake browser for the tab tests: one lock manager and one set of
 * broadcast channels shared by several "tabs", each tab with its own
 * lifecycle, so a test can close, crash, freeze or bring back a tab. Locks
 * are granted in request order, as the Web Locks API does; channel
 * messages are structured-cloned and delivered only when the test calls
 * {@link FakeBrowser.settle}, in posting order, never to the sender.
 */

import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';
import type { WebSocketConstructor } from '../../src/index.js';
import type { BroadcastChannelConstructor, BroadcastChannelLike, LockManagerLike, PageLifecycle, PresenceSignal, ShareAcrossTabsOptions } from '../../src/tabs/index.js';
import { fastReconnect } from '../support/harness.js';

interface Request {
  readonly tab: string;
  readonly name: string;
  readonly callback: (lock: unknown) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Held {
  readonly tab: string;
  readonly name: string;
}

class FakeChannel implements BroadcastChannelLike {
  readonly #listeners = new Set<(event: MessageEvent) => void>();
  closed = false;
  constructor(
    readonly browser: FakeBrowser,
    readonly tab: string,
    readonly name: string,
  ) {}
  postMessage(message: unknown): void {
    if (this.closed) throw new DOMException('BroadcastChannel is closed', 'InvalidStateError');
    // Channels made after the post never see it, as with the platform's.
    const to = this.browser.channels.filter((channel) => channel !== this && !channel.closed && channel.name === this.name);
    this.browser.queue.push({ to, data: structuredClone(message) });
    this.browser.posted.push({ tab: this.tab, data: message });
  }
  close(): void {
    this.closed = true;
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.#listeners.size;
  }
  receive(data: unknown): void {
    for (const listener of [...this.#listeners]) listener(new MessageEvent('message', { data }));
  }
}

/** One tab's view of the fake browser: what to pass as the `tabs` option, and its lifecycle to drive. */
export interface FakeTab {
  readonly name: string;
  readonly options: { readonly locks: LockManagerLike; readonly BroadcastChannel: BroadcastChannelConstructor; readonly lifecycle: PageLifecycle };
  /** Fires `leave` (pagehide, freeze), `return` (pageshow from the cache, resume) or `may-leave` (beforeunload) in this tab. */
  signal(signal: PresenceSignal): void;
  /** How many lifecycle subscriptions the tab holds. */
  readonly lifecycleSubscriptions: number;
}

/** The fake browser. */
export class FakeBrowser {
  readonly queue: { to: FakeChannel[]; data: unknown }[] = [];
  /** Every message posted, by tab, as posted. */
  readonly posted: { tab: string; data: unknown }[] = [];
  readonly channels: FakeChannel[] = [];
  readonly #requests: Request[] = [];
  readonly #held: (Held & { release: () => void })[] = [];
  readonly #lifecycles = new Map<string, Set<(signal: PresenceSignal) => void>>();

  /** A new tab of this browser. */
  tab(name: string): FakeTab {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the channel class of this tab is made here, for this browser
    const browser = this;
    const listeners = new Set<(signal: PresenceSignal) => void>();
    this.#lifecycles.set(name, listeners);
    class Channel extends FakeChannel {
      constructor(channelName: string) {
        super(browser, name, channelName);
        browser.channels.push(this);
      }
    }
    const locks: LockManagerLike = {
      request: (lockName, options, callback) =>
        new Promise((resolve, reject) => {
          const request: Request = { tab: name, name: lockName, callback, resolve, reject };
          options.signal?.addEventListener('abort', () => {
            const index = this.#requests.indexOf(request);
            if (index < 0) return;
            this.#requests.splice(index, 1);
            reject(new DOMException('aborted', 'AbortError'));
          });
          this.#requests.push(request);
          this.#grant();
        }),
    };
    return {
      name,
      options: { locks, BroadcastChannel: Channel, lifecycle: { subscribe: (notify) => (listeners.add(notify), () => listeners.delete(notify)) } },
      signal: (signal) => [...listeners].forEach((notify) => notify(signal)),
      get lifecycleSubscriptions() {
        return listeners.size;
      },
    };
  }

  /** The tab holding lock `name`, if any. */
  holder(name?: string): string | undefined {
    return this.#held.find((held) => name === undefined || held.name === name)?.tab;
  }

  /** How many lock requests wait. */
  get waiting(): number {
    return this.#requests.length;
  }

  /** Open channels of `tab` (all tabs without it) with a listener. */
  listening(tab?: string): number {
    return this.channels.filter((channel) => !channel.closed && (tab === undefined || channel.tab === tab) && channel.listenerCount > 0).length;
  }

  /** The tab's process dies: its channels stop, its locks and requests go, and it runs no more code of ours. */
  crash(tab: string): void {
    for (const channel of this.channels) if (channel.tab === tab) channel.closed = true;
    for (let index = this.#requests.length - 1; index >= 0; index--) if (this.#requests[index]!.tab === tab) this.#requests.splice(index, 1);
    for (const held of this.#held.filter((entry) => entry.tab === tab)) held.release();
    this.#lifecycles.get(tab)?.clear();
  }

  /** Delivers every queued message and runs the microtasks (lock grants) in between, until nothing is left. */
  async settle(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const next = this.queue.shift();
      if (next === undefined) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.queue.length === 0) return;
        continue;
      }
      for (const channel of next.to) if (!channel.closed) channel.receive(structuredClone(next.data));
    }
    throw new Error('FakeBrowser.settle(): messages kept coming');
  }

  #grant(): void {
    for (const request of [...this.#requests]) {
      if (this.#held.some((held) => held.name === request.name)) continue;
      this.#requests.splice(this.#requests.indexOf(request), 1);
      let released = false;
      const entry = {
        tab: request.tab,
        name: request.name,
        release: () => {
          if (released) return;
          released = true;
          this.#held.splice(this.#held.indexOf(entry), 1);
          this.#grant();
        },
      };
      this.#held.push(entry);
      request.callback({ name: request.name }).then(
        (value) => {
          entry.release();
          request.resolve(value);
        },
        (error: unknown) => {
          entry.release();
          request.reject(error);
        },
      );
    }
  }
}

/** What {@link wrapperTabOptions} gives: options every wrapper and `shareAcrossTabs()` take. */
export interface WrapperTabOptions {
  readonly WebSocket: WebSocketConstructor;
  readonly reconnect: typeof fastReconnect;
  readonly key: string;
  readonly tabs: NonNullable<ShareAcrossTabsOptions['tabs']>;
}

/**
 * The options of one "tab" in a wrapper test (test/tabs/react, vue and
 * svelte): one object for `shareAcrossTabs()` and for the wrapper. The
 * tab's view of `browser`'s locks, Node's BroadcastChannel between the tabs
 * (they run in one realm), a wrappers' `key` of the tab's own, so their
 * store entries stay apart as two realms would keep them, and one
 * `tabs.key` that puts every tab in the same group.
 */
export function wrapperTabOptions(browser: FakeBrowser, WebSocket: WebSocketConstructor, name: string): WrapperTabOptions {
  const tab = browser.tab(name);
  return {
    WebSocket,
    reconnect: fastReconnect,
    key: `tab ${name}`,
    tabs: { ...tab.options, BroadcastChannel: NodeBroadcastChannel as unknown as BroadcastChannelConstructor, key: 'feed' },
  };
}
