/**
 * The wrappers as built: each subpath loads under import and require, keeps
 * the core an external import (one shared core, never a copy), and the core
 * imports no framework.
 */

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const dist = (file: string): URL => new URL(`../../dist/${file}`, import.meta.url);
const read = (file: string): Promise<string> => readFile(dist(file), 'utf8');
const require = createRequire(import.meta.url);

const wrappers = { react: 'useResilientWebSocket', vue: 'useResilientWebSocket', svelte: 'resilientWebSocket' } as const;

describe('the wrapper entry points', () => {
  it('should leave frameworks out of the core build', async () => {
    for (const file of ['index.js', 'index.cjs', 'resilient-websocket.umd.js']) {
      expect(await read(file)).not.toMatch(/\b(from|require\()\s*['"](react|vue|svelte)['"]/);
    }
  });

  for (const [name, exported] of Object.entries(wrappers)) {
    it(`resilient-websocket/${name}: should import the core by its package name, never bundle it, and load as ESM and CommonJS`, async () => {
      const esm = await read(`${name}/index.js`);
      const cjs = await read(`${name}/index.cjs`);
      expect(esm).toMatch(/from ['"]resilient-websocket['"]/);
      expect(cjs).toMatch(/require\(['"]resilient-websocket['"]\)/);
      for (const build of [esm, cjs]) expect(build).not.toMatch(/class ResilientWebSocket\b/);
      const imported = (await import(`resilient-websocket/${name}`)) as Record<string, unknown>;
      const required = require(`resilient-websocket/${name}`) as Record<string, unknown>;
      expect(typeof imported[exported]).toBe('function');
      expect(typeof required[exported]).toBe('function');
    });
  }
});
