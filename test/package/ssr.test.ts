/**
 * Importing the package on a server (server-side rendering, Node scripts)
 * must not touch the page: each build is loaded in a fresh Node process
 * with accessors on `globalThis` that record every read of a
 * browser-only global.
 */

import { describe, expect, it } from 'vitest';
import { assertBuilt, browserGlobals, distFile, globalsReadOnImport } from './support.js';

/**
 * What the module deliberately feature-tests while loading, with `typeof`
 * only: the platform's `WebSocket` (captured before anyone can replace the
 * global with this class) and `CloseEvent` (the base of the close event).
 * Both are absent on a server and the import copes.
 */
const featureTestedOnLoad = ['WebSocket', 'CloseEvent'];

describe('importing on a server', () => {
  it.each([
    ['import', 'index.js'],
    ['require', 'index.cjs'],
  ] as const)('should read no browser global but the feature-tested ones when loaded with %s (dist/%s)', { timeout: 60_000 }, async (how, file) => {
    await assertBuilt();
    const { reads, exports } = await globalsReadOnImport(distFile(file), how);
    expect(exports).toEqual(expect.arrayContaining(['ResilientWebSocket', 'classifyClose', 'classifyCode', 'defaults']));
    expect(reads.filter((name) => !featureTestedOnLoad.includes(name))).toEqual([]);
  });

  it('should trap what it claims to trap: a module that reads window and navigator is caught', { timeout: 60_000 }, async () => {
    const probe = `data:text/javascript,${encodeURIComponent('export const agent = typeof window === "undefined" ? navigator?.userAgent : "browser";')}`;
    const { reads } = await globalsReadOnImport(probe, 'import');
    expect(reads).toEqual(['window', 'navigator']);
    expect(browserGlobals).toEqual(expect.arrayContaining([...featureTestedOnLoad, 'window', 'document', 'navigator', 'location', 'self', 'localStorage', 'addEventListener']));
  });
});
