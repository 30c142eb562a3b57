/**
 * What the examples share: the server URL (`?ws=` in the page's address,
 * as `npm run example:*` prints it) and the message log's selector.
 */

/** The WebSocket URL the example connects to. */
export const serverUrl: string = new URLSearchParams(location.search).get('ws') ?? 'ws://127.0.0.1:8080/';

/** The options every example passes: a heartbeat well under common idle timeouts. */
export const socketOptions = { heartbeat: { intervalMs: 10_000, timeoutMs: 5_000 } } as const;

/** Keeps the last 50 messages, newest last: a `selectMessage` for the log. */
export function appendToLog(event: MessageEvent, log: readonly string[] | undefined): readonly string[] {
  return [...(log ?? []).slice(-49), String(event.data)];
}
