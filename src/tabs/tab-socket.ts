/**
 * One connection per browser: every tab gets a socket with the surface of
 * `ResilientWebSocket`, and one real `ResilientWebSocket`, in the tab that
 * holds the group's Web Lock, carries them all. The others follow over a
 * BroadcastChannel. This class holds no decisions of its own beyond who
 * leads: the leader's socket reconnects, beats and decides, the ledger
 * numbers and dedupes, the election is the browser's lock queue.
 *
 * @module
 */

import { ResilientWebSocket, ResilientWebSocketError, StateChangeEvent, DropEvent, browserEnvironment, systemClock } from 'resilient-websocket';
import type { Clock, CloseReport, Diagnosis, Provider, ResilientWebSocketEventMap, SendData, Status } from 'resilient-websocket';
import { optionTypeError } from '../core/errors.js';
import { isDevelopment } from '../core/mode.js';
import { stand, type Candidacy } from './election.js';
import { accept, emptyLedger, Outbox, recordAck, startLeading, stopLeading, type Ledger, type Numbered } from './ledger.js';
import { isUnloadClose, type PresenceSignal } from './lifecycle.js';
import { checkProtocols, normalizeTabOptions, outboxLimits, resolveUrl, type BroadcastChannelLike, type NormalizedTabOptions, type TabSharedWebSocketOptions } from './options.js';
import { groupName, isTabMessage, readyStateOf, type ConnectionView, type RelayedEvent, type TabId, type TabMessage } from './protocol.js';
import { clientCloseReport, toEvent, toRelayed } from './relay.js';

/** What a tab does: runs the shared socket, follows it, or runs one of its own (no Web Locks or BroadcastChannel). */
export type TabMode = 'leader' | 'follower' | 'own';

/** Where the tab is: in the group, away (frozen, in the back/forward cache), or closed by the application. */
type Phase = 'joined' | 'away' | 'closed';

/** Every event a {@link TabSharedWebSocket} dispatches, by name: the socket's, plus `modechange`. */
export interface TabSharedWebSocketEventMap extends ResilientWebSocketEventMap {
  /** The tab took the lead, or stopped leading: read `mode`. */
  modechange: Event;
}

/** The socket's events the leader listens to. */
const socketEvents = ['open', 'message', 'error', 'close', 'statechange', 'reconnecting', 'giveup', 'diagnosis'] as const;

const initialView: ConnectionView = { state: 'connecting', attempt: 0, url: '', protocol: '', extensions: '' };

let tabCount = 0;
const newTabId = (): TabId => (globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`) + `-${++tabCount}`;

/**
 * A socket shared by every tab of the browser that connects to the same
 * URL (and `tabs.key`): one server connection, one heartbeat, one
 * reconnect loop for all of them.
 *
 * - Every tab receives every server message, every `close` report and
 *   `reconnecting` event, and reads the same `state`, `attempt` and
 *   `lastClose`.
 * - `send()` from any tab reaches the server once, in that tab's order,
 *   also while the lead passes from one tab to another.
 * - The leading tab hands over when it closes, navigates, enters the
 *   back/forward cache or is frozen; the next tab in the lock's queue
 *   opens a new connection at once.
 * - Where Web Locks or BroadcastChannel are missing, each tab has a socket
 *   of its own and `mode` reads `'own'`.
 *
 * `close()` closes this tab's view (the others keep the connection; the
 * last tab to close closes it). `reconnect()` asks the leader to reconnect,
 * or rejoins after `close()`.
 *
 * @example
 * ```ts
 * const feed = new TabSharedWebSocket('wss://example.com/feed', [], { heartbeat: true });
 * feed.addEventListener('message', (event) => render(event.data));
 * feed.send('hello'); // from any tab: sent once, by the leading tab
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- typed listener overloads, as the socket has them
export class TabSharedWebSocket extends EventTarget {
  /** The connection is being established (or a retry is waiting). */
  static readonly CONNECTING = 0;
  /** The connection is open. */
  static readonly OPEN = 1;
  /** `close()` was called; the `close` event is pending. */
  static readonly CLOSING = 2;
  /** Closed, and will not reopen by itself. */
  static readonly CLOSED = 3;

  readonly #id = newTabId();
  readonly #url: Provider<string | URL>;
  readonly #protocols: Provider<string | string[] | undefined>;
  readonly #options: Omit<TabSharedWebSocketOptions, 'tabs'>;
  readonly #tabs: NormalizedTabOptions;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #outbox: Outbox;
  #mode: TabMode;
  #phase: Phase = 'joined';
  #view: ConnectionView = initialView;
  #history: CloseReport[] = [];
  #diagnosis: Diagnosis | null = null;
  #binaryType: 'blob' | 'arraybuffer' = 'blob';
  #openedAt: number | null = null;
  #lastMessageAt: number | null = null;
  /** The real socket: the leader's (or, in `own` mode, the tab's). */
  #socket: ResilientWebSocket | null = null;
  #channel: BroadcastChannelLike | null = null;
  #candidacy: Candidacy | null = null;
  #unsubscribe: (() => void) | null = null;
  /** The leader the tab follows, and the last one that resigned (its late messages are ignored). */
  #leader: TabId | null = null;
  #resigned: TabId | null = null;
  /** While leading: the leader this tab followed before. What it posted before its `resign` can come after the lock did. */
  #predecessor: TabId | null = null;
  #ledger: Ledger = emptyLedger;
  /** While leading: accepted messages waiting for the open socket, in order. */
  #ready: Numbered[] = [];
  /** While leading: messages the socket queued itself (it was closing): acknowledged when it opens again. */
  #queuedInSocket: Numbered[] = [];
  #handlers: Map<string, { readonly value: unknown; readonly listener: (event: Event) => void }> | null = null;
  /** When the page last fired `beforeunload` (this tab's clock), else `-Infinity`: see `isUnloadClose`. */
  #mayLeaveAt = -Infinity;

  /**
   * Joins the tabs connected to `url` (leading if no tab does), or opens a
   * socket of its own where the browser cannot share one.
   *
   * @param url - the URL, or a function called before every attempt by the leading tab (then `tabs.key` names the group)
   * @param protocols - sub-protocols, or a function called before every attempt
   * @param options - the socket's options, used by whichever tab leads, and `tabs`
   * @throws DOMException `SyntaxError` for an invalid URL or sub-protocol list, like the native constructor
   * @throws TypeError or RangeError for an invalid option
   */
  constructor(url: Provider<string | URL>, protocols?: Provider<string | string[] | undefined>, options: TabSharedWebSocketOptions = {}) {
    super();
    const { tabs, ...socketOptions } = options;
    ResilientWebSocket.with(socketOptions); // the socket's own checks, in every tab, leading or not
    this.#tabs = normalizeTabOptions(tabs);
    this.#url = url;
    this.#protocols = protocols;
    this.#options = socketOptions;
    this.#clock = socketOptions.clock ?? systemClock;
    const href = typeof url === 'function' ? '' : resolveUrl(url);
    const list = typeof protocols === 'function' ? [] : checkProtocols(protocols);
    if (href === '' && this.#tabs.key === '') throw optionTypeError('tabs.key', isDevelopment && 'a non-empty string when the URL is a function (it names the group of tabs)', '');
    this.#view = { ...initialView, url: href };
    this.#name = groupName(href, list, this.#tabs.key);
    this.#outbox = new Outbox(this.#id, outboxLimits(socketOptions.buffer));
    this.#mode = this.#tabs.shared ? 'follower' : 'own';
    this.#join();
  }

  /** `'leader'` while this tab runs the shared socket, `'follower'` while another tab does, `'own'` without Web Locks or BroadcastChannel. */
  get mode(): TabMode {
    return this.#mode;
  }

  /** Whether the connection is shared with other tabs (`mode` is not `'own'`). */
  get shared(): boolean {
    return this.#mode !== 'own';
  }

  /** The URL of the shared connection's current (or last) attempt. */
  get url(): string {
    return this.#view.url;
  }

  /** The sub-protocol the server selected on the last connection. */
  get protocol(): string {
    return this.#view.protocol;
  }

  /** The extensions the server selected on the last connection. */
  get extensions(): string {
    return this.#view.extensions;
  }

  /** How this tab receives binary messages (each tab chooses its own). @defaultValue `'blob'` */
  get binaryType(): 'blob' | 'arraybuffer' {
    return this.#binaryType;
  }

  set binaryType(value: 'blob' | 'arraybuffer') {
    if (value === 'blob' || value === 'arraybuffer') this.#binaryType = value;
  }

  /** Bytes this tab sent that the leader has not acknowledged yet (plus the real socket's, in the leading tab). */
  get bufferedAmount(): number {
    return this.#outbox.bytes + (this.#socket?.bufferedAmount ?? 0);
  }

  /** The native ready state, derived from {@link TabSharedWebSocket.state}. */
  get readyState(): 0 | 1 | 2 | 3 {
    return readyStateOf(this.#view.state);
  }

  /** The shared connection's status as this tab sees it: `connecting` while the lead passes. */
  get state(): Status {
    return this.#view.state;
  }

  /** Retries of the shared connection since it was last stable. */
  get attempt(): number {
    return this.#view.attempt;
  }

  /** The report of the most recent close of the shared connection, or `null`. */
  get lastClose(): CloseReport | null {
    return this.#history.at(-1) ?? null;
  }

  /** Recent close reports, oldest first (at most `historySize`). */
  get history(): readonly CloseReport[] {
    return [...this.#history];
  }

  /** The leader's diagnosis (with the `diagnose` option), or `null`. */
  get diagnosis(): Diagnosis | null {
    return this.#diagnosis;
  }

  /**
   * Sends `data` to the server through the leading tab: once, and after
   * every message this tab sent before. Kept (bounded like the socket's
   * `buffer`) until the leader acknowledges it, and sent again to a new leader.
   *
   * @returns `true` when this tab leads and handed the data to its open socket now, else `false` (it is on its way)
   * @throws DOMException `InvalidStateError` when not open and `buffer` is `false`
   * @throws ResilientWebSocketError `ERR_BUFFER_OVERFLOW` when the buffer is full and its overflow policy is `throw`
   */
  send(data: SendData): boolean {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.");
    if (this.#mode === 'own' && this.#socket) return this.#socket.send(data);
    if (this.#options.buffer === false && this.#view.state !== 'open') {
      throw new DOMException(`Failed to execute 'send' on 'WebSocket': the socket is ${this.#view.state}, not open.`, 'InvalidStateError');
    }
    const { seq, dropped } = this.#outbox.push(data);
    for (const message of dropped) this.dispatchEvent(new DropEvent(message, 'overflow'));
    if (seq === null) {
      if (dropped.length > 0) return false;
      throw new ResilientWebSocketError('ERR_BUFFER_OVERFLOW', `The send buffer is full (${this.#outbox.length} messages, ${this.#outbox.bytes} bytes) and buffer.overflow is 'throw'.`);
    }
    if (this.#phase !== 'joined') return false;
    if (this.#mode === 'leader') {
      this.#take(this.#id, seq, this.#outbox.base, data);
      return this.#outbox.base > seq;
    }
    this.#post({ type: 'send', from: this.#id, seq, base: this.#outbox.base, data });
    return false;
  }

  /**
   * Closes this tab's view: it leaves the group (a leading tab hands over,
   * closing its socket with `code` and `reason`), and its `close` event
   * follows. The other tabs keep the connection. Reopen with `reconnect()`.
   *
   * @throws DOMException `InvalidAccessError` for a code other than 1000 or 3000-4999, `SyntaxError` for a reason over 123 UTF-8 bytes
   */
  close(code?: number, reason?: string): void {
    const checkedCode = checkClose(code, reason);
    if (this.#phase === 'closed') return;
    const socket = this.#socket;
    if (this.#mode === 'own') {
      socket?.close(checkedCode, reason);
      return;
    }
    if (this.#mode === 'leader' && socket && socket.state !== 'closed') {
      this.#leave('closed', 'keep');
      // Its events (closing, then the close report) reach this tab only; the socket is let go after its close.
      socket.close(checkedCode, reason);
      return;
    }
    this.#leave('closed', 'dispose');
    if (this.#view.state === 'closed') return;
    this.#setView({ ...this.#view, state: 'closing' }, 'close()');
    const report = clientCloseReport({
      code: checkedCode,
      reason: reason === undefined ? '' : String(reason),
      url: this.#view.url,
      attempt: this.#view.attempt,
      at: this.#clock.now(),
      openedAt: this.#openedAt,
      lastMessageAt: this.#lastMessageAt,
      online: browserEnvironment.isOnline(),
      visible: browserEnvironment.isVisible(),
    });
    // Later, never inside close(), as the native socket does.
    queueMicrotask(() => {
      if (this.#phase !== 'closed' || this.#view.state !== 'closing') return;
      this.#apply({ type: 'close', report }, { ...this.#view, state: 'closed' });
    });
  }

  /**
   * Connects now: a following tab asks the leader to reconnect the shared
   * socket, the leader reconnects it, and a closed tab joins again.
   */
  reconnect(): void {
    if (this.#mode === 'own') this.#socket?.reconnect();
    else if (this.#phase === 'closed') {
      this.#detachSocket();
      this.#phase = 'joined';
      this.#setView({ ...this.#view, state: 'connecting' }, 'reconnect()');
      this.#join();
    } else if (this.#mode === 'leader') this.#socket?.reconnect();
    else this.#post({ type: 'reconnect', from: this.#id });
  }

  /**
   * Leaves at once: hands over if leading, removes every listener, ends the
   * lock request, closes the channel, fires `drop` for each message not
   * yet acknowledged. No `close` event.
   */
  dispose(): void {
    if (this.#mode === 'own') this.#socket?.dispose();
    else if (this.#phase !== 'closed') this.#leave('closed', 'dispose');
    this.#detachSocket();
    this.#setView({ ...this.#view, state: 'closed' }, 'dispose()');
    for (const message of this.#outbox.clear()) this.dispatchEvent(new DropEvent(message, 'disposed'));
  }

  /** Same as {@link TabSharedWebSocket.dispose}, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Called for `open` events. */
  get onopen(): ((event: Event) => unknown) | null {
    return this.#handler('open') as ((event: Event) => unknown) | null;
  }
  set onopen(handler: ((event: Event) => unknown) | null) {
    this.#setHandler('open', handler);
  }
  /** Called for `message` events. */
  get onmessage(): ((event: MessageEvent) => unknown) | null {
    return this.#handler('message') as ((event: MessageEvent) => unknown) | null;
  }
  set onmessage(handler: ((event: MessageEvent) => unknown) | null) {
    this.#setHandler('message', handler);
  }
  /** Called for `close` events. */
  get onclose(): ((event: TabSharedWebSocketEventMap['close']) => unknown) | null {
    return this.#handler('close') as ((event: TabSharedWebSocketEventMap['close']) => unknown) | null;
  }
  set onclose(handler: ((event: TabSharedWebSocketEventMap['close']) => unknown) | null) {
    this.#setHandler('close', handler);
  }
  /** Called for `error` events. */
  get onerror(): ((event: Event) => unknown) | null {
    return this.#handler('error') as ((event: Event) => unknown) | null;
  }
  set onerror(handler: ((event: Event) => unknown) | null) {
    this.#setHandler('error', handler);
  }

  // ---- the group --------------------------------------------------------

  /** Joins the group: listens to the channel, stands for the lead, asks the leader for the view. */
  #join(): void {
    const shared = this.#tabs.shared;
    if (shared === null) {
      this.#lead();
      return;
    }
    this.#unsubscribe ??= this.#tabs.lifecycle.subscribe((signal) => this.#presence(signal));
    this.#channel = new shared.Channel(this.#name);
    this.#channel.addEventListener('message', this.#onChannel);
    this.#candidacy = stand(shared.locks, this.#name, () => this.#lead());
    this.#post({ type: 'join', from: this.#id });
  }

  /** The lock was granted (or there is no group): open the real socket. */
  #lead(): void {
    if (this.#phase !== 'joined' || this.#socket) return;
    const socket = new ResilientWebSocket(this.#url, this.#protocols, this.#options);
    socket.binaryType = 'arraybuffer'; // each tab makes its own Blob, synchronously, in order
    for (const type of socketEvents) socket.addEventListener(type, this.#onSocket);
    this.#socket = socket;
    if (this.#mode === 'own') return;
    this.#predecessor = this.#leader;
    this.#leader = this.#id;
    this.#ledger = startLeading(this.#ledger);
    this.#setMode('leader');
    const view = this.#socketView(socket.state);
    this.#post({ type: 'leader', leader: this.#id, view, history: this.#history });
    this.#setView(view, 'leader');
    for (const { seq, data } of this.#outbox.pending()) this.#take(this.#id, seq, this.#outbox.base, data);
  }

  /**
   * Leaves the group: a leader says so and lets its socket go (`keep`:
   * the caller closes it; `dispose`: at once), the lock is released or the
   * request aborted, the channel closed.
   */
  #leave(phase: Exclude<Phase, 'joined'>, socket: 'keep' | 'dispose'): void {
    if (this.#mode === 'leader') {
      this.#post({ type: 'resign', leader: this.#id });
      this.#ledger = stopLeading(this.#ledger);
      this.#ready = [];
      this.#queuedInSocket = [];
      if (socket === 'dispose') this.#detachSocket();
      this.#setMode('follower');
    }
    this.#phase = phase;
    this.#candidacy?.end();
    this.#candidacy = null;
    this.#channel?.removeEventListener('message', this.#onChannel);
    this.#channel?.close();
    this.#channel = null;
    this.#leader = null;
    this.#predecessor = null;
    if (phase === 'closed') {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
    }
  }

  #presence(signal: PresenceSignal): void {
    if (signal === 'may-leave') this.#mayLeaveAt = this.#clock.now();
    else if (signal === 'leave' && this.#phase === 'joined') {
      this.#leave('away', 'dispose');
      if (this.#view.state !== 'closed') this.#setView({ ...this.#view, state: 'connecting' }, 'away');
    } else if (signal === 'return' && this.#phase === 'away') {
      this.#phase = 'joined';
      this.#join();
    }
  }

  #setMode(mode: TabMode): void {
    if (this.#mode === mode) return;
    this.#mode = mode;
    this.dispatchEvent(new Event('modechange'));
  }

  #post(message: TabMessage): void {
    this.#channel?.postMessage(message);
  }

  /** Whether a message of `leader` describes the connection this tab follows (adopting a leader it had not heard of). */
  #follows(leader: TabId): boolean {
    if (leader === this.#leader) return true;
    if (this.#leader !== null || leader === this.#resigned || leader === this.#id) return false;
    this.#leader = leader;
    return true;
  }

  readonly #onChannel = (event: MessageEvent): void => {
    const message: unknown = event.data;
    if (this.#phase !== 'joined' || !isTabMessage(message)) return;
    const leading = this.#mode === 'leader';
    switch (message.type) {
      case 'leader': {
        if (leading) return;
        const known = message.leader === this.#leader;
        this.#leader = message.leader;
        this.#history = [...message.history];
        const wasOpen = this.#view.state === 'open';
        this.#setView(message.view, known ? 'leader' : 'handover');
        if (!wasOpen && message.view.state === 'open') this.dispatchEvent(new Event('open'));
        if (!known) for (const { seq, data } of this.#outbox.pending()) this.#post({ type: 'send', from: this.#id, seq, base: this.#outbox.base, data });
        return;
      }
      case 'join':
        if (leading && this.#socket) this.#post({ type: 'leader', leader: this.#id, view: this.#socketView(this.#socket.state), history: this.#history });
        return;
      case 'resign':
        if (message.leader === this.#predecessor) this.#predecessor = null;
        if (message.leader !== this.#leader) return;
        this.#leader = null;
        this.#resigned = message.leader;
        if (this.#view.state !== 'closed') this.#setView({ ...this.#view, state: 'connecting' }, 'handover');
        return;
      case 'event':
        if (!leading && this.#follows(message.leader)) this.#apply(message.event, message.view);
        // The predecessor's last close, late: reported, with this tab's own view kept.
        else if (leading && message.leader === this.#predecessor && message.event.type === 'close') this.#apply(message.event, this.#view);
        return;
      case 'message':
        if (leading ? message.leader === this.#predecessor : this.#follows(message.leader)) this.#deliver(message.data);
        return;
      case 'send':
        if (leading) this.#take(message.from, message.seq, message.base, message.data);
        return;
      case 'ack':
        this.#ledger = recordAck(this.#ledger, message.tab, message.seq);
        if (message.tab === this.#id) this.#outbox.ack(message.seq);
        return;
      case 'reconnect':
        if (leading) this.#socket?.reconnect();
        return;
    }
  };

  // ---- the leader's socket ----------------------------------------------

  readonly #onSocket = (event: Event): void => {
    const socket = this.#socket;
    if (socket === null || event.currentTarget !== socket) return;
    const leading = this.#mode === 'leader';
    if (event.type === 'message') {
      const data: unknown = (event as MessageEvent<unknown>).data;
      if (leading) this.#post({ type: 'message', leader: this.#id, data });
      this.#deliver(data);
      return;
    }
    if (event.type === 'open' && leading) {
      this.#acknowledge(this.#queuedInSocket); // the socket flushed its own queue as it opened
      this.#queuedInSocket = [];
      this.#flush();
    }
    const relayed = toRelayed(event);
    if (relayed === null) return;
    const view = this.#socketView(relayed.type === 'statechange' ? relayed.to : socket.state);
    if (leading) this.#post({ type: 'event', leader: this.#id, event: relayed, view });
    const local = this.#apply(relayed, view);
    // preventDefault() in this tab's close listener stops the reconnect, as on the socket.
    if (local?.defaultPrevented) event.preventDefault();
    else if (leading && relayed.type === 'close' && isUnloadClose(relayed.report.code, this.#mayLeaveAt, this.#clock.now())) {
      // The browser closed it for a navigation: another tab leads now, and this one stands again (it leads
      // again if it is alone, or if the navigation is cancelled and no other tab is waiting). After the event;
      // once per beforeunload, so a server that answers every connection with 1001 meets the usual backoff.
      this.#mayLeaveAt = -Infinity;
      queueMicrotask(() => {
        if (this.#socket !== socket || this.#mode !== 'leader' || this.#phase !== 'joined') return;
        this.#presence('leave');
        this.#presence('return');
      });
    }
    // A socket this tab closed on leaving the group is let go after its close event.
    if (!leading && this.#mode !== 'own' && relayed.type === 'close' && socket.state === 'closed') this.#detachSocket();
  };

  #socketView(state: Status): ConnectionView {
    const socket = this.#socket;
    return socket ? { state, attempt: socket.attempt, url: socket.url || this.#view.url, protocol: socket.protocol, extensions: socket.extensions } : { ...this.#view, state };
  }

  #detachSocket(): void {
    const socket = this.#socket;
    if (socket === null) return;
    this.#socket = null;
    for (const type of socketEvents) socket.removeEventListener(type, this.#onSocket);
    socket.dispose();
  }

  /** The leader takes message `seq` of `tab` and sends what is ready. */
  #take(tab: TabId, seq: number, base: number, data: SendData): void {
    const { ledger, ready } = accept(this.#ledger, tab, seq, base, data);
    this.#ledger = ledger;
    this.#ready.push(...ready);
    this.#flush();
  }

  /** Hands the ready messages to the open socket, in order, and acknowledges them. */
  #flush(): void {
    const socket = this.#socket;
    if (socket?.state !== 'open' || this.#ready.length === 0) return;
    const sent: Numbered[] = [];
    for (let item = this.#ready[0]; item !== undefined; item = this.#ready[0]) {
      try {
        if (socket.send(item.data)) sent.push(item);
        else this.#queuedInSocket.push(item);
      } catch {
        break; // its buffer is full with `overflow: 'throw'`: the rest waits for the next open
      }
      this.#ready.shift();
    }
    this.#acknowledge(sent);
  }

  /** Records and announces that `items` went out: one `ack` per tab, for its highest number. */
  #acknowledge(items: readonly Numbered[]): void {
    const highest = new Map<TabId, number>();
    for (const { tab, seq } of items) highest.set(tab, Math.max(seq, highest.get(tab) ?? 0));
    for (const [tab, seq] of highest) {
      this.#ledger = recordAck(this.#ledger, tab, seq);
      if (tab === this.#id) this.#outbox.ack(seq);
      this.#post({ type: 'ack', leader: this.#id, tab, seq });
    }
  }

  // ---- what this tab shows ----------------------------------------------

  /** Takes `view`, announcing a change of status as `statechange` with `cause`. */
  #setView(view: ConnectionView, cause: string): void {
    const from = this.#view.state;
    this.#view = view;
    if (view.state === 'open' && from !== 'open') this.#openedAt = this.#clock.now();
    if (from !== view.state) this.dispatchEvent(new StateChangeEvent(from, view.state, cause));
  }

  /** Shows a relayed event: the view first, then the event itself. */
  #apply(relayed: RelayedEvent, view: ConnectionView): Event | null {
    if (relayed.type === 'close') {
      this.#history.push(relayed.report);
      if (this.#history.length > (this.#options.historySize ?? 20)) this.#history.shift();
    }
    if (relayed.type === 'diagnosis') this.#diagnosis = relayed.diagnosis;
    this.#setView(view, relayed.type === 'statechange' ? relayed.cause : relayed.type);
    if (relayed.type === 'statechange') return null;
    const event = toEvent(relayed);
    this.dispatchEvent(event);
    return event;
  }

  /** Dispatches a server message, as this tab's `binaryType` asks. */
  #deliver(data: unknown): void {
    this.#lastMessageAt = this.#clock.now();
    const blob = this.#binaryType === 'blob' && data instanceof ArrayBuffer && typeof Blob === 'function';
    this.dispatchEvent(new MessageEvent('message', { data: blob ? new Blob([data]) : data, origin: originOf(this.#view.url) }));
  }

  #handler(type: string): unknown {
    return this.#handlers?.get(type)?.value ?? null;
  }

  #setHandler(type: string, handler: unknown): void {
    const handlers = (this.#handlers ??= new Map<string, { readonly value: unknown; readonly listener: (event: Event) => void }>());
    const previous = handlers.get(type);
    if (previous) this.removeEventListener(type, previous.listener);
    handlers.delete(type);
    if (typeof handler !== 'function') return;
    const listener = (event: Event): void => void (handler as (this: TabSharedWebSocket, event: Event) => unknown).call(this, event);
    handlers.set(type, { value: handler, listener });
    this.addEventListener(type, listener);
  }
}

/** The typed `addEventListener` and `removeEventListener` of {@link TabSharedWebSocket}. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the class
export interface TabSharedWebSocket {
  /** The connection is being established (or a retry is waiting). */
  readonly CONNECTING: 0;
  /** The connection is open. */
  readonly OPEN: 1;
  /** `close()` was called; the `close` event is pending. */
  readonly CLOSING: 2;
  /** Closed, and will not reopen by itself. */
  readonly CLOSED: 3;
  addEventListener<K extends keyof TabSharedWebSocketEventMap>(
    type: K,
    listener: (this: TabSharedWebSocket, event: TabSharedWebSocketEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TabSharedWebSocketEventMap>(
    type: K,
    listener: (this: TabSharedWebSocket, event: TabSharedWebSocketEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, value) => Object.defineProperty(TabSharedWebSocket.prototype, name, { value, enumerable: true }));

/** The origin of a WebSocket URL, for `MessageEvent.origin`; `''` before one is known. */
function originOf(href: string): string {
  try {
    return href === '' ? '' : new URL(href).origin;
  } catch {
    return '';
  }
}

/**
 * The native `close()` checks: `[Clamp] unsigned short` code 1000 or
 * 3000-4999, reason at most 123 UTF-8 bytes.
 *
 * @returns the clamped code
 */
function checkClose(code: number | undefined, reason: string | undefined): number | undefined {
  let checked: number | undefined;
  if (code !== undefined) {
    const clamped = Math.min(Math.max(Number(code) || 0, 0), 65535);
    const floor = Math.floor(clamped);
    checked = clamped - floor > 0.5 || (clamped - floor === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
    if (checked !== 1000 && (checked < 3000 || checked > 4999)) {
      throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${checked} is neither.`, 'InvalidAccessError');
    }
  }
  if (reason !== undefined && new TextEncoder().encode(String(reason)).length > 123) {
    throw new DOMException("Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.", 'SyntaxError');
  }
  return checked;
}
