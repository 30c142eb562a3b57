/**
 * What a test page records about one client, as the test reads it back:
 * every event of the socket, with the page's clocks, plus the calls the
 * test made. Pure helpers to query and normalize a timeline live here too.
 */

/** Fields every entry has. */
interface Stamped {
  /** `performance.now()` in the page when it was recorded. */
  readonly t: number;
  /** `Date.now()` in the page: comparable with the test's own `Date.now()` (same machine clock). */
  readonly at: number;
  /** The socket's `state` right after the event was dispatched to the recorder. */
  readonly state: string;
}

/** One recorded event (or call) of a client in a page. */
export type TimelineEntry = Stamped &
  (
    | { readonly type: 'open' }
    | { readonly type: 'error' }
    | {
        readonly type: 'close';
        readonly code: number;
        readonly reason: string;
        readonly wasClean: boolean;
        /** `event.report.class`. */
        readonly class: string;
        /** `event.report.phase`: `handshake` or `open`. */
        readonly phase: string;
        /** `event.report.initiator`. */
        readonly initiator: string;
        /** `event.report.libraryCause`. */
        readonly libraryCause: string | null;
        /** `event.report.online`. */
        readonly online: boolean | null;
        /** `event.report.decision.action`. */
        readonly decision: string;
      }
    | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
    | { readonly type: 'giveup'; readonly reason: string }
    | { readonly type: 'drop'; readonly data: string; readonly reason: string }
    | { readonly type: 'message'; readonly data: string }
    | { readonly type: 'statechange'; readonly from: string; readonly to: string; readonly cause: string }
    /** `diagnosis`: the socket's diagnosis changed (clients created with `diagnose`). */
    | {
        readonly type: 'diagnosis';
        readonly cause: string | null;
        readonly confidence: string | null;
        /** `event.diagnosis.summary`. */
        readonly summary: string;
        /** The first finding's measured idle timeout, or `null`. */
        readonly timeoutMs: number | null;
        /** The first finding's fix, or `''`. */
        readonly fix: string;
      }
    /** A method the test called on the socket (`close`, `reconnect`, `dispose`). */
    | { readonly type: 'call'; readonly method: string }
  );

/** The entry types. */
export type EntryType = TimelineEntry['type'];

/** The entries of one type, narrowed. */
export type EntryOf<T extends EntryType> = Extract<TimelineEntry, { readonly type: T }>;

/** A pattern an entry matches when every given field is equal. */
export type Match = { readonly type: EntryType } & Readonly<Record<string, string | number | boolean | null>>;

/** Whether `entry` has every field of `match`, with equal values. */
export function matches(entry: TimelineEntry, match: Match): boolean {
  const fields = entry as unknown as Record<string, unknown>;
  return Object.entries(match).every(([key, value]) => fields[key] === value);
}

/** The entries of `type`, in order. */
export function entriesOf<T extends EntryType>(timeline: readonly TimelineEntry[], type: T): EntryOf<T>[] {
  return timeline.filter((entry): entry is EntryOf<T> => entry.type === type);
}

/** One line per entry, for failure messages: `+123ms close 1006 (abnormal, open) unclean`. */
export function describeTimeline(timeline: readonly TimelineEntry[]): string {
  const start = timeline[0]?.t ?? 0;
  return timeline
    .filter((entry) => entry.type !== 'statechange')
    .map((entry) => `+${Math.round(entry.t - start)}ms ${describeEntry(entry)}`)
    .join('\n');
}

function describeEntry(entry: TimelineEntry): string {
  switch (entry.type) {
    case 'close':
      return `close ${entry.code} "${entry.reason}" (${entry.class}, ${entry.phase}, ${entry.initiator}) ${entry.wasClean ? 'clean' : 'unclean'} → ${entry.decision}`;
    case 'reconnecting':
      return `reconnecting #${entry.attempt} in ${Math.round(entry.delayMs)} ms`;
    case 'giveup':
      return `giveup: ${entry.reason}`;
    case 'drop':
      return `drop ${entry.data} (${entry.reason})`;
    case 'message':
      return `message ${entry.data}`;
    case 'call':
      return `${entry.method}()`;
    case 'diagnosis':
      return `diagnosis ${entry.summary}`;
    default:
      return entry.type;
  }
}

/**
 * A timeline reduced to what must not depend on timing or on which build
 * ran it. Failed handshakes during an outage and their `error` events are
 * left out (how many there are depends on how the backoff fell), and so
 * are timestamps, delays, `reconnecting`, `statechange` and `diagnosis` entries.
 */
export function normalizeTimeline(timeline: readonly TimelineEntry[]): string[] {
  const steps: string[] = [];
  for (const entry of timeline) {
    switch (entry.type) {
      case 'close':
        if (entry.phase === 'handshake') {
          // The error event of a failed handshake goes with it.
          if (steps.at(-1) === 'error') steps.pop();
        } else {
          steps.push(`close ${entry.code} ${entry.wasClean ? 'clean' : 'unclean'} ${entry.class} by ${entry.initiator} → ${entry.decision}`);
        }
        break;
      case 'message':
        steps.push(`message ${entry.data}`);
        break;
      case 'reconnecting':
      case 'statechange':
      case 'diagnosis':
        break;
      default:
        steps.push(entry.type);
    }
  }
  return steps;
}
