/**
 * The consumer projects of the package tests, as file maps for
 * {@link ConsumerRoot.project}: small programs written the way users write
 * them, importing `resilient-websocket` by name.
 *
 * @module
 */

import type { ConsumerRoot } from './support.js';

type Files = Parameters<ConsumerRoot['project']>[1];

/** The part of the Node echo scripts after the import: connect, send, await the echo, close, print a JSON line. */
const echoBody = `
const deadline = setTimeout(() => {
  console.error('no echo and close within 10 s');
  process.exit(3);
}, 10_000);
const result = { resolved: RESOLVED, abnormal: classifyCode(1006) };
const ws = new ResilientWebSocket(process.argv[2], [], { WebSocket });
ws.addEventListener('open', () => ws.send(MESSAGE));
ws.addEventListener('message', (event) => {
  result.echo = event.data;
  ws.close(1000, 'done');
});
ws.addEventListener('close', (event) => {
  clearTimeout(deadline);
  result.close = { code: event.code, wasClean: event.wasClean, class: event.report.class };
  console.log(JSON.stringify(result));
});
`;

/** What a Node echo script prints: where the package resolved, what it exchanged and how it closed. */
export interface EchoOutput {
  /** The absolute path of the file `resilient-websocket` resolved to. */
  readonly resolved: string;
  /** `classifyCode(1006)`. */
  readonly abnormal: string;
  /** The echoed message. */
  readonly echo: string;
  readonly close: { readonly code: number; readonly wasClean: boolean; readonly class: string };
}

/**
 * A Node program that imports the package (`esm`: `import` in a
 * `"type": "module"` package; `cjs`: `require` in a CommonJS one),
 * connects to the URL in `argv[2]` with the `ws` class, sends `message`,
 * closes after the echo, and prints an {@link EchoOutput}. Run `index.js`.
 */
export function nodeEchoScript(format: 'esm' | 'cjs', message: string): Files {
  const head =
    format === 'esm'
      ? `import { fileURLToPath } from 'node:url';\nimport { ResilientWebSocket, classifyCode } from 'resilient-websocket';\nimport { WebSocket } from 'ws';\n`
      : `'use strict';\nconst { ResilientWebSocket, classifyCode } = require('resilient-websocket');\nconst { WebSocket } = require('ws');\n`;
  const resolved = format === 'esm' ? `fileURLToPath(import.meta.resolve('resilient-websocket'))` : `require.resolve('resilient-websocket')`;
  return {
    'package.json': { name: `echo-${format}`, private: true, type: format === 'esm' ? 'module' : 'commonjs' },
    'index.js': head + echoBody.replace('RESOLVED', resolved).replace('MESSAGE', JSON.stringify(message)),
  };
}

/** A typed consumer: options, typed events and handlers. Must compile with no error. */
const typedConsumer = `import { ResilientWebSocket, classifyCode, type CloseClass } from 'resilient-websocket';

const ws = new ResilientWebSocket('ws://127.0.0.1:9/', [], { heartbeat: { intervalMs: 1000 }, reconnect: { maxRetries: 3 } });
ws.addEventListener('close', (e) => {
  const cls: CloseClass = e.report.class;
  const code: number = e.code;
  return [cls, code];
});
ws.addEventListener('reconnecting', (e) => {
  const delay: number = e.delayMs;
  return delay;
});
ws.onclose = (e) => e.report.explanation;
const sent: boolean = ws.send('hello');
const abnormal: CloseClass = classifyCode(1006);
export { sent, abnormal };
`;

/** A consumer with mistakes that must not compile; see {@link wrongConsumerErrors}. */
const wrongConsumer = `import { ResilientWebSocket } from 'resilient-websocket';

const ws = new ResilientWebSocket('ws://127.0.0.1:9/', [], {
  heartbeat: { interval: 1000 },
  reconnect: { maxRetries: '3' },
});
ws.addEventListener('close', (e) => e.delayMs);
export { ws };
`;

/** The errors `wrong.ts` must produce, by line: an unknown option, a mistyped option, a field of another event. */
export const wrongConsumerErrors = [
  { file: 'wrong.ts', line: 4, code: 'TS2561', message: /'interval' does not exist in type 'HeartbeatOptions'/ },
  { file: 'wrong.ts', line: 5, code: 'TS2322', message: /Type 'string' is not assignable to type 'number'/ },
  { file: 'wrong.ts', line: 7, code: 'TS2339', message: /Property 'delayMs' does not exist on type 'ResilientCloseEvent'/ },
] as const;

/** How a TypeScript consumer resolves and type-checks the package. */
export interface TypeScriptSetup {
  /** `"module"` or `"commonjs"`: the consumer package's `type`. */
  readonly type: 'module' | 'commonjs';
  readonly module: 'ESNext' | 'Node16';
  readonly moduleResolution: 'Bundler' | 'Node16';
}

/**
 * A TypeScript project with `index.ts` (must compile; `tsconfig.json`) and
 * `wrong.ts` (must not; `tsconfig.wrong.json`). Strict, and with
 * `skipLibCheck` off so the package's declarations are checked too; `lib`
 * is a browser project's usual one (no ESNext.Disposable: the declarations
 * reference it themselves).
 */
export function typeScriptProject(setup: TypeScriptSetup): Files {
  return {
    'package.json': { name: `ts-${setup.moduleResolution.toLowerCase()}-${setup.type}`, private: true, type: setup.type },
    'tsconfig.json': {
      compilerOptions: {
        target: 'ES2022',
        module: setup.module,
        moduleResolution: setup.moduleResolution,
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: [],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['index.ts'],
    },
    'tsconfig.wrong.json': { extends: './tsconfig.json', files: ['wrong.ts'] },
    'index.ts': typedConsumer,
    'wrong.ts': wrongConsumer,
  };
}

/**
 * A Node-only TypeScript project: no DOM in `lib`, Node's types, the `ws`
 * class as the implementation, and `skipLibCheck` off: the declarations
 * must not need the DOM library.
 * Needs `ws`, `@types/node` and `@types/ws` linked.
 */
export function nodeOnlyTypeScriptProject(): Files {
  return {
    'package.json': { name: 'ts-node-only', private: true, type: 'module' },
    'tsconfig.json': {
      compilerOptions: {
        target: 'ES2022',
        module: 'Node16',
        moduleResolution: 'Node16',
        lib: ['ES2022'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['index.ts'],
    },
    'index.ts': `import { ResilientWebSocket, type CloseClass } from 'resilient-websocket';
import { WebSocket } from 'ws';

const ws = new ResilientWebSocket('ws://127.0.0.1:9/', [], { WebSocket, reconnect: { maxRetries: 3 } });
ws.addEventListener('close', (e) => {
  const cls: CloseClass = e.report.class;
  return cls;
});
ws.addEventListener('reconnecting', (e) => e.delayMs.toFixed());
// @ts-expect-error -- a close event has no delay
ws.addEventListener('close', (e) => e.delayMs);
export { ws };
`,
  };
}

/**
 * A browser application's entry: constructs with the platform's WebSocket
 * (no option), sends, closes after the echo and hands a summary to the
 * global `report()`.
 */
export const browserEntry = `import { ResilientWebSocket, classifyCode } from 'resilient-websocket';

const log = [];
const ws = new ResilientWebSocket('wss://app.example/live', [], { heartbeat: true });
ws.addEventListener('open', () => {
  log.push('open');
  ws.send('hello from the browser');
});
ws.addEventListener('message', (event) => {
  log.push('message ' + event.data);
  ws.close(1000, 'done');
});
ws.addEventListener('close', (event) => {
  log.push('close ' + event.code + ' ' + event.report.class);
  report({ log, url: ws.url, readyState: ws.readyState, application: classifyCode(4001) });
});
`;
