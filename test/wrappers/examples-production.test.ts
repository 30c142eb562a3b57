/**
 * The example apps as Vite builds them for production (`vite build`, the
 * mode `npm run build:examples` uses): each bundle is the production one (no
 * development message in it, so `report.explanation` is `''` there), and
 * each app, run in jsdom over a hand-held socket, still shows a non-empty
 * sentence for a drop: the examples get it from `explainClose(report)`.
 * (test/browser/examples.test.ts runs the same builds in three browsers.)
 */

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeSockets } from '../class/fake-socket.js';
import { describeRun, repoRoot, runNode } from '../package/support.js';
import { waitUntil } from '../support/wait.js';

/** jsdom's page, as far as this test uses it (the package ships no types). */
interface Page {
  readonly window: Window & { eval(code: string): void; close(): void };
}
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string, options: object) => Page };

const built: string[] = [];
afterAll(async () => {
  for (const dir of built) await rm(dir, { recursive: true, force: true });
});

/** Builds `examples/<name>` with Vite in a child process without NODE_ENV (as `vite build` runs), and returns its JavaScript. */
async function buildExample(name: string): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), `rws-example-${name}-`));
  built.push(outDir);
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'dist', 'node', 'index.js');
  const script = `delete process.env.NODE_ENV;
const { build } = await import(${JSON.stringify(vite)});
await build({ configFile: ${JSON.stringify(path.join(repoRoot, 'examples', name, 'vite.config.ts'))}, logLevel: 'silent',
  build: { outDir: ${JSON.stringify(outDir)}, emptyOutDir: true } });`;
  const result = await runNode(['--input-type=module', '-e', script], { timeoutMs: 120_000 });
  expect(result.code, describeRun(result)).toBe(0);
  const assets = path.join(outDir, 'assets');
  const scripts = (await readdir(assets)).filter((file) => file.endsWith('.js'));
  expect(scripts).toHaveLength(1);
  return readFile(path.join(assets, scripts[0]!), 'utf8');
}

describe('the example apps, built for production', () => {
  for (const name of ['react', 'vue', 'svelte']) {
    it(`${name}: should be the production build and show a non-empty explanation for a drop`, { timeout: 150_000 }, async () => {
      const code = await buildExample(name);
      expect(code).not.toContain('Expected `'); // the development files' option messages
      const fakes = fakeSockets();
      const dom = new JSDOM('<!doctype html><div id="root"></div><div id="app"></div>', { url: 'https://app.example/?ws=ws://127.0.0.1:9/', runScripts: 'outside-only', pretendToBeVisual: true });
      const { window } = dom;
      Object.assign(window, { WebSocket: fakes.Impl });
      try {
        window.eval(code);
        const text = (selector: string): string => window.document.querySelector(selector)?.textContent ?? '';
        await waitUntil(() => fakes.instances.length > 0, 'the app connects');
        fakes.latest().accept();
        await waitUntil(() => text('[data-state]') === 'open', 'the app shows open');
        fakes.latest().drop();
        await waitUntil(() => text('[data-close-code]') === '1006', 'the app shows the 1006');
        expect(text('[data-close-explanation]')).toMatch(/without a close frame/);
      } finally {
        window.close();
      }
    });
  }
});
