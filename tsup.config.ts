import { defineConfig } from 'tsup';

/** Wraps the IIFE so the bundle also loads under AMD `define` and CommonJS `require`. */
const umdBanner = `(function (root, factory) {
  if (typeof define === 'function' && define.amd) define([], factory);
  else if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.ResilientWebSocket = factory();
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function () {`;

/** The oldest runtimes supported (package.json `browserslist`, `engines`): esbuild lowers any newer syntax. */
const target = ['chrome94', 'edge94', 'firefox93', 'safari15.4', 'ios15.4', 'node18'];

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    // Symbol.dispose is typed in lib esnext.disposable, which a consumer's tsconfig may not include.
    dts: { banner: '/// <reference lib="esnext.disposable" />' },
    clean: true,
    target,
    sourcemap: true,
    treeshake: true,
  },
  {
    // The wrappers import the core by its package name, so it stays one shared module, never bundled into them.
    entry: { 'react/index': 'src/react/index.ts', 'vue/index': 'src/vue/index.ts', 'svelte/index': 'src/svelte/index.ts' },
    format: ['esm', 'cjs'],
    external: ['resilient-websocket', 'react', 'vue'],
    dts: true,
    target,
    sourcemap: true,
    treeshake: true,
  },
  {
    entry: { 'resilient-websocket.umd': 'src/umd.ts' },
    format: ['iife'],
    globalName: '__resilientWebSocket',
    minify: true,
    target,
    platform: 'browser',
    outExtension: () => ({ js: '.js' }),
    banner: { js: umdBanner },
    footer: { js: 'return __resilientWebSocket.default;\n});' },
  },
  {
    // The ws companion: Node only, its own files, never part of the core's bundle.
    entry: { server: 'src/server/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node18',
    platform: 'node',
    sourcemap: true,
  },
  {
    // The probe command: one executable file (the shebang comes from the source).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node18',
    platform: 'node',
  },
]);
