import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type TestProjectInlineConfiguration } from 'vitest/config';
import { selectedEngines } from './scripts/browsers.js';

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

/**
 * The browser scenarios: each runs once per engine (see
 * `test/browser/support/suite.ts`). A browser test file elsewhere goes here.
 */
const browserTestFiles = ['test/browser/**/*.test.ts'];
/** Tests under test/browser/ that use no browser: they run once, with the others. */
const browserlessFiles = ['test/browser/harness.test.ts'];

/**
 * One project per engine that `BROWSERS` selects (all three unless it names
 * some), run one after another, each file in one worker after the other:
 * one browser at a time on the machine.
 */
const engineProjects: TestProjectInlineConfiguration[] = selectedEngines().map((engine, index) => ({
  extends: true,
  test: {
    name: engine,
    include: browserTestFiles,
    exclude: browserlessFiles,
    provide: { engine },
    fileParallelism: false,
    sequence: { groupOrder: index + 1 },
  },
}));

export default defineConfig({
  plugins: [coreFromSource],
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          // Everything but the browser scenarios (keep in step with the two lists above).
          exclude: ['**/node_modules/**', 'test/browser/**/!(harness).test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      ...engineProjects,
    ],
  },
});
