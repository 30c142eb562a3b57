/**
 * The Vite configuration the framework examples share: the app in its own
 * folder, built to `<example>/dist` with relative URLs (any static server
 * can serve it), and `resilient-websocket` resolved to this repository's
 * source, so the examples run without a build or an install of the package.
 */

import { fileURLToPath } from 'node:url';
import type { PluginOption, UserConfig } from 'vite';

const src = (file: string): string => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

/** The configuration of the example whose `vite.config.ts` is at `configUrl`. */
export function exampleConfig(configUrl: string, plugins: PluginOption[]): UserConfig {
  return {
    root: fileURLToPath(new URL('.', configUrl)),
    base: './',
    plugins,
    logLevel: 'warn',
    resolve: {
      alias: [
        { find: /^resilient-websocket$/, replacement: src('index.ts') },
        { find: /^resilient-websocket\/(react|vue|svelte|tabs)$/, replacement: src('$1/index.ts') },
      ],
    },
    build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  };
}
