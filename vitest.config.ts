import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const srcDir = fileURLToPath(new URL('src/', import.meta.url));

/**
 * The wrappers import the core by its package name (an external import in
 * their build); under test they run on the core's source. Only imports from
 * src/ are redirected: tests that import the package name still get dist/.
 */
const coreFromSource: Plugin = {
  name: 'core-from-source',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source === 'resilient-websocket' && importer?.startsWith(srcDir)) return `${srcDir}index.ts`;
    return null;
  },
};

export default defineConfig({
  plugins: [coreFromSource],
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
