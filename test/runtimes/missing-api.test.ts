/**
 * A runtime without EventTarget (nor Event), or without a WebSocket:
 * importing the built package never throws; constructing a socket throws
 * an error that says what is missing and what to do. The files under test
 * are the published ones (dist/: run `npm run build` first).
 *
 * ESM is evaluated in a vm context by a child process
 * (support/bare-import.ts, which needs `--experimental-vm-modules`); CJS
 * in a vm context here.
 */

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bareImportScript } from './support/bare-import.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

interface Outcome {
  readonly imported: boolean;
  readonly importError?: string;
  readonly exports: readonly string[];
  readonly constructed: { readonly threw: boolean; readonly name?: string; readonly code?: string | null; readonly message?: string } | null;
}

/** Imports `file` (ESM) in a vm context holding only the `granted` globals (besides the ECMAScript built-ins). */
async function importBare(file: string, granted: readonly string[] = []): Promise<Outcome> {
  const { stdout } = await run(process.execPath, ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', bareImportScript, '--', `${root}${file}`, granted.join(',')]);
  return JSON.parse(stdout) as Outcome;
}

/** Requires `file` (CJS) in a vm context holding only the `granted` globals, and constructs a socket. */
function requireBare(file: string, granted: readonly string[] = []): Outcome {
  const context = vm.createContext(Object.fromEntries(granted.map((name) => [name, (globalThis as Record<string, unknown>)[name]])));
  const wrapper = vm.runInContext(`(function (exports, module) {\n${readFileSync(`${root}${file}`, 'utf8')}\n})`, context) as (exports: object, module: { exports: object }) => void;
  const module: { exports: Record<string, unknown> } = { exports: {} };
  try {
    wrapper(module.exports, module);
  } catch (error) {
    return { imported: false, importError: String(error), exports: [], constructed: null };
  }
  const Socket = module.exports.ResilientWebSocket as new (url: string) => unknown;
  try {
    new Socket('ws://127.0.0.1:1/');
    return { imported: true, exports: Object.keys(module.exports), constructed: { threw: false } };
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    return { imported: true, exports: Object.keys(module.exports), constructed: { threw: true, name, code: code ?? null, message } };
  }
}

beforeAll(() => {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.production.js', 'dist/index.production.cjs']) {
    if (!existsSync(`${root}${file}`)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
  }
});

const everyExport = ['ResilientWebSocket', 'ResilientCloseEvent', 'StateChangeEvent', 'explainClose', 'classifyCode', 'diagnose', 'ErrorCode'];

describe('no EventTarget, no Event (a bare vm context)', () => {
  it.each(['dist/index.js', 'dist/index.production.js'])('import: %s loads and exports everything', async (file) => {
    const outcome = await importBare(file);
    expect(outcome.importError).toBeUndefined();
    expect(outcome.imported).toBe(true);
    expect(outcome.exports).toEqual(expect.arrayContaining(everyExport));
  });

  it.each(['dist/index.cjs', 'dist/index.production.cjs'])('import: %s loads and exports everything', (file) => {
    const outcome = requireBare(file);
    expect(outcome.importError).toBeUndefined();
    expect(outcome.exports).toEqual(expect.arrayContaining(everyExport));
  });

  it('missing API: constructing (ESM, development build) names EventTarget and how to provide it', async () => {
    const { constructed } = await importBare('dist/index.js');
    expect(constructed).toMatchObject({ threw: true, name: 'ResilientWebSocketError', code: 'ERR_NO_EVENT_TARGET' });
    expect(constructed?.message).toMatch(/no global EventTarget/);
    expect(constructed?.message).toMatch(/before importing resilient-websocket/);
  });

  it('missing API: constructing (CJS, development build) names EventTarget and how to provide it', () => {
    const { constructed } = requireBare('dist/index.cjs');
    expect(constructed).toMatchObject({ threw: true, name: 'ResilientWebSocketError', code: 'ERR_NO_EVENT_TARGET' });
    expect(constructed?.message).toMatch(/no global EventTarget/);
  });

  it('missing API: the production build throws too when constructed (the short message of its first missing piece)', () => {
    // Production keeps no EventTarget check of its own (a budget of bytes): here the WebSocket is missing too, and said so.
    const { constructed } = requireBare('dist/index.production.cjs');
    expect(constructed).toMatchObject({ threw: true, code: 'ERR_NO_WEBSOCKET_IMPLEMENTATION', message: 'No WebSocket: pass the `WebSocket` option' });
  });
});

describe('no WebSocket (EventTarget and Event present)', () => {
  const platform = ['EventTarget', 'Event', 'URL', 'DOMException', 'queueMicrotask', 'setTimeout', 'clearTimeout'];

  it('import: dist/index.js and dist/index.cjs load', async () => {
    expect((await importBare('dist/index.js', platform)).imported).toBe(true);
    expect(requireBare('dist/index.cjs', platform).imported).toBe(true);
  });

  it('missing API: constructing says that no WebSocket exists and to pass options.WebSocket (ESM and CJS)', async () => {
    for (const { constructed } of [await importBare('dist/index.js', platform), requireBare('dist/index.cjs', platform)]) {
      expect(constructed).toMatchObject({ threw: true, name: 'ResilientWebSocketError', code: 'ERR_NO_WEBSOCKET_IMPLEMENTATION' });
      expect(constructed?.message).toMatch(/no global WebSocket/);
      expect(constructed?.message).toMatch(/`WebSocket` option/);
      expect(constructed?.message).toMatch(/ws package/);
    }
  });

  it('missing API: Node 20 without --experimental-websocket has no global WebSocket, and the error says to pass one', async () => {
    const script = `import('${root}dist/index.js').then(({ ResilientWebSocket }) => {
      try { new ResilientWebSocket('ws://127.0.0.1:1/').dispose(); console.log('constructed'); }
      catch (error) { console.log(JSON.stringify({ global: typeof WebSocket, code: error.code })); }
    });`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    const major = Number(process.versions.node.split('.')[0]);
    // Node 22+ has the global: there the socket is constructed.
    expect(stdout.trim()).toBe(major >= 22 ? 'constructed' : JSON.stringify({ global: 'undefined', code: 'ERR_NO_WEBSOCKET_IMPLEMENTATION' }));
  });
});
