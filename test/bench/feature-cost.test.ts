import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureVariant } from '../../bench/feature-cost/build.js';
import { features } from '../../bench/feature-cost/features.js';
import { applyPatches, combine, featureCount, formatBytes, markdownTable, type Patch } from '../../bench/feature-cost/patch.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('feature-cost patches', () => {
  it('replaces an exact match, taking `$` in the replacement literally', () => {
    const patches: Patch[] = [{ file: 'a.ts', find: 'const x = 1;', replace: 'const x = $&;' }];
    expect(applyPatches('a.ts', 'let y;\nconst x = 1;\n', patches)).toBe('let y;\nconst x = $&;\n');
  });

  it('leaves other files alone', () => {
    expect(applyPatches('b.ts', 'const x = 1;', [{ file: 'a.ts', find: 'x', replace: 'y' }])).toBe('const x = 1;');
  });

  it('replaces every match of a regular expression when the count says so', () => {
    const patches: Patch[] = [{ file: 'a.ts', find: /^drop.*\n/m, replace: '', count: 2 }];
    expect(applyPatches('a.ts', 'drop 1\nkeep\ndrop 2\n', patches)).toBe('keep\n');
  });

  it('fails, naming the file, when a patch finds its target a different number of times', () => {
    expect(() => applyPatches('a.ts', 'const x = 1;', [{ file: 'a.ts', find: 'const z', replace: '' }])).toThrow(/src\/core\/a\.ts expected 1 match\(es\) of const z, found 0/);
    expect(() => applyPatches('a.ts', 'x x', [{ file: 'a.ts', find: 'x', replace: '' }])).toThrow(/found 2/);
  });

  it('combines deletions, dropping the patches of files a stub replaces', () => {
    const combined = combine([
      { stubs: { 'options.ts': 'options.ts' }, patches: [] },
      { stubs: { 'heartbeat.ts': 'heartbeat.ts' }, patches: [{ file: 'options.ts', find: 'a', replace: '' }, { file: 'state-machine.ts', find: 'b', replace: '' }] },
    ]);
    expect(combined.stubs).toEqual({ 'options.ts': 'options.ts', 'heartbeat.ts': 'heartbeat.ts' });
    expect(combined.patches.map((patch) => patch.file)).toEqual(['state-machine.ts']);
  });

  it('refuses two different stubs for one file', () => {
    expect(() => combine([{ stubs: { 'a.ts': 'one.ts' }, patches: [] }, { stubs: { 'a.ts': 'two.ts' }, patches: [] }])).toThrow(/Two stubs for src\/core\/a\.ts/);
  });

  it('matches every patch of every feature against the current sources', async () => {
    for (const feature of features) {
      for (const file of new Set(feature.patches.map((patch) => patch.file))) {
        const source = await readFile(path.join(root, 'src/core', file), 'utf8');
        const patched = applyPatches(file, source, feature.patches);
        expect(patched, `${feature.name}: ${file}`).not.toBe(source);
      }
    }
  });

  it('gives every stub each runtime export of the module it replaces', async () => {
    for (const feature of features) {
      for (const [file, stub] of Object.entries(feature.stubs)) {
        const real: object = await import(path.join(root, 'src/core', file));
        const standIn: object = await import(path.join(root, 'bench/feature-cost/stubs', stub));
        expect(Object.keys(standIn), `${feature.name}: stubs/${stub}`).toEqual(expect.arrayContaining(Object.keys(real)));
      }
    }
  });
});

describe('feature-cost tables', () => {
  it('writes bytes as the README does', () => {
    expect(formatBytes(685)).toBe('685 B');
    expect(formatBytes(9720)).toBe('9.72 kB');
    expect(formatBytes(-218)).toBe('-218 B');
  });

  it('writes a Markdown table with numeric columns aligned right and pipes escaped', () => {
    expect(markdownTable(['name', 'size'], [['a|b', '1 B']], [1])).toBe('| name | size |\n| --- | ---: |\n| a\\|b | 1 B |');
  });

  it('counts a partial feature as one half', () => {
    expect(featureCount({ reconnect: 'yes', jitter: 'partial', heartbeat: 'no' })).toBe(1.5);
  });
});

describe('the deletion method', () => {
  it('makes the core import smaller for every feature deleted', async () => {
    const full = await measureVariant({ stubs: {}, patches: [] });
    for (const feature of features) {
      const without = await measureVariant(feature);
      expect(without.brotli, feature.name).toBeLessThan(full.brotli);
      expect(without.minified, feature.name).toBeLessThan(full.minified);
    }
  });
});
