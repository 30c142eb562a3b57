import { transform } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

/** Wraps the IIFE so the bundle also loads under AMD `define` and CommonJS `require`. */
const umdBanner = (assignGlobal: string): string => `(function (root, factory) {
  if (typeof define === 'function' && define.amd) define([], factory);
  else if (typeof module === 'object' && module.exports) module.exports = factory();
  else ${assignGlobal}
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function () {`;

/** As a global, the main file defines the class; the diagnosis file adds `diagnose` to it, so it loads second. */
const globals = {
  main: 'root.ResilientWebSocket = factory();',
  diagnose: `{
    if (typeof root.ResilientWebSocket !== 'function') throw new Error('resilient-websocket.diagnose.umd.js: load resilient-websocket.umd.js first');
    Object.defineProperty(root.ResilientWebSocket, 'diagnose', { value: factory(), enumerable: true });
  }`,
};

/** The oldest runtimes supported (package.json `browserslist`, `engines`): esbuild lowers any newer syntax. */
const target = ['chrome94', 'edge94', 'firefox93', 'safari15.4', 'ios15.4', 'node18'];

/**
 * Each entry is built twice (see src/core/mode.ts): `<name>.js`/`.cjs` is the
 * development build, which the default export condition serves (Node, plain
 * browsers, tests), and `<name>.production.js`/`.cjs` the production build,
 * which bundlers pick with the `production` condition. So are the wrappers
 * and the server companion below. A new subpath entry adds its name to one
 * of these maps and the same pair of conditions in package.json.
 */
const entries = { index: 'src/index.ts' };

/**
 * The framework wrappers, built twice the same way. They import the core by
 * its package name, so it stays one shared module, never bundled into them,
 * and the application's bundler picks the core's build and theirs with the
 * same condition. What they bundle of the core's own files (the option
 * errors, the mode constant) follows the mode of their build.
 */
const wrappers = {
  'react/index': 'src/react/index.ts',
  'vue/index': 'src/vue/index.ts',
  'svelte/index': 'src/svelte/index.ts',
  // The tab-shared socket too: its leader runs the core's class, and shareAcrossTabs() hands the wrappers
  // their socket through the core's own registry, so it must be the application's one core.
  'tabs/index': 'src/tabs/index.ts',
};

/** `<name>.production` for each entry: the file names of the production build. */
const productionNames = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([name, file]) => [`${name}.production`, file]));

/**
 * The protocol recipes (src/recipes/): small helpers for protocol clients
 * that bring their own retry loop, each a subpath of its own. Built like the
 * main entry, development and production, and never imported by the core.
 */
const recipes = {
  'recipes/mqtt/index': 'src/recipes/mqtt/index.ts',
  'recipes/y-websocket/index': 'src/recipes/y-websocket/index.ts',
  'recipes/hocuspocus/index': 'src/recipes/hocuspocus/index.ts',
  'recipes/phoenix/index': 'src/recipes/phoenix/index.ts',
};

/** `process.env.NODE_ENV` replaced for `mode`, so no published file reads `process`. */
const mode = (name: 'development' | 'production'): Pick<Options, 'define'> => ({ define: { 'process.env.NODE_ENV': JSON.stringify(name) } });

/**
 * A second minify pass over a production script-tag file. esbuild inlines the
 * mode constant of src/core/mode.ts into the other modules only after it has
 * removed their dead code, so a single pass leaves `if (!!1) return ...`
 * and the development branch after it; the second pass drops them. (The
 * ESM and CJS production files need none: the application's bundler does it.)
 */
const foldModeBranches: NonNullable<Options['plugins']>[number] = {
  name: 'fold-mode-branches',
  async renderChunk(code) {
    return { code: (await transform(code, { minify: true, target })).code };
  },
};

const umd = (name: string, file: string, assignGlobal: string, production: boolean): Options => ({
  entry: { [name]: file },
  format: ['iife'],
  globalName: '__resilientWebSocket',
  minify: production,
  target,
  platform: 'browser',
  outExtension: () => ({ js: '.js' }),
  banner: { js: umdBanner(assignGlobal) },
  footer: { js: 'return __resilientWebSocket.default;\n});' },
  plugins: production ? [foldModeBranches] : [],
  ...mode(production ? 'production' : 'development'),
});

export default defineConfig([
  {
    entry: entries,
    format: ['esm', 'cjs'],
    // Symbol.dispose is typed in lib esnext.disposable, which a consumer's tsconfig may not include.
    dts: { banner: '/// <reference lib="esnext.disposable" />' },
    clean: true,
    target,
    sourcemap: true,
    treeshake: true,
    ...mode('development'),
  },
  {
    entry: productionNames(entries),
    format: ['esm', 'cjs'],
    target,
    sourcemap: true,
    treeshake: true,
    // Folds the mode constant and drops the development branches; names and layout stay readable.
    minifySyntax: true,
    ...mode('production'),
  },
  {
    entry: wrappers,
    format: ['esm', 'cjs'],
    // Each file whole: an application imports one wrapper, so no chunk shared between them.
    splitting: false,
    external: ['resilient-websocket', 'react', 'vue'],
    dts: true,
    target,
    sourcemap: true,
    treeshake: true,
    ...mode('development'),
  },
  {
    entry: productionNames(wrappers),
    format: ['esm', 'cjs'],
    splitting: false,
    external: ['resilient-websocket', 'react', 'vue'],
    target,
    sourcemap: true,
    treeshake: true,
    minifySyntax: true,
    ...mode('production'),
  },
  {
    // The recipes import only types from the core (by its package name), so no core code is bundled into them.
    entry: recipes,
    format: ['esm', 'cjs'],
    external: ['resilient-websocket'],
    dts: true,
    target,
    sourcemap: true,
    treeshake: true,
    ...mode('development'),
  },
  {
    entry: productionNames(recipes),
    format: ['esm', 'cjs'],
    external: ['resilient-websocket'],
    target,
    sourcemap: true,
    treeshake: true,
    minifySyntax: true,
    ...mode('production'),
  },
  // The script-tag files: production (minified, what unpkg and jsdelivr serve) and development (full messages),
  // and the diagnosis, which has no development-only text, minified.
  umd('resilient-websocket.umd', 'src/script-tag/index.ts', globals.main, true),
  umd('resilient-websocket.umd.development', 'src/script-tag/index.ts', globals.main, false),
  umd('resilient-websocket.diagnose.umd', 'src/script-tag/diagnose.ts', globals.diagnose, true),
  {
    // The ws companion: Node only, its own files, never part of the core's bundle. Built twice too: a server
    // bundled for production (the `production` condition) gets the short option errors.
    entry: { server: 'src/server/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node18',
    platform: 'node',
    sourcemap: true,
    ...mode('development'),
  },
  {
    entry: productionNames({ server: 'src/server/index.ts' }),
    format: ['esm', 'cjs'],
    target: 'node18',
    platform: 'node',
    sourcemap: true,
    minifySyntax: true,
    ...mode('production'),
  },
  {
    // The probe command: one executable file (the shebang comes from the source).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node18',
    platform: 'node',
  },
]);
