/**
 * The reconnecting wrappers measured beside the core: their minimal
 * import, and what each has of the features the core carries (read from
 * their sources at the versions in package.json).
 *
 * @module
 */

import type { Coverage } from './patch.js';

/** The features compared, in the table's order. */
export const comparedFeatures = ['reconnect', 'jitter', 'heartbeat', 'buffer', 'policy', 'reports', 'validation', 'lifecycle'] as const;
export type ComparedFeature = (typeof comparedFeatures)[number];

/** A library and how it is imported. */
export interface Library {
  /** The package. */
  readonly name: string;
  /** The import measured: `names` from `specifier`. */
  readonly names: string;
  readonly specifier: string;
  readonly coverage: Readonly<Record<ComparedFeature, Coverage>>;
  /** What the marks mean for this library. */
  readonly notes: string;
}

const none: Record<ComparedFeature, Coverage> = { reconnect: 'no', jitter: 'no', heartbeat: 'no', buffer: 'no', policy: 'no', reports: 'no', validation: 'no', lifecycle: 'no' };

export const libraries: readonly Library[] = [
  {
    name: 'partysocket',
    names: 'ReconnectingWebSocket',
    specifier: 'partysocket/ws',
    coverage: { ...none, reconnect: 'yes', buffer: 'yes' },
    notes: 'exponential backoff without randomness; a send queue bounded by count (`maxEnqueuedMessages`)',
  },
  {
    name: 'reconnecting-websocket',
    names: 'ReconnectingWebSocket',
    specifier: 'reconnecting-websocket',
    coverage: { ...none, reconnect: 'yes', jitter: 'partial', buffer: 'yes' },
    notes: 'one random floor per page load (`1000 + random * 4000` ms), then exponential growth without randomness; a queue bounded by count',
  },
  {
    name: 'websocket-ts',
    names: '{ WebsocketBuilder, ExponentialBackoff, ArrayQueue }',
    specifier: 'websocket-ts',
    coverage: { ...none, reconnect: 'yes', buffer: 'yes' },
    notes: 'the builder with the backoff and the queue it needs to reconnect and buffer (its `Websocket` alone does neither)',
  },
  {
    name: 'robust-websocket',
    names: 'RobustWebSocket',
    specifier: 'robust-websocket',
    coverage: { ...none, reconnect: 'yes', policy: 'partial', validation: 'partial', lifecycle: 'partial' },
    notes: 'a `shouldReconnect(event)` function (the default stops on 1008 and 1011, waits 0, 3 and 10 s, then stops); two option type checks; online/offline only',
  },
  {
    name: 'sockette',
    names: 'sockette',
    specifier: 'sockette',
    coverage: { ...none, reconnect: 'yes', policy: 'partial' },
    notes: 'a fixed 1 s wait; no reconnect after 1000, 1001 or 1005; not a `WebSocket` drop-in (callbacks only)',
  },
];
