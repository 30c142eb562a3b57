/**
 * Builds the scripts the benchmark page loads: the timer probe, the library
 * under test, and the page-side measurements.
 *
 * @module
 */

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pageDir = fileURLToPath(new URL('./page/', import.meta.url));
const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** A script, and its source map where there is one. */
export interface Script {
  readonly code: string;
  readonly map?: string;
}

async function bundle(entry: string, options: { globalName?: string; footer?: string; sourcemap?: boolean } = {}): Promise<Script> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    outfile: 'bundle.js',
    // The sources read the build mode (src/mode.ts); measure what the default script tag ships.
    define: { 'process.env.NODE_ENV': '"production"' },
    ...(options.sourcemap ? { sourcemap: 'external' as const, sourceRoot: '' } : {}),
    ...(options.globalName ? { globalName: options.globalName } : {}),
    ...(options.footer ? { footer: { js: options.footer } } : {}),
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  if (!code) throw new Error(`esbuild produced nothing for ${entry}`);
  return map ? { code: code.text, map: map.text } : { code: code.text };
}

/** Reads a script-tag build of the library (normally `dist/resilient-websocket.umd.js`), with `<path>.map` if present. */
export async function readLibrary(path: string): Promise<Script> {
  const code = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`Cannot read ${path} (run \`npm run build\` first): ${String(error)}`);
  });
  const map = await readFile(`${path}.map`, 'utf8').catch(() => undefined);
  return map === undefined ? { code } : { code, map };
}

/**
 * The library from src/, bundled for a script tag without minifying and
 * with a source map, so that profiles name its functions and lines. Same
 * global as the published bundle.
 */
export function unminifiedLibrary(): Promise<Script> {
  return bundle(`${srcDir}umd.ts`, { globalName: '__resilientWebSocket', footer: 'globalThis.ResilientWebSocket = __resilientWebSocket.default;', sourcemap: true });
}

/**
 * The page's scripts by path, in load order: the probe must run before the
 * library so that every timer the library arms is counted.
 *
 * @param library - the library's script-tag source
 * @param withDispatch - also load the dispatch micro-benchmarks (for the analysis)
 */
export async function pageScripts(library: string, withDispatch = false): Promise<Map<string, string>> {
  const scripts = new Map([
    ['/instrument.js', (await bundle(`${pageDir}instrument.ts`)).code],
    ['/library.js', library],
    ['/bench.js', (await bundle(`${pageDir}bench.ts`)).code],
  ]);
  if (withDispatch) scripts.set('/dispatch.js', (await bundle(`${pageDir}dispatch.ts`)).code);
  return scripts;
}
