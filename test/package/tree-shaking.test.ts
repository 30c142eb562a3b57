/**
 * The pure helpers tree-shake on their own: an application that imports
 * only `classifyClose` or `classifyCode` from the ESM build does not ship
 * the socket class. Bundled as a browser application would be (esbuild,
 * bundle + minify, ESM), sizes measured with brotli and printed.
 */

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, brotliSize, bundle, describeRun, distFile, removeTree, runNode, tempDir } from './support.js';

/** Strings only the socket class brings: an event name, its base class, an option group. */
const classMarkers = ['reconnecting', 'EventTarget', 'heartbeat'];

/** The most a lone pure helper may cost, min+brotli. */
const helperBudgetBytes = 1_000;

/** An entry that imports `names` from the ESM build and prints `use` as JSON. */
function entry(names: string, use: string): string {
  return `import { ${names} } from ${JSON.stringify(distFile('index.js'))};\nconsole.log(JSON.stringify(${use}));\n`;
}

let scratch = '';
beforeAll(async () => {
  await assertBuilt();
  scratch = await tempDir('tree-shaking');
});
afterAll(async () => {
  if (scratch) await removeTree(scratch);
});

/** Runs an ESM bundle with Node and returns what it printed. */
async function runBundle(code: string, name: string): Promise<string> {
  const file = path.join(scratch, `${name}.mjs`);
  await writeFile(file, code);
  const result = await runNode([file], { timeoutMs: 30_000 });
  expect(result.code, describeRun(result)).toBe(0);
  return result.stdout.trim();
}

describe('tree-shaking the ESM build', () => {
  it('should keep the class markers when the class is imported (the markers are real)', async () => {
    const { code } = await bundle({ contents: entry('ResilientWebSocket', 'typeof ResilientWebSocket'), resolveDir: scratch });
    console.log(`ResilientWebSocket alone: ${code.length} B minified, ${brotliSize(code)} B brotli`);
    for (const marker of classMarkers) expect(code, marker).toContain(marker);
  });

  it.each([
    ['classifyClose', 'classifyClose({ code: 1006, reason: "", wasClean: false, opened: true })', { class: 'abnormal', initiator: 'network', phase: 'open' }],
    ['classifyCode', 'classifyCode(1006)', 'abnormal'],
  ])('should bundle %s alone without the class, under 1 kB min+brotli, and still work', { timeout: 60_000 }, async (name, use, expected) => {
    const { code } = await bundle({ contents: entry(name, use), resolveDir: scratch });
    const size = brotliSize(code);
    console.log(`${name} alone: ${code.length} B minified, ${size} B brotli`);
    for (const marker of classMarkers) expect(code, marker).not.toContain(marker);
    expect(size).toBeLessThan(helperBudgetBytes);
    expect(JSON.parse(await runBundle(code, name))).toEqual(expected);
  });
});

describe('tree-shaking the diagnosis', () => {
  /** Strings only the diagnosis brings: cause ids and a sentence of a fix. */
  const diagnosisMarkers = ['heartbeat-unanswered', 'unexplained-drop', 'exit code 137'];

  it('should leave the diagnosis out of an application that imports only the class', { timeout: 60_000 }, async () => {
    const { code } = await bundle({ contents: entry('ResilientWebSocket', 'typeof ResilientWebSocket'), resolveDir: scratch });
    for (const marker of diagnosisMarkers) expect(code, marker).not.toContain(marker);
  });

  it('should bundle diagnose without the class, and still work', { timeout: 60_000 }, async () => {
    const { code } = await bundle({ contents: entry('diagnose', 'diagnose([]).summary'), resolveDir: scratch });
    console.log(`diagnose alone: ${code.length} B minified, ${brotliSize(code)} B brotli`);
    // 'heartbeat' is a word of its sentences too; the other markers are the class's alone.
    for (const marker of ['reconnecting', 'EventTarget']) expect(code, marker).not.toContain(marker);
    for (const marker of diagnosisMarkers) expect(code, marker).toContain(marker);
    expect(JSON.parse(await runBundle(code, 'diagnose'))).toBe('no close to diagnose');
  });
});
