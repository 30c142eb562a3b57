/**
 * What the tabs of one browser say to each other over their
 * BroadcastChannel: plain, structured-clonable data (binary payloads
 * included), one message type per fact. Pure: no channel here.
 *
 * @module
 */

import type { CloseReport, Diagnosis, SendData, Status } from 'resilient-websocket';

/** A tab's random id, for its sequence numbers and for the leader's messages. */
export type TabId = string;

/** What every tab knows about the shared connection: the leader's socket as it reads. */
export interface ConnectionView {
  readonly state: Status;
  readonly attempt: number;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
}

/** An event of the leader's socket, as data. */
export type RelayedEvent =
  | { readonly type: 'open' }
  | { readonly type: 'error' }
  | { readonly type: 'statechange'; readonly from: Status; readonly to: Status; readonly cause: string }
  | { readonly type: 'close'; readonly report: CloseReport }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly report: CloseReport }
  | { readonly type: 'giveup'; readonly reason: string; readonly report: CloseReport }
  | { readonly type: 'diagnosis'; readonly diagnosis: Diagnosis };

/** Every message on the channel. */
export type TabMessage =
  /** A tab took the lead (or answers a `join`): the view and the recent close reports. */
  | { readonly type: 'leader'; readonly leader: TabId; readonly view: ConnectionView; readonly history: readonly CloseReport[] }
  /** A tab that joins asks the leader, if any, for a `leader` message. */
  | { readonly type: 'join'; readonly from: TabId }
  /** The leader lets go: it closed, left the page, or was frozen. Another tab takes over. */
  | { readonly type: 'resign'; readonly leader: TabId }
  /** An event of the shared socket, with the view after it. */
  | { readonly type: 'event'; readonly leader: TabId; readonly event: RelayedEvent; readonly view: ConnectionView }
  /** A message from the server. */
  | { readonly type: 'message'; readonly leader: TabId; readonly data: unknown }
  /**
   * A message for the server from tab `from`, number `seq` of that tab;
   * every number below `base` is already acknowledged (a leader that joined
   * late learns the tab's watermark from it).
   */
  | { readonly type: 'send'; readonly from: TabId; readonly seq: number; readonly base: number; readonly data: SendData }
  /** The leader handed every message of `tab` up to `seq` to its open socket. */
  | { readonly type: 'ack'; readonly leader: TabId; readonly tab: TabId; readonly seq: number }
  /** A tab asks the leader to reconnect the shared socket now. */
  | { readonly type: 'reconnect'; readonly from: TabId };

const types: ReadonlySet<string> = /* @__PURE__ */ new Set(['leader', 'join', 'resign', 'event', 'message', 'send', 'ack', 'reconnect']);

/** Whether `value` is a {@link TabMessage} (a channel may carry other traffic under the same name). */
export function isTabMessage(value: unknown): value is TabMessage {
  return typeof value === 'object' && value !== null && types.has((value as { type?: unknown }).type as string);
}

/** The native-style ready state of a status: waiting reads as CONNECTING, as on the socket. */
export function readyStateOf(state: Status): 0 | 1 | 2 | 3 {
  return state === 'open' ? 1 : state === 'closing' ? 2 : state === 'closed' ? 3 : 0;
}

/**
 * The channel and lock name for a connection: the URL, the sub-protocols
 * and the key, hashed, so that no URL (and no token in it) appears in the
 * names the browser lists.
 */
export function groupName(url: string, protocols: readonly string[], key: string): string {
  const text = JSON.stringify([url, protocols, key]);
  return `resilient-websocket/tabs ${hash(text, 0x811c9dc5)}${hash(text, 0x01000193)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function hash(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
