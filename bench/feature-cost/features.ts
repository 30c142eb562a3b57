/**
 * The features of the main import, each as a deletion: the feature's own
 * modules replaced by stubs with the same names (stubs/), and the places
 * elsewhere that only the feature needs cut by patches checked to match.
 * What a deletion leaves in place (a call, a `case`, a field of the class)
 * is listed in `kept`: the figures are what the deletion removes, so a
 * feature costs at least that much.
 *
 * @module
 */

import type { Deletion, Patch } from './patch.js';

/** One feature of the main import and how it is deleted. */
export interface Feature extends Deletion {
  /** The row's name. */
  readonly name: string;
  /** What the deletion removes, for the table. */
  readonly removed: string;
  /** What of the feature stays in the variant (so the figure is a lower bound). */
  readonly kept: string;
}

/** Removes the line of option `name` from the top-level rules of src/core/options.ts (its value starts with `rule`). */
const optionRule = (name: string, rule: string): Patch => ({ file: 'options.ts', find: new RegExp(`^  ${name}: ${rule}.*\\n`, 'm'), replace: '' });

export const features: readonly Feature[] = [
  {
    name: 'heartbeat',
    removed: '`heartbeat.ts`, the `heartbeat` option rules, the monitor and its actions in the class',
    kept: "the state machine's `heartbeat` effects and the `heartbeat` case of the class",
    stubs: { 'heartbeat.ts': 'heartbeat.ts' },
    patches: [
      optionRule('heartbeat', 'checkHeartbeat,'),
      {
        file: 'resilient-websocket.ts',
        find: 'this.#heartbeat = this.#options.heartbeat ? new HeartbeatMonitor(this.#options.heartbeat, this.#clock, ResilientWebSocket.#heartbeatActions, this) : null;',
        replace: 'this.#heartbeat = null;',
      },
      { file: 'resilient-websocket.ts', find: /\n {2}\/\*\* What the heartbeat does[^\n]*\n {2}static readonly #heartbeatActions[\s\S]*?\n {2}\};\n/, replace: '\n' },
    ],
  },
  {
    name: 'send buffer',
    removed: '`buffer.ts` (the bounded queue, overflow policies; `utf8Length` kept for `close()`), the `buffer` option rules',
    kept: "`send()`'s queueing branch, `#flush`, the `drop` event class",
    stubs: { 'buffer.ts': 'buffer.ts' },
    patches: [optionRule('buffer', 'checkBuffer,')],
  },
  {
    name: 'page lifecycle and network signals',
    removed: '`environment.ts` (online/offline, visibility, bfcache, freeze listeners), the state machine\'s signal handling (pauses, probes, early retries)',
    kept: 'the `environment` option rule and the `#listen`/`#signal` methods of the class',
    stubs: { 'environment.ts': 'environment.ts' },
    patches: [{ file: 'state-machine.ts', find: 'return signal(machine, event, context, to, connect);', replace: 'return unchanged(machine);' }],
  },
  {
    name: 'close-code policy',
    removed: '`policy.ts` (the table per close class, rules by code, range and class, `decide`), the `policy` option rules',
    kept: "the close classification (used by the reports), the state machine's stop path",
    stubs: { 'policy.ts': 'policy.ts' },
    patches: [optionRule('policy', 'checkPolicy,')],
  },
  {
    name: 'option validation',
    removed: '`options.ts` replaced by a merge of the defaults without any check (errors naming the option, unknown-option errors, the shared frozen defaults)',
    kept: 'nothing of the checks; the merge of the defaults stays (every wrapper has one)',
    stubs: { 'options.ts': 'options.ts' },
    patches: [],
  },
  {
    name: 'exact native behaviour',
    removed: '`url.ts` (URL parsing and `SyntaxError`s), `event-handlers.ts` (the `on*` attributes), the `close()` argument checks, the missing-argument `TypeError`s, enumerable WebIDL members, the `CloseEvent` stand-in and the `MessageEvent` class with a lazy `origin`',
    kept: 'the ready-state constants, `binaryType`, `toStringTag` and `Symbol.dispose`',
    stubs: { 'url.ts': 'url.ts', 'event-handlers.ts': 'event-handlers.ts' },
    patches: [
      { file: 'resilient-websocket.ts', find: '/* @__PURE__ */ defineInterface(this);', replace: '/* @__PURE__ */ defineConstants(this);' },
      {
        file: 'resilient-websocket.ts',
        find: /let checkedCode: number \| undefined;[\s\S]*?this\.#dispatch\(\{ type: 'close', code: checkedCode, reason: text \}\);/,
        replace: "this.#dispatch({ type: 'close', code, reason: reason ?? '' });",
      },
      { file: 'resilient-websocket.ts', find: /^.*throw new TypeError\(missingArgument\('(construct|send)'\)\);\n/m, replace: '', count: 3 },
      { file: 'events.ts', find: "typeof CloseEvent === 'function' ? (CloseEvent as unknown as typeof CloseEventShim) : CloseEventShim;", replace: 'CloseEvent as unknown as typeof CloseEventShim;' },
      { file: 'events.ts', find: /SocketMessageEvent \?\?= makeMessageEventClass\(\);\n\s*return new SocketMessageEvent\(data, origin\);/, replace: "return new MessageEvent('message', { data, origin });" },
    ],
  },
  {
    name: 'close reports',
    removed: "`report.ts` (URL redaction, the explanation, which production builds leave out already), the report's fields beyond code, reason, wasClean and class",
    kept: 'the `history`/`lastClose` getters, the close classification, the measurements the backoff also uses',
    stubs: { 'report.ts': 'report.ts' },
    patches: [
      {
        file: 'state-machine.ts',
        find: /^function summarize\([\s\S]*?\n\}\n/m,
        replace:
          "function summarize(ended: EndedSocket, requestedBy: 'client' | 'library' | undefined): CloseSummary {\n  return { code: ended.code, reason: ended.reason, wasClean: ended.wasClean, ...classifyClose({ ...ended, opened: ended.openedAt !== null, requestedBy }) } as CloseSummary;\n}\n",
      },
    ],
  },
  {
    name: 'close logging and the diagnosis hook',
    removed: '`close-log.ts`, `#observe` (the `diagnose`, `logger` and `debug` options at work, the `diagnosis` event), their option rules',
    kept: 'the `diagnosis` getter and the signal record kept for the diagnosis',
    stubs: { 'close-log.ts': 'close-log.ts' },
    patches: [
      optionRule('diagnose', 'aFunction,'),
      optionRule('logger', '\\{ test'),
      optionRule('debug', '\\{ test'),
      { file: 'resilient-websocket.ts', find: /^ {2}#observe\(report: CloseReport \| null\): void \{[\s\S]*?\n {2}\}\n/m, replace: '  #observe(_report: CloseReport | null): void {}\n' },
    ],
  },
];
